"""What a chart's errors cost: the per-chart costing (core/pricing) over a stored attempt.

The national estimate is computed when the chart is graded (and regraded) and stored with
the grade, and its summary figures on the attempt, so the reports sum columns instead of
pricing 100,000 charts. A locality is priced on demand for the graded chart page.
"""

from __future__ import annotations

from typing import Any

from trainer.core.claims import AnswerKey, Claim, claim_from_dict
from trainer.core.codesets.cms_catalog import NATIONAL, Gpci
from trainer.core.pricing.costs import ChartCosts, chart_costs, figures
from trainer.core.pricing.pfs import is_facility_pos

from ..domain import domain
from ..models import Attempt
from .keys import current_key, variant_of


def costs_of(
    attempt: Attempt,
    answer: Claim,
    graded: dict[str, Any],
    catalog: Any,
    gpci: Gpci = NATIONAL,
    key: AnswerKey | None = None,
) -> ChartCosts:
    """Cost a grade of the attempt (``key``: the key it was graded against, if not current)."""
    variant = variant_of(attempt)
    return chart_costs(
        key or current_key(attempt),
        answer.lines,
        answer.diagnoses,
        graded,
        catalog,
        facility_pos=is_facility_pos(variant.place_of_service),
        age=variant.patient.age,
        sex=variant.patient.sex,
        gpci=gpci,
        drg_base_rate=domain().drg_base_rate,
    )


def attach_costs(
    attempt: Attempt,
    answer: Claim,
    graded: dict[str, Any],
    catalog: Any,
    key: AnswerKey | None = None,
) -> dict[str, Any]:
    """The grade with its national cost estimate and the attempt's cost figures added."""
    costs = costs_of(attempt, answer, graded, catalog, key=key)
    graded["costs"] = costs.to_dict()
    graded["cost_figures"] = figures(costs)
    return graded


def locality_costs(
    attempt: Attempt, graded: dict[str, Any], catalog: Any, locality: str
) -> ChartCosts | None:
    """The stored grade priced for another locality (None: no such locality)."""
    gpci = catalog.gpci(locality)
    if gpci is None:
        return None
    return costs_of(attempt, claim_from_dict(attempt.answer or {}), graded, catalog, gpci)


def set_cost_figures(attempt: Attempt, graded: dict[str, Any]) -> None:
    """Copy a grade's cost figures onto the attempt (a grade without them changes nothing)."""
    found = graded.get("cost_figures")
    if not isinstance(found, dict):
        return
    for name, value in found.items():
        if hasattr(Attempt, name):
            setattr(attempt, name, value)


__all__ = ["attach_costs", "costs_of", "locality_costs", "set_cost_figures"]
