"""The grader: a pure function from (key, answer, policy, date of service) to a Grade.

It never raises on anything a user can send: unknown or malformed codes, duplicates, empty
claims, absurd units and dates outside the loaded code-set years all become graded errors
with explanations (see ``grading_lookup.Lookups``, which absorbs catalog failures). The key
is the authority: an entered code equal to a keyed code is right even if the catalog would
question it, so a key graded against itself always scores 1.

Keys may carry whole alternative claims (``AnswerKey.alternate_sets``); the answer is graded
against each and the best result under the chosen policy is kept (ties go to the primary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from trainer.core.claims import AnswerKey, Claim, KeyedDiagnosis, KeyedLine, ServiceLine
from trainer.core.grading.claim_edits import replay_edits
from trainer.core.grading.diagnoses import DxOutcome, grade_diagnoses
from trainer.core.grading.em import explain_em
from trainer.core.grading.inpatient import grade_inpatient
from trainer.core.grading.lines import grade_lines, normalize_line
from trainer.core.grading.lookups import Lookups, lookups_for
from trainer.core.grading.place_of_service import grade_place_of_service
from trainer.core.grading.scoring import tally
from trainer.core.grading.types import (
    ERROR_TYPES,
    POLICIES,
    EditResult,
    ElementVerdict,
    Grade,
    GradeError,
    LineVerdict,
    PatientFacts,
    Policy,
)
from trainer.core.grading.ub04 import grade_header

_SAME_KEY: dict[int, tuple[AnswerKey, Lookups, tuple[AnswerKey, ...]]] = {}


def _variants(key: AnswerKey, lk: Lookups) -> tuple[AnswerKey, ...]:
    """The prepared variants of a key; the same key object is found without hashing it."""
    hit = _SAME_KEY.get(id(key))
    if hit is not None and hit[0] is key and hit[1] is lk:
        return hit[2]
    found = _prepared(key, lk)
    if len(_SAME_KEY) > 4096:
        _SAME_KEY.clear()
    _SAME_KEY[id(key)] = (key, lk, found)
    return found


@lru_cache(maxsize=4096)
def _prepared(key: AnswerKey, lk: Lookups) -> tuple[AnswerKey, ...]:
    """The key and its alternate claims, every code normalised once and remembered."""
    by_dx = {d.code: d for d in key.diagnoses}
    by_line = {k.line.code: k for k in key.lines}
    keys = [key]
    for alt in key.alternate_sets:
        dx = tuple(
            replace(by_dx[c], alternates=()) if c in by_dx else KeyedDiagnosis(c)
            for c in alt.diagnoses
        )
        lines = tuple(
            KeyedLine(
                ln,
                by_line[ln.code].rationale if ln.code in by_line else "",
                (),
                by_line[ln.code].optional_modifiers if ln.code in by_line else (),
                by_line[ln.code].optional if ln.code in by_line else False,
            )
            for ln in alt.lines
        )
        keys.append(
            AnswerKey(
                dx,
                lines,
                key.setting,
                (),
                key.em,
                key.not_coded,
                key.type_of_bill,
                key.reason_for_visit,
                claim_type=key.claim_type,
                procedures=key.procedures,
                place_of_service=key.place_of_service,
            )
        )
    return tuple(
        replace(
            k,
            lines=tuple(replace(kl, line=normalize_line(kl.line, lk)) for kl in k.lines),
        )
        for k in keys
    )


def _grade_one(
    key: AnswerKey,
    answer: Claim,
    diagnoses: Sequence[str],
    lines: tuple[ServiceLine, ...],
    entered: int,
    policy: Policy,
    dos: date,
    lk: Lookups,
    edits: tuple[EditResult, ...],
    variant: int,
    patient: PatientFacts | None = None,
) -> Grade:
    dx = grade_diagnoses(key.diagnoses, diagnoses, dos, lk, key.not_coded)
    if key.setting == "inpatient":
        return _grade_stay(key, dx, answer, entered, policy, dos, lk, variant, patient)
    ln = grade_lines(key.lines, lines, dx, dos, lk, key.not_coded, key.edit_setting())
    em = None
    line_errors = ln.errors
    line_verdicts = ln.verdicts
    if key.em is not None:
        em = explain_em(key.em, ln.em_pair[1] if ln.em_pair else None)
        if any(e.type.startswith("em_level") for e in line_errors):
            line_verdicts = tuple(_with_em(v, em.summary) for v in line_verdicts)
            line_errors = tuple(e for v in line_verdicts for e in v.errors)
    pos = grade_place_of_service(key, answer, lk)
    header = grade_header(key, answer, dos, lk) + ((pos,) if pos is not None else ())
    verdicts = dx.verdicts + line_verdicts + header
    if header:  # the FL 70 codes entered are entries too (FL 4 is one keyed item)
        entered += sum(1 for v in header if v.target == "reason_for_visit" and v.given)
        entered += sum(1 for v in header if v.target == "type_of_bill" and v.given)
        entered += sum(1 for v in header if v.target == "place_of_service" and v.given)
    counts = tally(verdicts, entered)
    scores = tuple((p, counts.score(p)) for p in POLICIES)
    audit = counts.score("audit")
    return Grade(
        policy=policy,
        score=counts.score(policy),
        scores=scores,
        code_correct=counts.correct,
        code_total=counts.keyed + counts.extras,
        code_accuracy=audit,
        chart_correct=counts.chart_correct,
        diagnoses=dx.verdicts,
        lines=line_verdicts,
        errors=dx.errors + line_errors + tuple(e for v in header for e in v.errors),
        edits=edits,
        em=em,
        key_variant=variant,
        header=header,
    )


def _grade_stay(
    key: AnswerKey,
    dx: DxOutcome,
    answer: Claim,
    entered: int,
    policy: Policy,
    dos: date,
    lk: Lookups,
    variant: int,
    patient: PatientFacts | None,
) -> Grade:
    """An inpatient claim: diagnoses with POA, ICD-10-PCS procedures, both DRGs."""
    stay = grade_inpatient(key, dx, dx.codes, answer.poa, answer.procedures, dos, lk, patient)
    counts = tally(stay.diagnoses + stay.procedures, entered)
    return Grade(
        policy=policy,
        score=counts.score(policy),
        scores=tuple((p, counts.score(p)) for p in POLICIES),
        code_correct=counts.correct,
        code_total=counts.keyed + counts.extras,
        code_accuracy=counts.score("audit"),
        chart_correct=counts.chart_correct,
        diagnoses=stay.diagnoses,
        lines=(),
        errors=stay.errors,
        edits=(),
        key_variant=variant,
        procedures=stay.procedures,
        drg=stay.drg,
    )


def _with_em(verdict: LineVerdict, summary: str) -> LineVerdict:
    """Add the E/M element table's summary to an E/M level error's explanation."""
    if not any(e.type.startswith("em_level") for e in verdict.errors):
        return verdict
    errors = tuple(
        replace(e, explanation=f"{e.explanation} {summary}") if e.type.startswith("em_level") else e
        for e in verdict.errors
    )
    return replace(verdict, errors=errors)


def grade(
    key: AnswerKey,
    answer: Claim,
    policy: Policy = "strict",
    date_of_service: date | None = None,
    *,
    catalog: Any,
    patient: PatientFacts | None = None,
) -> Grade:
    """Grade ``answer`` against ``key`` on ``date_of_service`` (today when None).

    ``policy`` must be one of POLICIES (a ValueError otherwise: the caller validates it).
    """
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {', '.join(POLICIES)}")
    dos = date_of_service or date.today()
    lk = lookups_for(catalog)
    lines = tuple(normalize_line(line, lk) for line in answer.lines)
    dx_codes = tuple(lk.norm_dx(c) if c and c.strip() else "" for c in answer.diagnoses)
    entered = sum(1 for c in dx_codes if c) + sum(1 for line in lines if line.code)
    entered += sum(1 for p in answer.procedures if p.code.strip())
    edits = (
        ()
        if key.setting == "inpatient"
        else replay_edits(lines, dx_codes, dos, lk, key.edit_setting(), patient)
    )
    best: Grade | None = None
    for n, variant in enumerate(_variants(key, lk)):
        result = _grade_one(
            variant, answer, answer.diagnoses, lines, entered, policy, dos, lk, edits, n, patient
        )
        if best is None or (result.score, result.code_accuracy) > (best.score, best.code_accuracy):
            best = result
    assert best is not None  # _variants always holds the key itself
    return best


__all__ = [
    "ERROR_TYPES",
    "POLICIES",
    "EditResult",
    "ElementVerdict",
    "Grade",
    "GradeError",
    "LineVerdict",
    "PatientFacts",
    "Policy",
    "grade",
]
