"""Grading the CMS-1500's place of service (box 24B) against the chart's.

The place of service says where the service was furnished, from the CMS place-of-service code
set (Medicare Claims Processing Manual ch. 26 §10.5). It is not a formality: the Physician Fee
Schedule pays a service in a facility (a hospital, an ASC, a SNF) with the lower facility
practice expense RVUs, because the facility bills its own costs, and in an office or other
non-facility site with the higher non-facility ones (the site of service payment differential,
ch. 12 §20.4.2). So a wrong POS is an error with a price, worked out here with the PFS pricing
of the key's own lines at both settings.

One POS for the claim: every chart of the library is one place, so every line shares it.
Graded only where the key holds a POS (keys written before POS was graded, and every UB-04
and inpatient key, have none, so they grade exactly as before).
"""

from __future__ import annotations

from decimal import Decimal

from trainer.core.claims import AnswerKey, Claim
from trainer.core.grading.explanations import named, sentence
from trainer.core.grading.lookups import Lookups
from trainer.core.grading.types import Direction, ElementVerdict, GradeError, LineVerdict
from trainer.core.pricing.pfs import is_facility_pos, price_claim


def _setting(pos: str) -> str:
    return "facility" if is_facility_pos(pos) else "non-facility"


def _payment_difference(key: AnswerKey, given: str, lk: Lookups) -> Decimal | None:
    """What the key's lines would be paid at the entered POS minus at the keyed one (national
    PFS amounts); None when the catalog has no fee schedule to price them with."""
    lines = tuple(k.line for k in key.lines)
    try:
        at_key = price_claim(lines, lk.catalog, facility=is_facility_pos(key.place_of_service))
        at_given = price_claim(lines, lk.catalog, facility=is_facility_pos(given))
    except (AttributeError, TypeError):  # a catalog without PFS rows (a test double)
        return None
    return at_given.total - at_key.total


def _direction(key_pos: str, given: str) -> Direction:
    """Non-facility PE is the higher one: claiming an office for a hospital service over-pays."""
    if not given or is_facility_pos(key_pos) == is_facility_pos(given):
        return "neutral"
    return "under" if is_facility_pos(given) else "over"


def _money(amount: Decimal) -> str:
    return f"${abs(amount):,.2f}"


def _explanation(key: AnswerKey, given: str | None, lk: Lookups) -> str:
    expected = named(key.place_of_service, lk.title(key.place_of_service, "pos"))
    entered = (
        f"You entered place of service {named(given, lk.title(given, 'pos'))}"
        if given
        else "You left box 24B (place of service) empty"
    )
    supported = (
        f"the chart places the service in {expected}, a {_setting(key.place_of_service)} setting"
    )
    rule = (
        "box 24B reports where the service was furnished, from the CMS place-of-service code "
        "set (Medicare Claims Processing Manual ch. 26 §10.5); the Physician Fee Schedule pays a "
        "service in a facility (hospital, ASC, SNF) with the lower facility practice expense "
        "RVUs and in an office or other non-facility site with the non-facility ones (site of "
        "service payment differential, ch. 12 §20.4.2)."
    )
    if given:
        difference = _payment_difference(key, given, lk)
        codes = ", ".join(k.line.code for k in key.lines)
        if is_facility_pos(given) == is_facility_pos(key.place_of_service):
            rule += (
                f" Both are {_setting(given)} settings, so the PFS amount of "
                f"{codes or 'the lines'} is the same, but the claim misstates where the care "
                "happened."
            )
        elif difference == 0 and codes:
            rule += (
                f" Here {codes} is paid the same at both settings: the RVU file gives it "
                "only one usable practice expense."
            )
        elif difference is not None and codes:
            more_or_less = "more" if difference > 0 else "less"
            rule += (
                f" Here {codes} at {_setting(given)} rates is paid {_money(difference)} "
                f"{more_or_less} than at {_setting(key.place_of_service)} rates (national PFS)."
            )
    return sentence(entered, supported, "wrong_place_of_service", rule)


def grade_place_of_service(key: AnswerKey, answer: Claim, lk: Lookups) -> LineVerdict | None:
    """The box 24B verdict, or None where the key holds no POS (nothing to grade)."""
    if key.setting != "professional" or not key.place_of_service:
        return None
    given = answer.place_of_service.strip() or None
    ok = given == key.place_of_service
    errors: tuple[GradeError, ...] = ()
    if not ok:
        errors = (
            GradeError(
                "wrong_place_of_service",
                key.place_of_service,
                given,
                _explanation(key, given, lk),
                "place_of_service",
                0,
                "place_of_service",
                _direction(key.place_of_service, given or ""),
            ),
        )
    return LineVerdict(
        "place_of_service",
        0,
        0 if given else None,
        key.place_of_service,
        given,
        ok,
        (ElementVerdict("place_of_service", key.place_of_service, given, ok),),
        errors,
    )


__all__ = ["grade_place_of_service"]
