"""Inpatient (MS-DRG) payment difference: the hook the inpatient grader will call.

A stay's national unadjusted IPPS payment is the DRG relative weight times a base rate. The
default base rate is the FY2026 IPPS final rule's national operating standardized amount for
hospitals that report quality data and are meaningful EHR users ($6,752.61) plus the national
capital federal rate ($524.15). It leaves out the wage index, DSH, IME, outliers and transfer
rules, so it is an estimate of what the DRG choice is worth, not a hospital's payment. An
administrator changes it with the ``DRG_BASE_RATE`` setting (``TRAINER_DRG_BASE_RATE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FY2026_OPERATING = Decimal("6752.61")
FY2026_CAPITAL = Decimal("524.15")
DEFAULT_BASE_RATE = FY2026_OPERATING + FY2026_CAPITAL
BASE_RATE_SOURCE = (
    "FY2026 IPPS final rule: national operating standardized amount $6,752.61 plus capital "
    "federal rate $524.15; no wage index, DSH, IME or outlier"
)


@dataclass(frozen=True, slots=True)
class DrgPaymentDifference:
    key_payment: Decimal
    answer_payment: Decimal
    base_rate: Decimal

    @property
    def difference(self) -> Decimal:
        """Answer minus key: negative is revenue lost, positive is overpayment risk."""
        return self.answer_payment - self.key_payment


def parse_base_rate(value: object) -> Decimal:
    """The configured base rate as dollars; refuses non-positive or non-numeric values."""
    try:
        rate = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValueError(f"DRG_BASE_RATE must be a dollar amount, not {value!r}") from exc
    if not rate.is_finite() or rate <= 0 or rate > Decimal("1000000"):
        raise ValueError(f"DRG_BASE_RATE must be a positive dollar amount, not {value!r}")
    return rate


def drg_payment_difference(
    key_weight: float | Decimal,
    answer_weight: float | Decimal,
    base_rate: Decimal = DEFAULT_BASE_RATE,
) -> DrgPaymentDifference:
    """The payment of the key's DRG and of the answer's, at the base rate."""

    def pay(weight: float | Decimal) -> Decimal:
        return (Decimal(str(weight)) * base_rate).quantize(Decimal("0.01"), ROUND_HALF_UP)

    return DrgPaymentDifference(pay(key_weight), pay(answer_weight), base_rate)


__all__ = [
    "BASE_RATE_SOURCE",
    "DEFAULT_BASE_RATE",
    "DrgPaymentDifference",
    "drg_payment_difference",
    "parse_base_rate",
]
