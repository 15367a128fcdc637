"""Grading the UB-04's claim-level fields: FL 4 (type of bill) and FL 70 (reason for visit).

A facility claim says more than its lines and diagnoses: FL 4 tells the payer what kind of
facility and care the bill is for, and FL 70 carries the patient's reason for an unscheduled
outpatient visit (what the patient came in with, which may be a symptom the work-up later
explained). Each is graded only where the key holds it, so keys written before these fields
existed (and every CMS-1500 key) grade exactly as before. The UB-04 has no diagnosis pointers,
so nothing here (or in ``lines``, for a facility key) looks at them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from trainer.core.claims import AnswerKey, Claim
from trainer.core.grading.explanations import named, sentence
from trainer.core.grading.lookups import Lookups
from trainer.core.grading.types import ElementVerdict, GradeError, LineVerdict

_FACILITY = {"1": "a hospital", "7": "a clinic", "8": "a specialty facility"}
_CARE = {
    ("1", "1"): "inpatient",
    ("1", "3"): "outpatient",
    ("7", "7"): "an FQHC",
    ("8", "3"): "an ambulatory surgery center",
}


def describe_type_of_bill(tob: str) -> str:
    """``0131: a hospital, outpatient, frequency 1``: the digits read back in words."""
    if len(tob) != 4:
        return tob
    kind = _FACILITY.get(tob[1], f"facility type {tob[1]}")
    care = _CARE.get((tob[1], tob[2]), f"care type {tob[2]}")
    return f"{tob} ({kind}, {care}, frequency {tob[3]})"


def _type_of_bill(key: AnswerKey, answer: Claim) -> LineVerdict | None:
    if not key.type_of_bill:
        return None
    given = answer.type_of_bill.strip() or None
    ok = given == key.type_of_bill
    errors: tuple[GradeError, ...] = ()
    if not ok:
        entered = (
            f"You entered type of bill {describe_type_of_bill(given)}"
            if given
            else "You left FL 4 (type of bill) empty"
        )
        text = sentence(
            entered,
            f"this chart is billed as {describe_type_of_bill(key.type_of_bill)}",
            "wrong_type_of_bill",
        )
        errors = (
            GradeError(
                "wrong_type_of_bill",
                key.type_of_bill,
                given,
                text,
                "type_of_bill",
                0,
                "type_of_bill",
            ),
        )
    return LineVerdict(
        "type_of_bill",
        0,
        0 if given else None,
        key.type_of_bill,
        given,
        ok,
        (ElementVerdict("type_of_bill", key.type_of_bill, given, ok),),
        errors,
    )


def _reason_error(expected: str | None, given: str | None, index: int, text: str) -> GradeError:
    return GradeError(
        "wrong_reason_for_visit", expected, given, text, "reason_for_visit", index, "code"
    )


def _reasons(key: AnswerKey, entered: Sequence[str], lk: Lookups) -> list[LineVerdict]:
    """Each keyed FL 70 code is one item; order within a-c does not matter."""
    if not key.reason_for_visit:
        return []
    codes = [lk.norm_dx(c) for c in entered if c and c.strip()]
    used: set[int] = set()
    verdicts: list[LineVerdict] = []
    unmatched: list[int] = []
    for j, kd in enumerate(key.reason_for_visit):
        accepted = {lk.norm_dx(c) for c in (kd.code, *kd.alternates)}
        hit = next((i for i, c in enumerate(codes) if i not in used and c in accepted), None)
        if hit is None:
            unmatched.append(j)
            continue
        used.add(hit)
        verdicts.append(
            LineVerdict(
                "reason_for_visit",
                j,
                hit,
                kd.code,
                codes[hit],
                True,
                (ElementVerdict("code", kd.code, codes[hit], True),),
                (),
            )
        )
    for j in unmatched:
        kd = key.reason_for_visit[j]
        left = next((i for i in range(len(codes)) if i not in used), None)
        if left is None and kd.optional:
            continue
        if left is not None:
            used.add(left)
        given = codes[left] if left is not None else None
        entered_text = (
            f"You entered {named(given, lk.title(given, 'icd10cm'))} as the reason for visit"
            if given
            else "You left FL 70 (patient's reason for visit) without this code"
        )
        supported = f"the patient came in with {named(kd.code, lk.title(kd.code, 'icd10cm'))}"
        err = _reason_error(
            kd.code,
            given,
            left if left is not None else j,
            sentence(entered_text, supported, "wrong_reason_for_visit", kd.rationale),
        )
        verdicts.append(
            LineVerdict(
                "reason_for_visit",
                j,
                left,
                kd.code,
                given,
                False,
                (ElementVerdict("code", kd.code, given, False),),
                (err,),
            )
        )
    for i, code in enumerate(codes):
        if i in used:
            continue
        text = sentence(
            f"You entered {named(code, lk.title(code, 'icd10cm'))} in FL 70",
            "the key's reasons for visit are " + ", ".join(kd.code for kd in key.reason_for_visit),
            "wrong_reason_for_visit",
        )
        verdicts.append(
            LineVerdict(
                "reason_for_visit",
                None,
                i,
                None,
                code,
                False,
                (ElementVerdict("code", None, code, False),),
                (_reason_error(None, code, i, text),),
            )
        )
    return verdicts


def grade_header(key: AnswerKey, answer: Claim, dos: date, lk: Lookups) -> tuple[LineVerdict, ...]:
    """The UB-04 claim-level verdicts (none on a professional key or one without them)."""
    if key.setting != "facility":
        return ()
    del dos  # FL 4 and FL 70 are compared with the key; validity is the key's checker's job
    found = [v for v in (_type_of_bill(key, answer),) if v is not None]
    found.extend(_reasons(key, answer.reason_for_visit, lk))
    return tuple(found)


__all__ = ["describe_type_of_bill", "grade_header"]
