"""What a graded chart's errors would cost: payment, risk score, denials, per error.

Works on the grade's JSON shape (``Grade.to_dict``, as stored with the attempt), so a stored
grade can be costed again for another locality without regrading. The key's claim is the one
the grade was scored against (``key_variant``); a keyed optional line the trainee left off is
not counted as lost revenue (leaving it off is no error).

Money: the key's claim and the trainee's are each priced whole (the multiple-procedure
ranking depends on the other lines), lines the claim-edit replay denies pay $0, and each
keyed/entered line pair's difference is the amount of that line's first error. Facility
(UB-04) outpatient claims are paid under OPPS/APC, not the PFS, so they are not priced here.
An inpatient stay is priced by its MS-DRG (IPPS): relative weight times a base rate, for the
key's DRG and the trainee's (``pricing.drg``); the DRG difference is the amount of the
``drg_mismatch`` error, the one error that says the stay groups elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from trainer.core.claims import AnswerKey, ServiceLine
from trainer.core.codesets.cms_catalog import NATIONAL, Gpci
from trainer.core.pricing.drg import (
    BASE_RATE_SOURCE,
    DEFAULT_BASE_RATE,
    DrgPaymentDifference,
    drg_payment_difference,
)
from trainer.core.pricing.pfs import (
    ESTIMATE_NOTE,
    ClaimPrice,
    RvuSource,
    is_facility_pos,
    price_claim,
)
from trainer.core.pricing.risk import RiskComparison, compare_risk

ZERO = Decimal("0.00")
# E/M families whose level is the code's last digit (office new/established, ED).
EM_FAMILIES = ("9920", "9921", "9928")


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


def em_code(codes: Sequence[str]) -> str:
    """The claim's office or ED E/M code ("" when none)."""
    return next((c for c in codes if len(c) == 5 and c[:4] in EM_FAMILIES), "")


def em_level_difference(key: str, given: str) -> int | None:
    """Given level minus key level, when both are E/M codes of one family."""
    if not key or not given or key[:4] != given[:4]:
        return None
    return int(given[4]) - int(key[4])


def _key_lines(key: AnswerKey, grade: Mapping[str, Any]) -> list[ServiceLine]:
    variant = int(grade.get("key_variant") or 0)
    matched = {
        v.get("key_index") for v in grade.get("lines", []) if v.get("answer_index") is not None
    }
    if variant and variant <= len(key.alternate_sets):
        return list(key.alternate_sets[variant - 1].lines)
    return [kl.line for i, kl in enumerate(key.lines) if not kl.optional or i in matched]


def _key_dx(key: AnswerKey, grade: Mapping[str, Any]) -> list[str]:
    variant = int(grade.get("key_variant") or 0)
    if variant and variant <= len(key.alternate_sets):
        return list(key.alternate_sets[variant - 1].diagnoses)
    return [d.code for d in key.diagnoses if not d.optional]


def chart_costs(
    key: AnswerKey,
    answer_lines: Sequence[ServiceLine],
    answer_dx: Sequence[str],
    grade: Mapping[str, Any],
    source: RvuSource,
    *,
    facility_pos: bool,
    age: int,
    sex: str,
    gpci: Gpci = NATIONAL,
    drg_base_rate: Decimal = DEFAULT_BASE_RATE,
) -> ChartCosts:
    """Price the key's claim and the answer's, score both for risk, and cost each error."""
    if key.setting == "inpatient":
        return _stay_costs(key, answer_dx, grade, age, sex, gpci, drg_base_rate)
    edits = {int(e["line_index"]): e for e in grade.get("edits", [])}
    denied = tuple(
        (i, str(e.get("reason", ""))) for i, e in sorted(edits.items()) if e["action"] == "deny"
    )
    key_lines = _key_lines(key, grade)
    professional = key.setting == "professional"
    key_price = answer_price = None
    line_delta: dict[tuple[int | None, int | None], Decimal] = {}
    if professional:
        key_price = price_claim(key_lines, source, facility=facility_pos, gpci=gpci)
        paid = [edits.get(i, {}).get("action") != "deny" for i in range(len(answer_lines))]
        answer_price = price_claim(
            answer_lines, source, facility=facility_pos, gpci=gpci, paid=paid
        )
        for verdict in grade.get("lines", []):
            k, a = verdict.get("key_index"), verdict.get("answer_index")
            key_amount = (
                key_price.lines[k].allowed if k is not None and k < len(key_lines) else ZERO
            )
            given = (
                answer_price.lines[a].allowed if a is not None and a < len(answer_lines) else ZERO
            )
            line_delta[(k, a)] = given - key_amount
    under = sum((-d for d in line_delta.values() if d < 0), ZERO)
    over = sum((d for d in line_delta.values() if d > 0), ZERO)
    risk = compare_risk(_key_dx(key, grade), answer_dx, age, sex)
    pos_delta = _pos_delta(key_lines, key_price.total, grade, source, gpci) if key_price else None
    if pos_delta is not None:  # a wrong box 24B moves the whole claim's PE (priced apart)
        under += max(-pos_delta, ZERO)
        over += max(pos_delta, ZERO)
    errors = _error_costs(grade, line_delta, risk, pos_delta)
    return ChartCosts(
        priced=professional,
        note=ESTIMATE_NOTE
        if professional
        else "Facility claim: paid under OPPS/APC, not the PFS; not priced here.",
        locality=gpci.locality,
        key_total=key_price.total if key_price else ZERO,
        answer_total=answer_price.total if answer_price else ZERO,
        under=under,
        over=over,
        denied=denied,
        lines=len(answer_lines),
        errors=errors,
        risk=risk,
        em_key=em_code([ln.code for ln in key_lines]),
        em_given=em_code([ln.code for ln in answer_lines]),
        key_price=key_price,
        answer_price=answer_price,
    )


def _stay_costs(
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
    risk = compare_risk(_key_dx(key, grade), answer_dx, age, sex)
    errors = list(_error_costs(grade, {}, risk))
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


def _pos_delta(
    key_lines: Sequence[ServiceLine],
    key_total: Decimal,
    grade: Mapping[str, Any],
    source: RvuSource,
    gpci: Gpci,
) -> Decimal | None:
    """The key's lines priced at the entered place of service minus at the keyed one: what a
    wrong box 24B moves (facility vs non-facility PE); None without a POS error to price."""
    for err in grade.get("errors", []):
        given = str(err.get("given") or "")
        if err.get("type") == "wrong_place_of_service" and given:
            at_given = price_claim(key_lines, source, facility=is_facility_pos(given), gpci=gpci)
            return at_given.total - key_total
    return None


def _error_costs(
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


__all__ = [
    "ChartCosts",
    "ErrorCost",
    "chart_costs",
    "em_code",
    "em_level_difference",
    "figures",
]
