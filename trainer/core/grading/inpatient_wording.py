"""How every inpatient explanation ends: the key's rationale as a sentence, then the rule.

The diagnosis, procedure and MS-DRG parts of inpatient grading (``inpatient_diagnoses``,
``inpatient_procedures``, ``inpatient``) all close an explanation the same way, with the
inpatient rule (UHDDS, POA, ICD-10-PCS) where one is written and the general rule otherwise.
"""

from __future__ import annotations

from trainer.core.grading.explanations import INPATIENT_RULES, RULES


def rule(kind: str) -> str:
    text = INPATIENT_RULES.get(kind) or RULES.get(kind, "")
    return text[:1].upper() + text[1:]


def why(rationale: str) -> str:
    text = rationale.strip()
    if not text:
        return ""
    return " " + (text if text.endswith((".", "!", "?")) else text + ".")


__all__ = ["rule", "why"]
