"""The grader's result types: what a trainee reads, and what the JSON endpoint returns.

Everything is a frozen dataclass so that a grade can be stored with an attempt and compared
when a corrected key regrades it. ``Grade.to_dict`` is the response body of
``POST /api/v1/grade`` (issue 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from trainer.core.grading.drg import DrgResult
from trainer.core.grading.em import EMExplanation

Policy = Literal["strict", "audit", "exam"]
POLICIES: tuple[Policy, ...] = ("strict", "audit", "exam")
POLICY_LABELS: dict[Policy, str] = {
    "strict": "Strict (Practicode-style)",
    "audit": "Audit",
    "exam": "Exam",
}
Direction = Literal["under", "over", "neutral"]
Target = Literal[
    "diagnosis", "line", "type_of_bill", "reason_for_visit", "procedure", "drg", "place_of_service"
]
Element = Literal[
    "code",
    "modifier",
    "units",
    "sequence",
    "pointers",
    "revenue_code",
    "type_of_bill",
    "poa",
    "date",
    "place_of_service",
]
Action = Literal["pay", "deny", "reduce"]

ERROR_TYPES: tuple[str, ...] = (
    "invalid_code",
    "header_code",
    "not_valid_on_dos",
    "wrong_code",
    "specificity",
    "laterality",
    "seventh_character",
    "sequencing",
    "missing_code",
    "extra_code",
    "excludes1_conflict",
    "missing_modifier",
    "extra_modifier",
    "wrong_modifier",
    "wrong_units",
    "wrong_revenue_code",
    "wrong_pointer",
    "wrong_type_of_bill",
    "wrong_reason_for_visit",
    "wrong_place_of_service",
    "ncci_unbundled",
    "mue_exceeded",
    "addon_without_primary",
    "em_level_high",
    "em_level_low",
    # inpatient facility coding (issue 19)
    "principal_dx",
    "poa_indicator",
    "pcs_axis",
    "drg_mismatch",
    "missed_cc_mcc",
    "procedure_date",
)

# What the progress page calls each error type (a slug without a label reads as its words).
ERROR_LABELS: dict[str, str] = {
    "invalid_code": "Invalid code",
    "header_code": "Header code (needs more characters)",
    "not_valid_on_dos": "Not valid on the date of service",
    "wrong_code": "Wrong code",
    "specificity": "Specificity",
    "laterality": "Laterality",
    "seventh_character": "7th character or placeholder",
    "sequencing": "Sequencing",
    "missing_code": "Missing code",
    "extra_code": "Extra or unsupported code",
    "excludes1_conflict": "Excludes1 conflict",
    "missing_modifier": "Missing modifier",
    "extra_modifier": "Extra modifier",
    "wrong_modifier": "Wrong modifier",
    "wrong_units": "Wrong units",
    "wrong_revenue_code": "Wrong revenue code",
    "wrong_pointer": "Wrong diagnosis pointer",
    "wrong_type_of_bill": "Wrong type of bill (UB-04 FL 4)",
    "wrong_place_of_service": "Wrong place of service (CMS-1500 box 24B)",
    "wrong_reason_for_visit": "Wrong patient's reason for visit (UB-04 FL 70)",
    "ncci_unbundled": "NCCI unbundling",
    "mue_exceeded": "Units over the MUE",
    "addon_without_primary": "Add-on code without its primary",
    "em_level_high": "E/M level too high",
    "em_level_low": "E/M level too low",
    "principal_dx": "Principal diagnosis selection",
    "poa_indicator": "Present-on-admission indicator",
    "pcs_axis": "ICD-10-PCS axis",
    "drg_mismatch": "MS-DRG differs",
    "missed_cc_mcc": "Missed CC/MCC",
    "procedure_date": "Procedure date (UB-04 FL 74)",
}


def error_label(slug: str) -> str:
    """The progress page's name for an error type."""
    return ERROR_LABELS.get(slug) or slug.replace("_", " ").capitalize()


Sex = Literal["F", "M"]


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """The demographics the age and sex edits need."""

    age: int
    sex: Sex
    payer: str = ""


@dataclass(frozen=True, slots=True)
class GradeError:
    """One error, explained: what was entered, what the key supports, and the rule.

    ``index`` is the 0-based position of the entered item the error is about; for a missing
    item (nothing entered) it is the position of the keyed item instead.
    ``direction`` is the revenue effect an auditor records (under-coded, over-coded).
    """

    type: str
    expected: str | None
    given: str | None
    explanation: str
    target: Target
    index: int | None
    element: Element
    direction: Direction = "neutral"

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "expected": self.expected,
            "given": self.given,
            "explanation": self.explanation,
            "target": self.target,
            "index": self.index,
            "element": self.element,
            "direction": self.direction,
        }


