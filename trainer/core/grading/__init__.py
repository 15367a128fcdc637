"""The grader: a trainee's claim against the keyed answer, line by line, with explanations.

``grade()`` is the front door. The modules say their part: ``entry`` reads what was typed,
``diagnoses`` and ``lines`` align and judge, ``line_errors`` names a line's errors,
``claim_edits`` replays payer edits, ``em`` levels E/M services, ``scoring`` applies the policies,
``explanations`` words the sentences, ``lookups`` memoises catalog questions, ``types`` holds the
result dataclasses and ``key_corrections`` patches a stored key.
"""

from trainer.core.grading.grader import (
    ERROR_TYPES,
    POLICIES,
    EditResult,
    ElementVerdict,
    Grade,
    GradeError,
    LineVerdict,
    PatientFacts,
    Policy,
    grade,
)

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
