"""The three scoring policies, computed from the same verdicts.

Every policy counts a keyed item (a diagnosis or a procedure line) as right only when it is
wholly right: the accepted code, the first-listed position for the first diagnosis, and for a
line every modifier, the units, the revenue code and the first diagnosis pointer. They
differ in how entries beyond the key count:

- ``strict`` (AAPC Practicode): correct / max(keyed items, entered items). Entering more
  codes than the key divides the score by the number entered.
- ``audit`` (code-level accuracy of a coding audit): correct / (keyed items + extra items
  entered). Chart-level correctness (every line right, nothing extra) is reported beside it.
- ``exam`` (a practice exam's answer sheet): each keyed item is one point with no partial
  credit, and each extra entry costs a point, as a wrong answer would; floored at zero:
  max(0, correct - extras) / keyed items.

An empty key graded against an empty answer scores 1 under every policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.core.grading.types import LineVerdict, Policy


@dataclass(frozen=True, slots=True)
class Tally:
    keyed: int
    correct: int
    entered: int
    extras: int

    def score(self, policy: Policy) -> float:
        if policy == "audit":
            total = self.keyed + self.extras
            return self.correct / total if total else 1.0
        if policy == "exam":
            if not self.keyed:
                return 0.0 if self.extras else 1.0
            return max(0, self.correct - self.extras) / self.keyed
        total = max(self.keyed, self.entered)
        return self.correct / total if total else 1.0

    @property
    def chart_correct(self) -> bool:
        return self.correct == self.keyed and self.extras == 0


def tally(verdicts: tuple[LineVerdict, ...], entered: int) -> Tally:
    keyed = sum(1 for v in verdicts if v.key_index is not None)
    correct = sum(1 for v in verdicts if v.key_index is not None and v.correct)
    extras = sum(1 for v in verdicts if v.key_index is None)
    return Tally(keyed, correct, entered, extras)


__all__ = ["Tally", "tally"]
