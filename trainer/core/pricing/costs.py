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

This is the front door (``chart_costs``) and the PFS part; the inpatient stay is priced in
``stay_costs``, each error costed in ``error_costs``, the scored key read by ``scored_key``,
and the result types are in ``cost_results``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from trainer.core.claims import AnswerKey, ServiceLine
from trainer.core.codesets.cms_catalog import NATIONAL, Gpci
from trainer.core.pricing.cost_results import ZERO, ChartCosts, ErrorCost, figures
from trainer.core.pricing.drg import DEFAULT_BASE_RATE
from trainer.core.pricing.error_costs import error_costs
from trainer.core.pricing.pfs import ESTIMATE_NOTE, RvuSource, is_facility_pos, price_claim
from trainer.core.pricing.risk import compare_risk
from trainer.core.pricing.scored_key import scored_diagnoses, scored_lines
from trainer.core.pricing.stay_costs import stay_costs

# E/M families whose level is the code's last digit (office new/established, ED).
EM_FAMILIES = ("9920", "9921", "9928")


def em_code(codes: Sequence[str]) -> str:
    """The claim's office or ED E/M code ("" when none)."""
    return next((c for c in codes if len(c) == 5 and c[:4] in EM_FAMILIES), "")


def em_level_difference(key: str, given: str) -> int | None:
    """Given level minus key level, when both are E/M codes of one family."""
    if not key or not given or key[:4] != given[:4]:
        return None
    return int(given[4]) - int(key[4])


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
        return stay_costs(key, answer_dx, grade, age, sex, gpci, drg_base_rate)
    edits = {int(e["line_index"]): e for e in grade.get("edits", [])}
    denied = tuple(
        (i, str(e.get("reason", ""))) for i, e in sorted(edits.items()) if e["action"] == "deny"
    )
    key_lines = scored_lines(key, grade)
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
    risk = compare_risk(scored_diagnoses(key, grade), answer_dx, age, sex)
    pos_delta = _pos_delta(key_lines, key_price.total, grade, source, gpci) if key_price else None
    if pos_delta is not None:  # a wrong box 24B moves the whole claim's PE (priced apart)
        under += max(-pos_delta, ZERO)
        over += max(pos_delta, ZERO)
    errors = error_costs(grade, line_delta, risk, pos_delta)
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


__all__ = [
    "ChartCosts",
    "ErrorCost",
    "chart_costs",
    "em_code",
    "em_level_difference",
    "figures",
]
