"""What coding errors cost: PFS payment (``pfs``), CMS-HCC risk (``risk``), the inpatient DRG
payment hook (``drg``) and the per-chart costing that joins them to a grade (``costs``, with
the stay's DRG payments in ``stay_costs``, each error's amount in ``error_costs``, the scored
key in ``scored_key`` and the result types in ``cost_results``)."""

from trainer.core.pricing.costs import ChartCosts, ErrorCost, chart_costs, em_level_difference
from trainer.core.pricing.drg import DEFAULT_BASE_RATE, drg_payment_difference
from trainer.core.pricing.pfs import (
    ESTIMATE_NOTE,
    ClaimPrice,
    LinePrice,
    is_facility_pos,
    price_claim,
)
from trainer.core.pricing.risk import RiskComparison, compare_risk, risk_score

__all__ = [
    "DEFAULT_BASE_RATE",
    "ESTIMATE_NOTE",
    "ChartCosts",
    "ClaimPrice",
    "ErrorCost",
    "LinePrice",
    "RiskComparison",
    "chart_costs",
    "compare_risk",
    "drg_payment_difference",
    "em_level_difference",
    "is_facility_pos",
    "price_claim",
    "risk_score",
]
