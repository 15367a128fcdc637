"""What a trainee had saved, read back as a claim: the draft an exam grades at the bell.

Apart from the submit (``practice_submit``) because this is the lenient reader: where the
entry form refuses a claim with a format problem, a draft keeps every diagnosis, line, UB-04
field and inpatient row that parses on its own and drops the rest, so an exam that ends
mid-typing still grades all the work that can be read.
"""

from __future__ import annotations

from typing import Any

from trainer.core.grading.entry import (
    UB04Entry,
    entry_from_mapping,
    kept_place_of_service,
    parse_entry,
    pos_from_mapping,
    ub04_from_mapping,
)
from trainer.core.grading.inpatient_entry import (
    InpatientRows,
    parse_inpatient_entry,
    rows_from_mapping,
)

from ..core.claims import Claim, ProcedureEntry, ServiceLine
from ..models import Attempt


def draft_claim(attempt: Attempt) -> Claim:
    """What the trainee had saved; entries that do not parse are dropped."""
    if attempt.setting == "inpatient":
        return _inpatient_draft(attempt.draft or {})
    facility = attempt.setting == "facility"
    dx, lines = entry_from_mapping(attempt.draft or {})
    ub04 = ub04_from_mapping(attempt.draft or {}) if facility else None
    pos = "" if facility else kept_place_of_service(pos_from_mapping(attempt.draft or {}))
    claim, _ = parse_entry(dx, lines, facility, ub04, pos)
    if claim is not None:
        return claim
    keep_dx = [d for d in dx if d.strip() and parse_entry([d], [], facility)[0] is not None]
    kept = parse_entry(keep_dx, [], facility)[0]
    keep_lines: list[ServiceLine] = []
    for line in lines:
        parsed, _ = parse_entry(keep_dx, [line], facility)
        if parsed is not None:
            keep_lines.extend(parsed.lines)
    header = _kept_ub04(ub04) if ub04 is not None else Claim()
    return Claim(
        (kept.diagnoses if kept else ()) + header.diagnoses,
        tuple(keep_lines),
        header.type_of_bill,
        header.reason_for_visit,
        place_of_service=pos,
    )


def _kept_ub04(ub04: UB04Entry) -> Claim:
    """The UB-04 fields of a draft that parse, each kept on its own (a bad one is dropped)."""
    tob = parse_entry([], [], True, UB04Entry(ub04.type_of_bill))[0]
    reasons = [
        c
        for r in ub04.reasons
        if (c := parse_entry([], [], True, UB04Entry(reasons=[r]))[0]) is not None
    ]
    causes = [
        c
        for e in ub04.external_causes
        if (c := parse_entry([], [], True, UB04Entry(external_causes=[e]))[0]) is not None
    ]
    return Claim(
        tuple(d for c in causes for d in c.diagnoses),
        (),
        tob.type_of_bill if tob else "",
        tuple(r for c in reasons for r in c.reason_for_visit),
    )


def _inpatient_draft(draft: dict[str, Any]) -> Claim:
    """An inpatient draft: each diagnosis (with its POA) and procedure row that parses."""
    rows = rows_from_mapping(draft)
    claim, _ = parse_inpatient_entry(rows)
    if claim is not None:
        return claim
    dx: list[str] = []
    poa: list[str] = []
    procs: list[ProcedureEntry] = []
    for n, code in enumerate(rows.diagnoses):
        flag = rows.poa[n] if n < len(rows.poa) else ""
        one, _ = parse_inpatient_entry(InpatientRows([code], [flag], []))
        if one is not None and one.diagnoses:
            dx.append(one.diagnoses[0])
            poa.append(one.poa[0])
    for row in rows.procedures:
        one, _ = parse_inpatient_entry(InpatientRows([], [], [row]))
        if one is not None:
            procs.extend(one.procedures)
    return Claim(tuple(dx), poa=tuple(poa), procedures=tuple(procs))
