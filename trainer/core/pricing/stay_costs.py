"""An inpatient stay's costs: both claims' MS-DRG payments (relative weight x base rate).

An inpatient stay is paid under IPPS by its MS-DRG, not line by line, so no PFS line is priced;
the key's DRG and the trainee's (as the grade stored them) are each priced with the base rate
(``pricing.drg``), and their difference is the amount of the ``drg_mismatch`` error, the one
error that says the stay groups elsewhere. The diagnoses' risk-score effects are costed as on
any claim (``error_costs``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from trainer.core.claims import AnswerKey
from trainer.core.codesets.cms_catalog import Gpci
from trainer.core.pricing.cost_results import ZERO, ChartCosts, ErrorCost
from trainer.core.pricing.drg import BASE_RATE_SOURCE, drg_payment_difference
from trainer.core.pricing.error_costs import error_costs
from trainer.core.pricing.risk import compare_risk
from trainer.core.pricing.scored_key import scored_diagnoses


def stay_costs(
    key: AnswerKey,
    answer_dx: Sequence[str],
    grade: Mapping[str, Any],
    age: int,
    sex: str,
    gpci: Gpci,
    base_rate: Decimal,
) -> ChartCosts:
    """An inpatient stay: both claims' MS-DRG payments (weight x base rate), no PFS lines."""
    drg = grade.get("drg") or {}
    key_weight = (drg.get("key") or {}).get("weight")
    given_weight = (drg.get("given") or {}).get("weight")
    payment = (
        drg_payment_difference(key_weight, given_weight, base_rate)
        if key_weight is not None and given_weight is not None
        else None
    )
    diff = payment.difference if payment else ZERO
    risk = compare_risk(scored_diagnoses(key, grade), answer_dx, age, sex)
    errors = list(error_costs(grade, {}, risk))
    for n, err in enumerate(grade.get("errors", [])):
        if err.get("type") == "drg_mismatch" and payment is not None:
            errors[n] = ErrorCost(
                n,
                "drg_mismatch",
                "neutral" if diff == 0 else "under" if diff < 0 else "over",
                diff,
                "the stay's MS-DRG payment, answer minus key (relative weight x base rate)",
            )
    note = (
        f"Inpatient stay: MS-DRG relative weight x ${base_rate:,.2f} ({BASE_RATE_SOURCE})."
        if payment
        else "Inpatient stay: a claim did not group to a weighted MS-DRG; not priced."
    )
    return ChartCosts(
        priced=payment is not None,
        note=note,
        locality=gpci.locality,
        key_total=payment.key_payment if payment else ZERO,
        answer_total=payment.answer_payment if payment else ZERO,
        under=-diff if diff < 0 else ZERO,
        over=diff if diff > 0 else ZERO,
        denied=(),
        lines=0,
        errors=tuple(errors),
        risk=risk,
        em_key="",
        em_given="",
        drg_payment=payment,
    )


__all__ = ["stay_costs"]
