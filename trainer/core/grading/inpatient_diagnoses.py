"""Inpatient diagnoses read the inpatient way: principal diagnosis, POA, a missed CC or MCC.

``diagnoses.grade_diagnoses`` aligns the list like any other claim's; this turns its verdicts
into the inpatient ones. The first keyed diagnosis is the principal diagnosis (UHDDS), so
entering it in another place is a ``principal_dx`` error; each diagnosis carries the POA
indicator the record supports (``poa_indicator``); and a keyed CC or MCC that the trainee left
off, or coded with a code that is no CC/MCC, is a ``missed_cc_mcc`` (which needs both claims'
groupings, so the MS-DRG comparison comes in).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from trainer.core.claims import AnswerKey, KeyedDiagnosis
from trainer.core.grading.diagnoses import DxOutcome
from trainer.core.grading.explanations import named
from trainer.core.grading.inpatient_wording import rule, why
from trainer.core.grading.lookups import Lookups
from trainer.core.grading.types import DrgComparison, ElementVerdict, GradeError, LineVerdict

POA_MEANING = {
    "Y": "present at the time of the inpatient admission order",
    "N": "not present at the time of the inpatient admission order",
    "U": "documentation insufficient to determine",
    "W": "clinically undetermined by the provider",
    "1": "exempt from POA reporting",
    "": "no indicator",
}


def _principal_error(
    error: GradeError, keyed: KeyedDiagnosis, lead: str, lk: Lookups
) -> GradeError:
    key = keyed.code
    text = (
        f"You reported {named(lead or None, lk.title(lead, 'icd10cm') if lead else '')} as "
        f"the principal diagnosis (FL67) and {key} in position {(error.index or 0) + 1}; the "
        f"record supports {named(key, lk.title(key, 'icd10cm'))} as principal."
        f"{why(keyed.rationale)} Rule: {rule('principal_dx')}"
    )
    return replace(error, type="principal_dx", explanation=text, direction="neutral")


def _poa_error(keyed: KeyedDiagnosis, given: str, at: int) -> GradeError:
    text = (
        f"POA for {keyed.code}: you entered {given or 'nothing'} "
        f"({POA_MEANING.get(given, given)}); the record supports {keyed.poa} "
        f"({POA_MEANING[keyed.poa]}).{why(keyed.poa_rationale)} "
        f"Rule: {rule('poa_indicator')}"
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
        f"{why(keyed.rationale)} "
        f"Rule: {rule('missed_cc_mcc')}"
    )
    return replace(error, type="missed_cc_mcc", explanation=text, direction="under")


def inpatient_diagnoses(
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


__all__ = ["POA_MEANING", "inpatient_diagnoses"]
