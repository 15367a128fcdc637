"""Inpatient ICD-10-PCS procedures (UB-04 FL 74) graded axis by axis, with their dates.

The procedures of a stay are aligned exact code (or accepted alternate) first, then the
closest code of the same section and body system; a close code is a ``pcs_axis`` error naming
the axes that differ (``wrong_axes``), the principal procedure must be listed first, and each
procedure carries the date its procedure note documents (``procedure_date``, FL 74's date,
located by ``procedure_locator``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from trainer.core.claims import KeyedProcedure, ProcedureEntry
from trainer.core.grading.explanations import named
from trainer.core.grading.inpatient_wording import rule, why
from trainer.core.grading.lookups import Lookups
from trainer.core.grading.types import Direction, ElementVerdict, GradeError, LineVerdict

PCS = "icd10pcs"
_INVALID = {
    "header": "header_code",
    "not_effective": "not_valid_on_dos",
    "deleted": "not_valid_on_dos",
    "out_of_years": "not_valid_on_dos",
}


def _agreement(a: str, b: str) -> int:
    return sum(1 for x, y in zip(a, b, strict=False) if x == y)


def wrong_axes(expected: str, given: str, lk: Lookups) -> tuple[str, ...]:
    """The axes (by their section's names) where ``given`` differs from ``expected``."""
    names = [axis for axis, _, _ in lk.pcs_axes(expected)]
    return tuple(
        names[n] if n < len(names) else f"character {n + 1}"
        for n in range(7)
        if (expected[n : n + 1] or "") != (given[n : n + 1] or "")
    )


def _axis_error(keyed: KeyedProcedure, given: str, at: int, lk: Lookups) -> GradeError:
    want = lk.pcs_axes(keyed.code)
    got = lk.pcs_axes(given)
    wrong = []
    for n, (axis, char, label) in enumerate(want):
        other = given[n : n + 1]
        if other != char:
            meant = got[n][2] if n < len(got) else other
            wrong.append(f"{axis} {other} ({meant}) where the record supports {char} ({label})")
    text = (
        f"You reported {named(given, lk.title(given, PCS))}; the record supports "
        f"{named(keyed.code, lk.title(keyed.code, PCS))}. Wrong axis: {'; '.join(wrong)}."
        f"{why(keyed.rationale)} Rule: {rule('pcs_axis')}"
    )
    return GradeError("pcs_axis", keyed.code, given, text, "procedure", at, "code", "neutral")


def procedure_locator(at: int) -> str:
    """The form locator of the ``at``-th procedure entered (0-based): FL 74 for the principal,
    74a-e for the next five, past them only the 837I carries it."""
    if at == 0:
        return "FL 74"
    return f"FL 74{'abcde'[at - 1]}" if at <= 5 else f"837I procedure {at + 1}"


def _us_date(iso: str) -> str:
    """An ISO date as a chart prints it (MM/DD/YYYY); anything else as given."""
    try:
        return date.fromisoformat(iso).strftime("%m/%d/%Y")
    except ValueError:
        return iso


def _date_error(keyed: KeyedProcedure, code: str, given: str, at: int) -> GradeError:
    """A keyed procedure's date (from its procedure note) missing or different on the claim."""
    where = procedure_locator(at)
    entered = f"entered {_us_date(given)}" if given else "left the date empty"
    text = (
        f"Procedure date of {code} ({where}): you {entered}; the procedure note documents "
        f"{_us_date(keyed.date)}. Rule: {rule('procedure_date')}"
    )
    return GradeError(
        "procedure_date", keyed.date, given or None, text, "procedure", at, "date", "neutral"
    )


def grade_procedures(
    keyed: Sequence[KeyedProcedure], entered: Sequence[ProcedureEntry], dos: date, lk: Lookups
) -> tuple[LineVerdict, ...]:
    """Align ICD-10-PCS codes: exact (or an accepted alternate), then the closest code of the
    same section and body system, judged axis by axis; the rest are missing or extra."""
    codes = ["".join(p.code.split()).upper() for p in entered]
    keys = [k.code.upper() for k in keyed]
    pairs: dict[int, int] = {}
    for j, k in enumerate(keyed):
        accepted = {keys[j], *(a.upper() for a in k.alternates)}
        for at, code in enumerate(codes):
            if at not in pairs.values() and code and code in accepted:
                pairs[j] = at
                break
    exact = dict(pairs)
    options = sorted(
        (-_agreement(codes[i], keys[j]), j, i)
        for j in range(len(keys))
        if j not in pairs
        for i in range(len(codes))
        if i not in pairs.values() and codes[i] and codes[i][:2] == keys[j][:2]
    )
    for _, kj, ei in options:
        if kj not in pairs and ei not in pairs.values():
            pairs[kj] = ei
    verdicts: list[LineVerdict] = []
    for j, k in enumerate(keyed):
        i = pairs.get(j)
        errors: list[GradeError] = []
        ok = j in exact
        if i is None:
            text = (
                f"You did not report {named(keys[j], lk.title(keys[j], PCS))}; the record "
                f"documents it.{why(k.rationale)} Rule: {rule('missing_code')}"
            )
            errors.append(
                GradeError("missing_code", keys[j], None, text, "procedure", j, "code", "under")
            )
        elif not ok:
            check = lk.check(codes[i], PCS, dos)
            if check.valid:
                errors.append(_axis_error(k, codes[i], i, lk))
            else:
                kind = _INVALID.get(check.reason or "", "invalid_code")
                text = (
                    f"{check.message or codes[i]}; the record supports "
                    f"{named(keys[j], lk.title(keys[j], PCS))}. Rule: {rule(kind)}"
                )
                errors.append(
                    GradeError(kind, keys[j], codes[i], text, "procedure", i, "code", "under")
                )
        elements = [ElementVerdict("code", keys[j], codes[i] if i is not None else None, ok)]
        if i is not None and k.date:  # a key without a date (an older stored key): not graded
            given_date = entered[i].date.strip()
            dated = given_date == k.date
            elements.append(ElementVerdict("date", k.date, given_date or None, dated))
            if not dated:
                ok = False
                errors.append(_date_error(k, codes[i], given_date, i))
        if j == 0 and i is not None:
            first = i == 0
            elements.append(ElementVerdict("sequence", "1", str(i + 1), first))
            if not first:
                ok = False
                lead = codes[0]
                text = (
                    f"You listed {lead} as the principal procedure (FL74) and {codes[i]} in "
                    f"position {i + 1}; the principal procedure is {keys[0]}.{why(k.rationale)} "
                    f"Rule: {rule('principal_procedure')}"
                )
                errors.append(
                    GradeError("sequencing", keys[0], lead, text, "procedure", i, "sequence")
                )
        verdicts.append(
            LineVerdict(
                "procedure",
                j,
                i,
                keys[j],
                codes[i] if i is not None else None,
                ok,
                tuple(elements),
                tuple(errors),
            )
        )
    for n, code in enumerate(codes):
        if not code or n in pairs.values():
            continue
        check = lk.check(code, PCS, dos)
        kind = "extra_code" if check.valid else _INVALID.get(check.reason or "", "invalid_code")
        detail = named(code, lk.title(code, PCS)) if check.valid else (check.message or code)
        text = f"You reported {detail}; the key does not code it for this stay. Rule: {rule(kind)}"
        direction: Direction = "over" if check.valid else "neutral"
        error = GradeError(kind, None, code, text, "procedure", n, "code", direction)
        verdicts.append(
            LineVerdict(
                "procedure",
                None,
                n,
                None,
                code,
                False,
                (ElementVerdict("code", None, code, False),),
                (error,),
            )
        )
    return tuple(verdicts)


__all__ = ["grade_procedures", "procedure_locator", "wrong_axes"]
