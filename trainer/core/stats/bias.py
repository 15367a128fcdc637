"""E/M level bias: is a coder's level distribution shifted from the keys'?

Audit reports compare the level a coder chose with the documented level chart by chart and
test the differences with a sign test: charts where the coder went higher against those where
the coder went lower, ties (the same level) dropped. Under no bias each is equally likely, so
the count higher is Binomial(n, 1/2); the two-sided exact p-value is below.
"""

from __future__ import annotations

from math import comb

SIGNIFICANCE = 0.05
MIN_DIFFERENCES = 5  # with fewer, even 5 of 5 one way has p = 0.0625: never significant


def sign_test(higher: int, lower: int) -> float:
    """Two-sided exact binomial (sign test) p-value of ``higher`` vs ``lower`` (ties dropped)."""
    n = higher + lower
    if n == 0:
        return 1.0
    k = min(higher, lower)
    tail = sum(comb(n, i) for i in range(k + 1))
    return min(1.0, 2 * tail / (1 << n))


def bias_verdict(higher: int, lower: int, p_value: float | None = None) -> str:
    """The bias a sign test finds: "over-coding", "under-coding" or "" (not significant at
    5%, or too few differences). ``p_value``: the test's, when the caller has it already."""
    if higher + lower < MIN_DIFFERENCES:
        return ""
    if (sign_test(higher, lower) if p_value is None else p_value) >= SIGNIFICANCE:
        return ""
    return "over-coding" if higher > lower else "under-coding"


__all__ = ["MIN_DIFFERENCES", "SIGNIFICANCE", "bias_verdict", "sign_test"]
