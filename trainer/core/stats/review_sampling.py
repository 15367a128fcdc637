"""Second-tier review: which submitted charts a reviewer samples, and what an override does.

A coding audit does not re-read every chart: it reads all the work of a coder who has not yet
shown they meet the benchmark, then a fixed sample per quarter of everyone else. Sampling here
is a pure function of attempt ids and a salt, so every app server computes the same queue with
no shared state, and a chart does not drift in and out of the sample between page loads.

An override flips the verdict of one keyed or entered item (the reviewer disagrees with the
automatic grader, for example an acceptable synonym the key lacks), and the chart's scores are
recomputed from the verdicts exactly as the grader computes them, so overrides count in every
accuracy figure.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from trainer.core.grading.scoring import Tally
from trainer.core.grading.types import POLICIES

Target = Literal["diagnosis", "line"]
SampleReason = Literal["below_target", "quarterly_sample"]
DEFAULT_SAMPLE_PER_QUARTER = 10
MAX_SAMPLE_PER_QUARTER = 100


class ReviewError(ValueError):
    """A user-facing reason an override cannot be applied."""


@dataclass(frozen=True, slots=True)
class Override:
    """The reviewer's verdict on one item, addressed by its key and answer positions.

    Addressing by (target, key_index, answer_index) rather than by list position keeps an
    override attached to the same item when a key correction regrades the chart later.
    """

    target: Target
    key_index: int | None
    answer_index: int | None
    correct: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "key_index": self.key_index,
            "answer_index": self.answer_index,
            "correct": self.correct,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Override:
        target = data.get("target")
        if target not in ("diagnosis", "line"):
            raise ReviewError("An override names a diagnosis or a procedure line.")
        return cls(
            target,
            _index(data.get("key_index")),
            _index(data.get("answer_index")),
            bool(data.get("correct")),
            str(data.get("reason", "")),
        )

    def matches(self, verdict: dict[str, Any]) -> bool:
        return (
            verdict.get("target") == self.target
            and verdict.get("key_index") == self.key_index
            and verdict.get("answer_index") == self.answer_index
        )


def _index(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def _collection(target: str) -> str:
    return "diagnoses" if target == "diagnosis" else "lines"


def apply_overrides(result: dict[str, Any], overrides: Sequence[Override]) -> dict[str, Any]:
    """A copy of a stored grade with the reviewer's verdicts and recomputed scores.

    Errors of an item the reviewer marks correct are withdrawn; an item marked wrong that the
    grader passed gets a ``reviewer_override`` error carrying the reviewer's reason, so the
    trainee reads why. Overrides that no longer match an item (after a key correction changed
    the key) are reported in ``review.unmatched`` instead of being silently dropped.
    """
    graded = copy.deepcopy(result)
    applied: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    for override in overrides:
        if not override.reason.strip():
            raise ReviewError("Give the reason for every override; the trainee reads it.")
        verdict = _find(graded.get(_collection(override.target), []), override)
        if verdict is None:
            unmatched.append(override.to_dict())
            continue
        if verdict.get("key_index") is None and override.correct:
            # An extra entry the reviewer accepts stops counting against the chart.
            verdict["accepted_extra"] = True
        verdict["grader_correct"] = verdict.get("grader_correct", verdict.get("correct"))
        verdict["correct"] = override.correct
        verdict["override_reason"] = override.reason.strip()
        _rewrite_errors(graded, verdict, override)
        applied.append(override.to_dict())
    _rescore(graded)
    graded["review"] = {"overrides": applied, "unmatched": unmatched}
    return graded


def _find(verdicts: list[dict[str, Any]], override: Override) -> dict[str, Any] | None:
    """The item an override is about: the same pairing, else the same keyed item (a regrade
    may pair the entries differently), else the same extra entry."""
    exact = next((v for v in verdicts if override.matches(v)), None)
    if exact is not None:
        return exact
    for field, value in (
        ("key_index", override.key_index),
        ("answer_index", override.answer_index),
    ):
        if value is not None:
            found = [v for v in verdicts if v.get(field) == value]
            if len(found) == 1:
                return found[0]
    return None


def _error_index(verdict: dict[str, Any]) -> int | None:
    answer = verdict.get("answer_index")
    return answer if answer is not None else verdict.get("key_index")


def _rewrite_errors(graded: dict[str, Any], verdict: dict[str, Any], override: Override) -> None:
    index = _error_index(verdict)
    own = set(verdict.get("errors", []))

    def belongs(error: dict[str, Any]) -> bool:
        return (
            error.get("target") == override.target
            and error.get("index") == index
            and (error.get("type") in own or error.get("type") == "reviewer_override")
        )

    kept = [e for e in graded.get("errors", []) if not belongs(e)]
    if override.correct:
        verdict["errors"] = []
    else:
        verdict["errors"] = sorted(own | {"reviewer_override"})
        kept.extend(e for e in graded.get("errors", []) if belongs(e) and e["type"] in own)
        kept.append(
            {
                "type": "reviewer_override",
                "expected": verdict.get("expected"),
                "given": verdict.get("given"),
                "explanation": f"Second-tier review: {override.reason.strip()}",
                "target": override.target,
                "index": index,
                "element": "code",
                "direction": "neutral",
            }
        )
    graded["errors"] = kept


def _rescore(graded: dict[str, Any]) -> None:
    # Every item the grader scored, the UB-04's FL 4 / FL 70 included, or the reviewed score
    # would disagree with the ticks the trainee reads.
    verdicts = [v for part in ("diagnoses", "lines", "header") for v in graded.get(part, [])]
    keyed = sum(1 for v in verdicts if v.get("key_index") is not None)
    correct = sum(1 for v in verdicts if v.get("key_index") is not None and v.get("correct"))
    extras = sum(1 for v in verdicts if v.get("key_index") is None and not v.get("accepted_extra"))
    entered = sum(
        1 for v in verdicts if v.get("answer_index") is not None and not v.get("accepted_extra")
    )
    counts = Tally(keyed, correct, entered, extras)
    policy = graded.get("policy", "strict")
    graded["scores"] = {p: counts.score(p) for p in POLICIES}
    graded["score"] = counts.score(policy)
    graded["code_correct"] = counts.correct
    graded["code_total"] = counts.keyed + counts.extras
    graded["code_accuracy"] = counts.score("audit")
    graded["chart_correct"] = counts.chart_correct


@dataclass(frozen=True, slots=True)
class Submission:
    """What sampling needs to know about one submitted chart."""

    attempt_id: int
    user_id: int
    specialty: str
    submitted_at: datetime


def quarter_of(moment: datetime) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def _draw(attempt_id: int, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{attempt_id}".encode()).hexdigest()


def review_sample(
    submissions: Iterable[Submission],
    below_target: set[tuple[int, str]],
    per_quarter: int = DEFAULT_SAMPLE_PER_QUARTER,
    salt: str = "",
) -> dict[int, SampleReason]:
    """Attempt ids a reviewer should read, with why.

    Every chart of a (trainee, specialty) pair in ``below_target`` is read. Of each remaining
    trainee's charts, ``per_quarter`` per calendar quarter are drawn by a hash of the attempt
    id and ``salt`` (stable and server-independent; a supervisor changes the salt to redraw).
    """
    per_quarter = max(0, min(per_quarter, MAX_SAMPLE_PER_QUARTER))
    chosen: dict[int, SampleReason] = {}
    pools: dict[tuple[int, str], list[Submission]] = {}
    for item in submissions:
        if (item.user_id, item.specialty) in below_target:
            chosen[item.attempt_id] = "below_target"
        else:
            pools.setdefault((item.user_id, quarter_of(item.submitted_at)), []).append(item)
    for pool in pools.values():
        pool.sort(key=lambda s: _draw(s.attempt_id, salt))
        for item in pool[:per_quarter]:
            chosen[item.attempt_id] = "quarterly_sample"
    return chosen


SAMPLE_LABELS: dict[str, str] = {
    "below_target": "Every chart: trainee not yet at target in this specialty",
    "quarterly_sample": "Quarterly audit sample",
    "dispute": "Trainee dispute",
}

__all__ = [
    "DEFAULT_SAMPLE_PER_QUARTER",
    "Override",
    "ReviewError",
    "SAMPLE_LABELS",
    "Submission",
    "apply_overrides",
    "quarter_of",
    "review_sample",
]
