"""What each of a grade's errors costs: a line's PFS difference, a POS move, a risk-score HCC.

A line error takes its keyed/entered line pair's payment difference (the first error of a pair
carries it, the others say so); a wrong place of service the key's lines repriced at the
entered setting; a diagnosis error the CMS-HCC it adds, weakens or misses (``risk``), which
says whether it over- or understates the risk score even where no dollar amount is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from trainer.core.pricing.cost_results import ErrorCost
from trainer.core.pricing.risk import RiskComparison


def error_costs(
    grade: Mapping[str, Any],
    line_delta: dict[tuple[int | None, int | None], Decimal],
    risk: RiskComparison,
    pos_delta: Decimal | None = None,
) -> tuple[ErrorCost, ...]:
    priced_pairs: set[tuple[int | None, int | None]] = set()
    unsupported = {d: h for h in risk.unsupported for d in h.diagnoses}
    weaker = {d: h for h in risk.less_specific for d in h.diagnoses}
    missed = {d: h for h in risk.missed for d in h.diagnoses}
    out: list[ErrorCost] = []
    for n, err in enumerate(grade.get("errors", [])):
        direction = str(err.get("direction", "neutral"))
        amount: Decimal | None = None
        why = ""
        if err.get("target") == "line":
            pair = _pair_of(err, line_delta)
            if pair is not None and pair not in priced_pairs:
                priced_pairs.add(pair)
                amount = line_delta[pair]
                why = "the line's PFS amount, answer minus key"
            elif pair is not None:
                why = "priced with the line's first error"
        elif err.get("target") == "place_of_service":
            if pos_delta is not None:
                amount = pos_delta
                why = "the key's lines at the entered place of service minus at the keyed one"
        else:
            given = str(err.get("given") or "").replace(".", "").upper()
            expected = str(err.get("expected") or "").replace(".", "").upper()
            if given in unsupported:
                h = unsupported[given]
                why = (
                    f"reports HCC {h.hcc} ({h.label}) the record does not support: "
                    f"overpayment risk (+{h.coefficient:.3f} risk score)"
                )
                direction = "over"
            elif given in weaker:
                h = weaker[given]
                why = (
                    f"reports HCC {h.hcc} ({h.label}) where the record supports a higher-ranked "
                    "HCC of its hierarchy: risk score understated"
                )
                direction = "under"
            elif expected in missed:
                h = missed[expected]
                why = f"misses HCC {h.hcc} ({h.label}): risk score {h.coefficient:.3f} lower"
                direction = "under"
        out.append(ErrorCost(n, str(err.get("type", "")), direction, amount, why))
    return tuple(out)


def _pair_of(
    err: Mapping[str, Any], line_delta: dict[tuple[int | None, int | None], Decimal]
) -> tuple[int | None, int | None] | None:
    index = err.get("index")
    if err.get("type") == "missing_code":
        return next((p for p in line_delta if p[0] == index and p[1] is None), None)
    return next((p for p in line_delta if p[1] == index), None)


__all__ = ["error_costs"]
