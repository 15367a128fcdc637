"""What the costing of one chart answers: ``ChartCosts`` and its ``ErrorCost`` per error.

Kept apart from the costing itself so that the PFS part (``costs``), the inpatient MS-DRG part
(``stay_costs``) and the per-error part (``error_costs``) build the same result, and so that a
reader of the stored figures (``to_dict``, ``figures``) needs none of the pricing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from trainer.core.pricing.drg import DrgPaymentDifference
from trainer.core.pricing.pfs import ClaimPrice
from trainer.core.pricing.risk import RiskComparison

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class ErrorCost:
    """One grader error with its revenue direction and, where priced, its amount."""

    index: int  # position in the grade's error list
    type: str
    direction: str
    amount: Decimal | None  # answer minus key: negative = revenue lost
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "type": self.type,
            "direction": self.direction,
            "amount": None if self.amount is None else str(self.amount),
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class ChartCosts:
    priced: bool
    note: str
    locality: str
    key_total: Decimal
    answer_total: Decimal
    under: Decimal  # revenue lost to undercoding (positive dollars)
    over: Decimal  # payment at risk from overcoding (positive dollars)
    denied: tuple[tuple[int, str], ...]  # (entered line index, reason) of denied lines
    lines: int
    errors: tuple[ErrorCost, ...]
    risk: RiskComparison | None
    em_key: str
    em_given: str
    key_price: ClaimPrice | None = None
    answer_price: ClaimPrice | None = None
    drg_payment: DrgPaymentDifference | None = None  # inpatient: both DRGs priced

    @property
    def clean_claim(self) -> bool:
        """No line would be denied by the edits (a first-pass clean claim)."""
        return not self.denied

    @property
    def difference(self) -> Decimal:
        return self.answer_total - self.key_total

    def to_dict(self) -> dict[str, Any]:
        return {
            "priced": self.priced,
            "note": self.note,
            "locality": self.locality,
            "key_total": str(self.key_total),
            "answer_total": str(self.answer_total),
            "difference": str(self.difference),
            "under": str(self.under),
            "over": str(self.over),
            "denied": [{"line_index": i, "reason": r} for i, r in self.denied],
            "lines": self.lines,
            "clean_claim": self.clean_claim,
            "errors": [e.to_dict() for e in self.errors],
            "risk": self.risk.to_dict() if self.risk else None,
            "em_key": self.em_key,
            "em_given": self.em_given,
            "key_lines": [p.to_dict() for p in self.key_price.lines] if self.key_price else [],
            "answer_lines": (
                [p.to_dict() for p in self.answer_price.lines] if self.answer_price else []
            ),
            "drg_payment": (
                {
                    "key_payment": str(self.drg_payment.key_payment),
                    "answer_payment": str(self.drg_payment.answer_payment),
                    "base_rate": str(self.drg_payment.base_rate),
                }
                if self.drg_payment
                else None
            ),
        }


def figures(costs: ChartCosts) -> dict[str, Any]:
    """The per-attempt columns the reports sum (cents, counts, E/M codes)."""
    return {
        "revenue_under_cents": int(costs.under * 100),
        "revenue_over_cents": int(costs.over * 100),
        "lines_denied": len(costs.denied),
        "lines_total": costs.lines,
        "em_key": costs.em_key,
        "em_given": costs.em_given,
    }


__all__ = ["ZERO", "ChartCosts", "ErrorCost", "figures"]
