"""Inpatient facility grading: principal diagnosis, POA, ICD-10-PCS procedures, the MS-DRG.

The diagnosis list is aligned by ``diagnoses.grade_diagnoses`` like any other claim; this
module then reads it the inpatient way: the first keyed diagnosis is the principal diagnosis
(UHDDS), so entering it in another place is a ``principal_dx`` error, each diagnosis carries a
POA indicator the record supports (``poa_indicator``), and a keyed CC or MCC that the trainee
left off, or coded with a code that is no CC/MCC, is a ``missed_cc_mcc``. Procedures are
ICD-10-PCS codes compared axis by axis (``pcs_axis`` names the axes that differ), each with
the date its procedure note documents (``procedure_date``, UB-04 FL 74). Both claims
are grouped (``drg``) and a different MS-DRG is a ``drg_mismatch`` with both weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from trainer.core.claims import AnswerKey, KeyedDiagnosis, KeyedProcedure, ProcedureEntry
from trainer.core.grading.diagnoses import DxOutcome
from trainer.core.grading.drg import DrgResult, group_stay
from trainer.core.grading.explanations import INPATIENT_RULES, RULES, named
from trainer.core.grading.lookups import Lookups
from trainer.core.grading.types import (
    Direction,
    DrgComparison,
    ElementVerdict,
    GradeError,
    LineVerdict,
    PatientFacts,
)

PCS = "icd10pcs"
_INVALID = {
    "header": "header_code",
    "not_effective": "not_valid_on_dos",
    "deleted": "not_valid_on_dos",
    "out_of_years": "not_valid_on_dos",
}
POA_MEANING = {
    "Y": "present at the time of the inpatient admission order",
    "N": "not present at the time of the inpatient admission order",
    "U": "documentation insufficient to determine",
    "W": "clinically undetermined by the provider",
    "1": "exempt from POA reporting",
    "": "no indicator",
}


@dataclass(frozen=True, slots=True)
class InpatientOutcome:
    diagnoses: tuple[LineVerdict, ...]
    procedures: tuple[LineVerdict, ...]
    errors: tuple[GradeError, ...]
    drg: DrgComparison


def _rule(kind: str) -> str:
    text = INPATIENT_RULES.get(kind) or RULES.get(kind, "")
    return text[:1].upper() + text[1:]


def _why(rationale: str) -> str:
    text = rationale.strip()
    if not text:
        return ""
    return " " + (text if text.endswith((".", "!", "?")) else text + ".")


# --------------------------------------------------------------------------- diagnoses


def _principal_error(
    error: GradeError, keyed: KeyedDiagnosis, lead: str, lk: Lookups
) -> GradeError:
    key = keyed.code
    text = (
        f"You reported {named(lead or None, lk.title(lead, 'icd10cm') if lead else '')} as "
        f"the principal diagnosis (FL67) and {key} in position {(error.index or 0) + 1}; the "
        f"record supports {named(key, lk.title(key, 'icd10cm'))} as principal."
        f"{_why(keyed.rationale)} Rule: {_rule('principal_dx')}"
    )
    return replace(error, type="principal_dx", explanation=text, direction="neutral")


def _poa_error(keyed: KeyedDiagnosis, given: str, at: int) -> GradeError:
    text = (
        f"POA for {keyed.code}: you entered {given or 'nothing'} "
        f"({POA_MEANING.get(given, given)}); the record supports {keyed.poa} "
        f"({POA_MEANING[keyed.poa]}).{_why(keyed.poa_rationale)} "
        f"Rule: {_rule('poa_indicator')}"
    )
    return GradeError("poa_indicator", keyed.poa, given or None, text, "diagnosis", at, "poa")


def _poa_ok(expected: str, given: str) -> bool:
    if expected in ("", "1"):  # exempt codes: "1" or left blank are both right
        return given in ("", "1") or not expected
    return given == expected


def _missed_cc(
    error: GradeError, keyed: KeyedDiagnosis, impact: str, grouped: DrgComparison, lk: Lookups
) -> GradeError:
    given = error.given
    if given:
        lead = (
            f"You reported {named(given, lk.title(given, 'icd10cm'))}, which does not count "
            f"as a CC or MCC on this stay, for {keyed.code}"
        )
    else:
        lead = f"You did not report {named(keyed.code, lk.title(keyed.code, 'icd10cm'))}"
    text = (
        f"{lead}; the record documents it and it is {'an' if impact == 'MCC' else 'a'} "
        f"{impact} that sets the key's MS-DRG {grouped.key.drg} ({grouped.key.title})."
        f"{_why(keyed.rationale)} "
        f"Rule: {_rule('missed_cc_mcc')}"
    )
    return replace(error, type="missed_cc_mcc", explanation=text, direction="under")


def _inpatient_diagnoses(
    key: AnswerKey,
    dx: DxOutcome,
    codes: Sequence[str],
    poa: Sequence[str],
    grouped: DrgComparison,
    lk: Lookups,
) -> tuple[LineVerdict, ...]:
    counted = {s.code: s.severity for s in grouped.key.secondaries if s.counted}
    given_counted = {s.code for s in grouped.given.secondaries if s.counted}
    found: list[LineVerdict] = []
    for verdict in dx.verdicts:
        j, i = verdict.key_index, verdict.answer_index
        if j is None:
            found.append(verdict)
            continue
        keyed = key.diagnoses[j]
        errors = list(verdict.errors)
        elements = list(verdict.elements)
        ok = verdict.correct
        lead = codes[0] if codes else ""
        errors = [
            _principal_error(e, keyed, lead, lk) if j == 0 and e.type == "sequencing" else e
            for e in errors
        ]
        impact = counted.get(keyed.code.replace(".", "")) if j > 0 else None
        given_bare = (verdict.given or "").replace(".", "")
        if impact and given_bare not in given_counted:
            errors = [
                _missed_cc(e, keyed, impact, grouped, lk)
                if e.type not in ("sequencing", "principal_dx")
                else e
                for e in errors
            ] or errors
        if i is not None and keyed.poa:
            given = poa[i] if i < len(poa) else ""
            right = _poa_ok(keyed.poa, given)
            elements.append(ElementVerdict("poa", keyed.poa, given or None, right))
            if not right:
                ok = False
                errors.append(_poa_error(keyed, given, i))
        found.append(replace(verdict, correct=ok, elements=tuple(elements), errors=tuple(errors)))
    return tuple(found)


# --------------------------------------------------------------------------- procedures


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
        f"{_why(keyed.rationale)} Rule: {_rule('pcs_axis')}"
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
        f"{_us_date(keyed.date)}. Rule: {_rule('procedure_date')}"
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
                f"documents it.{_why(k.rationale)} Rule: {_rule('missing_code')}"
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
                    f"{named(keys[j], lk.title(keys[j], PCS))}. Rule: {_rule(kind)}"
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
                    f"position {i + 1}; the principal procedure is {keys[0]}.{_why(k.rationale)} "
                    f"Rule: {_rule('principal_procedure')}"
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
        text = f"You reported {detail}; the key does not code it for this stay. Rule: {_rule(kind)}"
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


# --------------------------------------------------------------------------- MS-DRG


def group_claim(
    diagnoses: Sequence[str],
    poa: Sequence[str],
    procedures: Sequence[str],
    dos: date,
    patient: PatientFacts | None,
) -> DrgResult:
    """The MS-DRG of one claim: the first diagnosis is the principal."""
    listed = [d for d in diagnoses if d]
    aligned = [poa[n] if n < len(poa) else "" for n, d in enumerate(diagnoses) if d]
    return group_stay(
        listed[0] if listed else "",
        tuple(listed[1:]),
        tuple(aligned[1:]),
        tuple(p for p in procedures if p),
        age=patient.age if patient else 65,
        sex=patient.sex if patient else "U",
        discharge=dos,
    )


def _drg_error(grouped: DrgComparison) -> GradeError:
    key, given = grouped.key, grouped.given
    diff = grouped.difference

    def show(result: DrgResult) -> str:
        weight = (
            f"relative weight {result.weight:.4f}" if result.weight is not None else "no weight"
        )
        return f"MS-DRG {result.drg} ({result.title}, {weight})"

    change = f"; difference {diff:+.4f}" if diff is not None else ""
    if given.initial_drg and given.initial_drg != given.drg:
        change += (
            f"; your POA indicators made a hospital-acquired condition of a CC/MCC, moving "
            f"DRG {given.initial_drg} to {given.drg}"
        )
    text = (
        f"Your claim groups to {show(given)}; the key groups to {show(key)} "
        f"(grouper {key.version}){change}. Rule: {_rule('drg_mismatch')}"
    )
    direction: Direction = (
        "neutral" if diff is None or diff == 0 else "under" if diff < 0 else "over"
    )
    return GradeError("drg_mismatch", key.drg, given.drg, text, "drg", None, "code", direction)


def grade_inpatient(
    key: AnswerKey,
    dx: DxOutcome,
    codes: Sequence[str],
    poa: Sequence[str],
    procedures: Sequence[ProcedureEntry],
    dos: date,
    lk: Lookups,
    patient: PatientFacts | None,
) -> InpatientOutcome:
    """Read the aligned diagnoses the inpatient way, grade the procedures, group both claims."""
    key_claim = key.as_claim()
    grouped = DrgComparison(
        group_claim(
            [lk.norm_dx(c) for c in key_claim.diagnoses],
            key_claim.poa,
            [p.code for p in key.procedures],
            dos,
            patient,
        ),
        group_claim(codes, poa, [p.code for p in procedures], dos, patient),
    )
    diagnoses = _inpatient_diagnoses(key, dx, codes, poa, grouped, lk)
    procs = grade_procedures(key.procedures, procedures, dos, lk)
    errors = [e for v in diagnoses for e in v.errors] + [e for v in procs for e in v.errors]
    if not grouped.same:
        errors.append(_drg_error(grouped))
    return InpatientOutcome(diagnoses, procs, tuple(errors), grouped)


__all__ = [
    "InpatientOutcome",
    "grade_inpatient",
    "grade_procedures",
    "group_claim",
    "procedure_locator",
    "wrong_axes",
]
