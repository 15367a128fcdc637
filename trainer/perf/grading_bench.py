"""Measuring the grader: charts graded per second, on typical charts, in one process.

The target is 10,000 charts a second (3 diagnoses and 3 lines is a typical chart). The
sample mixes a perfect answer with the common mistakes, so the measured path includes the
fuzzy alignment and the explanations, not just the fast exact-match path.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from typing import Any

from trainer.core.claims import AnswerKey, Claim, claim_from_dict, key_from_dict
from trainer.core.grading.grader import grade

SAMPLE_DOS = date(2025, 11, 3)

_KEYS: tuple[dict[str, Any], ...] = (
    {
        "diagnoses": ["M17.11", "Z79.899", "I10"],
        "lines": [
            {"code": "99213", "modifiers": ["25"], "pointers": [3]},
            {"code": "20610", "modifiers": ["RT"], "pointers": [1]},
            {"code": "J3301", "units": 4, "pointers": [1]},
        ],
        "em": {"category": "office_established", "problems": "low", "data": "low", "risk": "low"},
    },
    {
        "diagnoses": ["J02.0", "I10"],
        "lines": [
            {"code": "99213", "modifiers": ["25"], "pointers": [1, 2]},
            {"code": "87880", "modifiers": ["QW"], "pointers": [1]},
            {"code": "96372", "pointers": [1]},
            {"code": "J1100", "units": 10, "pointers": [1]},
        ],
    },
)
_ANSWERS: tuple[tuple[int, dict[str, Any]], ...] = (
    (
        0,
        {
            "diagnoses": ["M17.9", "Z79.899", "I10"],
            "lines": [
                {"code": "99214", "modifiers": ["25"], "pointers": [3]},
                {"code": "20610", "modifiers": ["RT"], "pointers": [1]},
                {"code": "J3301", "units": 40, "pointers": [1]},
            ],
        },
    ),
    (
        0,
        {
            "diagnoses": ["M17.12", "I10"],
            "lines": [
                {"code": "99213", "pointers": [2]},
                {"code": "20610", "pointers": [1]},
                {"code": "J3301", "units": 4, "pointers": [1]},
                {"code": "93010", "pointers": [2]},
            ],
        },
    ),
    (
        1,
        {
            "diagnoses": ["J02.9", "I10"],
            "lines": [
                {"code": "99213", "pointers": [1, 2]},
                {"code": "87880", "pointers": [1]},
                {"code": "96372", "pointers": [1]},
                {"code": "J1100", "units": 1, "pointers": [1]},
            ],
        },
    ),
)


def sample_pairs() -> list[tuple[AnswerKey, Claim, date]]:
    """Typical (key, answer, date) triples: each key answered perfectly and with mistakes."""
    keys = [key_from_dict(k) for k in _KEYS]
    pairs = [(key, key.as_claim(), SAMPLE_DOS) for key in keys]
    pairs += [(keys[i], claim_from_dict(a), SAMPLE_DOS) for i, a in _ANSWERS]
    return pairs


def grade_throughput(
    catalog: Any, pairs: Sequence[tuple[Any, ...]] | None = None, seconds: float = 2.0
) -> float:
    """Charts graded per second, cycling through (key, answer[, dos[, policy]]) tuples."""
    items = list(pairs) if pairs is not None else sample_pairs()
    if not items:
        return 0.0
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for item in items:
            dos = item[2] if len(item) > 2 else None
            policy = item[3] if len(item) > 3 else "strict"
            grade(item[0], item[1], policy, dos, catalog=catalog)
            count += 1
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


__all__ = ["SAMPLE_DOS", "grade_throughput", "sample_pairs"]
