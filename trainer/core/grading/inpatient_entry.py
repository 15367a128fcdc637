"""Reading the inpatient entry panel: diagnoses each with a POA indicator, PCS procedures.

The shape of a code and of a POA indicator is checked here and sent back with the field it
belongs to (costing no attempt, as ``entry`` does for outpatient claims); whether a
well-formed code exists is the grader's question (``invalid_code``, ``header_code``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from trainer.core.claims import (
    MAX_INPATIENT_DIAGNOSES,
    MAX_PROCEDURES,
    POA_INDICATORS,
    UB04_PAPER_DIAGNOSES,
    Claim,
    ProcedureEntry,
)
from trainer.core.grading.entry import UB04_DX_LABELS, EntryProblems, _icd

PCS_ENTRY = re.compile(r"^[0-9A-HJ-NP-Z]{1,7}$")  # ICD-10-PCS has no I or O; 7 characters
DIAGNOSIS_FIELD = re.compile(r"^diagnoses-([0-9]{1,3})$")  # the page never numbers past 999
PROCEDURE_FIELD = re.compile(r"^procedures-([0-9]{1,3})-code$")
#: The label of each diagnosis position: FL 67 (principal) and 67A-Q on the paper UB-04, then
#: the positions only the 837I carries (19-25).
INPATIENT_DX_LABELS: tuple[str, ...] = UB04_DX_LABELS[:UB04_PAPER_DIAGNOSES] + tuple(
    f"837I {n}" for n in range(UB04_PAPER_DIAGNOSES + 1, MAX_INPATIENT_DIAGNOSES + 1)
)
TOO_MANY_DIAGNOSES = (
    f"An inpatient claim carries at most {MAX_INPATIENT_DIAGNOSES} diagnoses (the 837I: the "
    f"principal and {MAX_INPATIENT_DIAGNOSES - 1} others); you entered {{count}}. Keep the ones "
    "that affect this stay's care (UHDDS other diagnoses)."
)
TOO_MANY_PROCEDURES = (
    f"An inpatient claim carries at most {MAX_PROCEDURES} ICD-10-PCS procedures (the 837I; the "
    "paper UB-04 shows FL 74 and 74a-e); you entered {count}. Keep the significant ones (UHDDS "
    "significant procedures: surgical, anesthetic or procedural risk, or specialized training)."
)


def diagnosis_label(i: int) -> str:
    """What the panel and its messages call diagnosis position ``i`` (0 = principal)."""
    if i == 0:
        return "Principal diagnosis (FL 67)"
    if i < len(INPATIENT_DX_LABELS):
        where = INPATIENT_DX_LABELS[i]
        return f"Diagnosis {where}" if where.startswith("837I") else f"Diagnosis FL {where}"
    return f"Diagnosis {i + 1}"


@dataclass(frozen=True)
class ProcedureRow:
    """One FL74 row as typed."""

    code: str = ""
    date: str = ""


@dataclass
class InpatientRows:
    """What the panel shows: diagnoses, their POA indicators, procedure rows."""

    diagnoses: list[str]
    poa: list[str]
    procedures: list[ProcedureRow]

    def to_draft(self) -> dict[str, object]:
        return {
            "diagnoses": list(self.diagnoses),
            "poa": list(self.poa),
            "procedures": [{"code": p.code, "date": p.date} for p in self.procedures],
        }

    def padded(self, diagnoses: int, procedures: int) -> InpatientRows:
        dx = self.diagnoses + [""] * max(0, diagnoses - len(self.diagnoses))
        poa = self.poa + [""] * max(0, len(dx) - len(self.poa))
        rows = self.procedures + [ProcedureRow()] * max(0, procedures - len(self.procedures))
        return InpatientRows(dx, poa[: len(dx)], rows)


def rows_from_mapping(data: Mapping[str, object]) -> InpatientRows:
    """A saved draft (the JSON the page autosaves) as panel rows; junk is dropped."""
    raw_dx = data.get("diagnoses")
    cap = MAX_INPATIENT_DIAGNOSES
    dx = [str(d)[:32] for d in raw_dx][:cap] if isinstance(raw_dx, list) else []
    raw_poa = data.get("poa")
    poa = [str(p)[:2] for p in raw_poa][:cap] if isinstance(raw_poa, list) else []
    procs: list[ProcedureRow] = []
    raw_procs = data.get("procedures")
    for item in raw_procs if isinstance(raw_procs, list) else []:
        if isinstance(item, Mapping):
            procs.append(
                ProcedureRow(str(item.get("code") or "")[:16], str(item.get("date") or "")[:10])
            )
    return InpatientRows(dx, poa, procs[:MAX_PROCEDURES])


def rows_from_form(form: Mapping[str, str]) -> InpatientRows:
    """The panel's fields: ``diagnoses-N``, ``poa-N``, ``procedures-N-code/-date``.

    Every ``diagnoses-N`` and ``procedures-N-code`` row posted is read (the page adds rows up
    to the caps), and a row past a cap is kept, not dropped, so ``parse_inpatient_entry`` can
    refuse the list with a 400 that says so instead of grading a claim the trainee did not
    write."""
    positions = [
        int(m.group(1)) for name in form if (m := DIAGNOSIS_FIELD.match(str(name))) is not None
    ]
    dx = [str(form.get(f"diagnoses-{i}", ""))[:64] for i in range(max(positions, default=-1) + 1)]
    while dx and not dx[-1].strip():
        dx.pop()
    poa = [str(form.get(f"poa-{i}", ""))[:4] for i in range(len(dx))]
    numbered = [
        int(m.group(1)) for name in form if (m := PROCEDURE_FIELD.match(str(name))) is not None
    ]
    procs = [
        ProcedureRow(
            str(form.get(f"procedures-{n}-code", ""))[:32],
            str(form.get(f"procedures-{n}-date", ""))[:16],
        )
        for n in range(max(numbered, default=-1) + 1)
    ]
    return InpatientRows(dx, poa, procs)


def parse_inpatient_entry(rows: InpatientRows) -> tuple[Claim | None, EntryProblems]:
    """The panel as an inpatient claim, or every format problem with its field."""
    problems = EntryProblems()
    dx: list[str] = []
    poa: list[str] = []
    filled = [i for i, raw in enumerate(rows.diagnoses) if (raw or "").strip()]
    if len(filled) > MAX_INPATIENT_DIAGNOSES:
        problems.add(
            f"diagnoses-{filled[MAX_INPATIENT_DIAGNOSES]}",
            TOO_MANY_DIAGNOSES.format(count=len(filled)),
        )
        return None, problems
    for i, raw in enumerate(rows.diagnoses):
        label = diagnosis_label(i)
        code = _icd(raw or "", f"diagnoses-{i}", label, problems)
        flag = (rows.poa[i] if i < len(rows.poa) else "").strip().upper()
        if flag and flag not in POA_INDICATORS:
            problems.add(f"poa-{i}", f"{label}: POA is Y, N, U, W or 1 (exempt).")
        if code:
            dx.append(code)
            poa.append(flag)
    procedures: list[ProcedureEntry] = []
    typed = [n for n, row in enumerate(rows.procedures) if row.code.strip()]
    if len(typed) > MAX_PROCEDURES:
        problems.add(
            f"procedures-{typed[MAX_PROCEDURES]}-code",
            TOO_MANY_PROCEDURES.format(count=len(typed)),
        )
        return None, problems
    for n, row in enumerate(rows.procedures):
        text = "".join(row.code.split()).upper()
        label = "Principal procedure" if n == 0 else f"Procedure {n + 1}"
        day = row.date.strip()
        if not text:
            if day:
                problems.add(f"procedures-{n}-code", f"{label}: enter the code, or clear the row.")
            continue
        if not PCS_ENTRY.match(text):
            problems.add(
                f"procedures-{n}-code",
                f"{label}: {row.code.strip()[:20]!r} is not an ICD-10-PCS code shape (up to 7 "
                "letters and digits, no I or O, e.g. 0FT44ZZ).",
            )
            continue
        if day:
            try:
                day = date.fromisoformat(day).isoformat()
            except ValueError:
                problems.add(f"procedures-{n}-date", f"{label}: the date is YYYY-MM-DD.")
                continue
        procedures.append(ProcedureEntry(text, day))
    if not dx and not procedures and not problems:
        problems.add("form", "Enter the principal diagnosis before submitting.")
    if problems:
        return None, problems
    return Claim(tuple(dx), poa=tuple(poa), procedures=tuple(procedures)), problems


__all__ = [
    "INPATIENT_DX_LABELS",
    "InpatientRows",
    "diagnosis_label",
    "ProcedureRow",
    "parse_inpatient_entry",
    "rows_from_form",
    "rows_from_mapping",
]
