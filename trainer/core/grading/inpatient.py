"""Inpatient facility grading: principal diagnosis, POA, ICD-10-PCS procedures, the MS-DRG.

The diagnosis list is aligned by ``diagnoses.grade_diagnoses`` like any other claim; inpatient
grading then reads it the inpatient way: the first keyed diagnosis is the principal diagnosis
(UHDDS), so entering it in another place is a ``principal_dx`` error, each diagnosis carries a
POA indicator the record supports (``poa_indicator``), and a keyed CC or MCC that the trainee
left off, or coded with a code that is no CC/MCC, is a ``missed_cc_mcc``. Procedures are
ICD-10-PCS codes compared axis by axis (``pcs_axis`` names the axes that differ), each with
the date its procedure note documents (``procedure_date``, UB-04 FL 74). Both claims
are grouped (``drg``) and a different MS-DRG is a ``drg_mismatch`` with both weights.

This is the front door (``grade_inpatient``, called by the grader) and the MS-DRG part; the
diagnoses are read in ``inpatient_diagnoses``, the procedures graded in ``inpatient_procedures``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from trainer.core.claims import AnswerKey, ProcedureEntry
from trainer.core.grading.diagnoses import DxOutcome
from trainer.core.grading.drg import DrgResult, group_stay
from trainer.core.grading.inpatient_diagnoses import inpatient_diagnoses
from trainer.core.grading.inpatient_procedures import (
    grade_procedures,
    procedure_locator,
    wrong_axes,
)
from trainer.core.grading.inpatient_wording import rule
from trainer.core.grading.lookups import Lookups
from trainer.core.grading.types import (
    Direction,
    DrgComparison,
    GradeError,
    LineVerdict,
    PatientFacts,
)


@dataclass(frozen=True, slots=True)
class InpatientOutcome:
    diagnoses: tuple[LineVerdict, ...]
    procedures: tuple[LineVerdict, ...]
    errors: tuple[GradeError, ...]
    drg: DrgComparison


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
        f"(grouper {key.version}){change}. Rule: {rule('drg_mismatch')}"
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
    diagnoses = inpatient_diagnoses(key, dx, codes, poa, grouped, lk)
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
