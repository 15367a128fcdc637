"""The key's claim a stored grade was scored against: its own, or the alternate it fitted.

The grader scores against whichever of the key's claims fits best and stores which one
(``key_variant``: 0 the key's own, n the n-th alternate set); costing must price that same
claim. A keyed optional line the trainee left off is not part of it (leaving it off is no
error), nor is an optional diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trainer.core.claims import AnswerKey, Claim, ServiceLine


def scored_alternate(key: AnswerKey, grade: Mapping[str, Any]) -> Claim | None:
    """The alternate claim the grade was scored against; None for the key's own."""
    variant = int(grade.get("key_variant") or 0)
    if variant and variant <= len(key.alternate_sets):
        return key.alternate_sets[variant - 1]
    return None


def scored_lines(key: AnswerKey, grade: Mapping[str, Any]) -> list[ServiceLine]:
    """The scored claim's service lines (a keyed optional line only where it was entered)."""
    alternate = scored_alternate(key, grade)
    matched = {
        v.get("key_index") for v in grade.get("lines", []) if v.get("answer_index") is not None
    }
    if alternate is not None:
        return list(alternate.lines)
    return [kl.line for i, kl in enumerate(key.lines) if not kl.optional or i in matched]


def scored_diagnoses(key: AnswerKey, grade: Mapping[str, Any]) -> list[str]:
    """The scored claim's diagnoses (a keyed optional diagnosis left out)."""
    alternate = scored_alternate(key, grade)
    if alternate is not None:
        return list(alternate.diagnoses)
    return [d.code for d in key.diagnoses if not d.optional]


__all__ = ["scored_alternate", "scored_diagnoses", "scored_lines"]