@dataclass(frozen=True, slots=True)
class ElementVerdict:
    """One element of a line (code, modifiers, units, pointers, revenue code, sequence)."""

    element: Element
    expected: str | None
    given: str | None
    correct: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "expected": self.expected,
            "given": self.given,
            "correct": self.correct,
        }


@dataclass(frozen=True, slots=True)
class LineVerdict:
    """A keyed item and the entered item it was matched with (either may be absent).

    ``correct`` is whether the item earns its point: for a diagnosis, the accepted code (and,
    for the first-listed, the first position); for a procedure line, the code with every
    modifier, the units and the revenue code right.
    """

    target: Target
    key_index: int | None
    answer_index: int | None
    expected: str | None
    given: str | None
    correct: bool
    elements: tuple[ElementVerdict, ...]
    errors: tuple[GradeError, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "key_index": self.key_index,
            "answer_index": self.answer_index,
            "expected": self.expected,
            "given": self.given,
            "correct": self.correct,
            "elements": [e.to_dict() for e in self.elements],
            "errors": [e.type for e in self.errors],
        }


@dataclass(frozen=True, slots=True)
class EditResult:
    """What a payer's claim editor would do with one entered line, and why."""

    line_index: int
    action: Action
    reason: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "line_index": self.line_index,
            "action": self.action,
            "reason": self.reason,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class DrgComparison:
    """The MS-DRG of the key's claim and of the trainee's, side by side."""

    key: DrgResult
    given: DrgResult

    @property
    def same(self) -> bool:
        return self.key.drg == self.given.drg

    @property
    def difference(self) -> float | None:
        """Trainee's relative weight minus the key's (negative: the claim would be underpaid)."""
        if self.key.weight is None or self.given.weight is None:
            return None
        return round(self.given.weight - self.key.weight, 4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key.to_dict(),
            "given": self.given.to_dict(),
            "same": self.same,
            "difference": self.difference,
        }


@dataclass(frozen=True, slots=True)
class Grade:
    """The whole verdict on one answer.

    ``score`` is the chosen policy's score; ``scores`` holds all three so a supervisor can
    compare them. ``code_correct / code_total`` is the audit's code-level accuracy
    (correct keyed items over keyed items plus extra entered items).
    """

    policy: Policy
    score: float
    scores: tuple[tuple[str, float], ...]
    code_correct: int
    code_total: int
    code_accuracy: float
    chart_correct: bool
    diagnoses: tuple[LineVerdict, ...]
    lines: tuple[LineVerdict, ...]
    errors: tuple[GradeError, ...]
    edits: tuple[EditResult, ...]
    em: EMExplanation | None = None
    key_variant: int = 0
    # UB-04 claim-level items (FL 4 type of bill, FL 70 reason for visit); empty elsewhere.
    header: tuple[LineVerdict, ...] = ()
    procedures: tuple[LineVerdict, ...] = ()  # inpatient: ICD-10-PCS procedures
    drg: DrgComparison | None = None  # inpatient: both claims grouped

    @property
    def revenue_direction(self) -> dict[str, int]:
        """How many errors under-code, over-code or leave revenue unchanged."""
        counts = {"under": 0, "over": 0, "neutral": 0}
        for error in self.errors:
            counts[error.direction] += 1
        return counts

    def error_types(self) -> tuple[str, ...]:
        return tuple(e.type for e in self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "score": self.score,
            "scores": dict(self.scores),
            "code_correct": self.code_correct,
            "code_total": self.code_total,
            "code_accuracy": self.code_accuracy,
            "chart_correct": self.chart_correct,
            "diagnoses": [v.to_dict() for v in self.diagnoses],
            "lines": [v.to_dict() for v in self.lines],
            "errors": [e.to_dict() for e in self.errors],
            "edits": [e.to_dict() for e in self.edits],
            "revenue_direction": self.revenue_direction,
            "em": self.em.to_dict() if self.em else None,
            "key_variant": self.key_variant,
            "header": [v.to_dict() for v in self.header],
            **({"procedures": [v.to_dict() for v in self.procedures]} if self.procedures else {}),
            **({"drg": self.drg.to_dict()} if self.drg else {}),
        }


__all__ = [
    "Action",
    "Direction",
    "DrgComparison",
    "ERROR_LABELS",
    "ERROR_TYPES",
    "EditResult",
    "Element",
    "ElementVerdict",
    "Grade",
    "GradeError",
    "LineVerdict",
    "POLICIES",
    "POLICY_LABELS",
    "PatientFacts",
    "Sex",
    "Policy",
    "Target",
    "error_label",
]
