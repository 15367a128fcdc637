"""CMS-1500 box 24B: the place of service is entered, checked, graded and priced.

99213 at POS 11 (office, non-facility PE 1.35) and at POS 22 (on-campus outpatient hospital,
facility PE 0.57) are the anchor: national PFS CY2025, conversion factor 32.3465, $88.95 and
$63.72, so a wrong POS moves $25.23.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from trainer.core.claims import (
    AnswerKey,
    Claim,
    ClaimFormatError,
    KeyedDiagnosis,
    KeyedLine,
    ServiceLine,
    claim_from_dict,
    key_from_dict,
)
from trainer.core.content.generation import generate
from trainer.core.grading.entry import EntryLine, parse_entry, pos_from_mapping
from trainer.core.grading.grader import grade
from trainer.core.grading.types import ERROR_LABELS, ERROR_TYPES
from trainer.core.pricing.costs import chart_costs

DOS = date(2025, 11, 3)
ZERO = Decimal("0.00")
OFFICE_VISIT = AnswerKey(
    (KeyedDiagnosis("E11.9"),),
    (KeyedLine(ServiceLine("99213", pointers=(1,))),),
    place_of_service="11",
)


def _graded(catalog, pos: str, key: AnswerKey = OFFICE_VISIT):  # type: ignore[no-untyped-def]
    return grade(
        key, replace(key.as_claim(), place_of_service=pos), date_of_service=DOS, catalog=catalog
    )


def test_the_keyed_pos_scores_full_marks(catalog):
    result = _graded(catalog, "11")
    assert result.score == 1.0 and result.chart_correct
    (verdict,) = [v for v in result.header if v.target == "place_of_service"]
    assert (verdict.expected, verdict.given, verdict.correct) == ("11", "11", True)


def test_an_office_visit_billed_at_pos_22_is_an_error_priced_at_the_facility_pe(catalog):
    result = _graded(catalog, "22")
    assert not result.chart_correct
    assert result.score == pytest.approx(2 / 3)  # E11.9 and 99213 right, 24B wrong
    (error,) = result.errors
    assert (error.type, error.expected, error.given) == ("wrong_place_of_service", "11", "22")
    assert (error.target, error.element, error.direction) == (
        "place_of_service",
        "place_of_service",
        "under",
    )
    text = error.explanation
    assert text.startswith("You entered place of service 22 (On campus-outpatient hospital);")
    assert "the chart places the service in 11 (Office), a non-facility setting" in text
    assert "Medicare Claims Processing Manual ch. 26 §10.5" in text
    assert "ch. 12 §20.4.2" in text
    assert "99213 at facility rates is paid $25.23 less than at non-facility rates" in text


def test_a_hospital_service_billed_as_office_is_over_coding(catalog):
    key = replace(OFFICE_VISIT, place_of_service="22")
    (error,) = _graded(catalog, "11", key).errors
    assert error.direction == "over"
    assert "99213 at non-facility rates is paid $25.23 more than at facility rates" in (
        error.explanation
    )


def test_two_facility_settings_cost_nothing_but_are_still_wrong(catalog):
    key = replace(OFFICE_VISIT, place_of_service="22")
    (error,) = _graded(catalog, "23", key).errors
    assert error.type == "wrong_place_of_service" and error.direction == "neutral"
    assert "Both are facility settings, so the PFS amount of 99213 is the same" in (
        error.explanation
    )


def test_a_blank_box_24b_is_graded_as_left_empty(catalog):
    result = _graded(catalog, "")
    (error,) = result.errors
    assert (error.given, error.direction) == (None, "neutral")
    assert error.explanation.startswith("You left box 24B (place of service) empty;")
    # An empty box is not an entry: 2 of 3 keyed items right, nothing extra.
    assert result.code_correct == 2 and result.code_total == 3


def test_keys_without_a_pos_grade_as_before(catalog):
    old = replace(OFFICE_VISIT, place_of_service="")  # stored before POS was graded
    for pos in ("", "22"):
        result = _graded(catalog, pos, old)
        assert result.chart_correct and result.score == 1.0
        assert not [v for v in result.header if v.target == "place_of_service"]
    facility = replace(OFFICE_VISIT, setting="facility", place_of_service="22")
    assert not [v for v in _graded(catalog, "11", facility).header]


def test_the_cost_of_a_wrong_pos_is_the_pe_difference(catalog):
    graded = _graded(catalog, "22").to_dict()
    costs = chart_costs(
        OFFICE_VISIT,
        OFFICE_VISIT.as_claim().lines,
        OFFICE_VISIT.as_claim().diagnoses,
        graded,
        catalog,
        facility_pos=False,
        age=70,
        sex="F",
    )
    (cost,) = costs.errors
    assert (cost.type, cost.direction, cost.amount) == (
        "wrong_place_of_service",
        "under",
        Decimal("-25.23"),
    )
    assert costs.key_total == Decimal("88.95")
    assert (costs.under, costs.over) == (Decimal("25.23"), ZERO)
    right = chart_costs(
        OFFICE_VISIT,
        OFFICE_VISIT.as_claim().lines,
        OFFICE_VISIT.as_claim().diagnoses,
        _graded(catalog, "11").to_dict(),
        catalog,
        facility_pos=False,
        age=70,
        sex="F",
    )
    assert (right.under, right.over) == (ZERO, ZERO)
    assert [e.amount for e in right.errors] == []


def test_the_generated_professional_key_holds_the_variant_pos(library):
    for t in library.templates.values():
        if t.setting == "inpatient":
            continue
        v = generate(t, 0)
        if t.setting == "professional":
            assert v.key.place_of_service == v.place_of_service != "", t.slug
            assert v.key.as_claim().place_of_service == v.place_of_service
        else:  # a UB-04 has no box 24B, even at an ASC (POS 24) or FQHC (50)
            assert v.key.place_of_service == "", t.slug


def test_pos_round_trips_through_the_json_shapes():
    claim = Claim(("E11.9",), (ServiceLine("99213"),), place_of_service="11")
    assert claim_from_dict(claim.to_dict()) == claim
    assert "place_of_service" not in Claim(("E11.9",)).to_dict()
    assert key_from_dict(OFFICE_VISIT.to_dict()).place_of_service == "11"
    assert key_from_dict({"diagnoses": [], "lines": []}).place_of_service == ""


@pytest.mark.parametrize("bad", ["1", "111", "1A", "ab", 11, " 1 "])
def test_a_pos_that_is_not_two_digits_is_refused_naming_the_field(bad):
    with pytest.raises(ClaimFormatError) as caught:
        claim_from_dict({"diagnoses": [], "lines": [], "place_of_service": bad}, where="answer")
    assert caught.value.field == "answer.place_of_service"
    assert "two-digit CMS place-of-service code" in str(caught.value)


def _entry(pos: str, known=None, facility: bool = False):  # type: ignore[no-untyped-def]
    return parse_entry(
        ["E11.9"], [EntryLine(code="99213", pointers="A")], facility, None, pos, known
    )


def test_the_entry_panel_reads_box_24b():
    claim, problems = _entry(" 11 ", known=lambda c: c == "11")
    assert not problems and claim is not None and claim.place_of_service == "11"
    blank, problems = _entry("")
    assert not problems and blank is not None and blank.place_of_service == ""


@pytest.mark.parametrize("typed", ["1", "O1", "11a", "x"])
def test_a_non_numeric_or_short_pos_goes_back_to_the_form(typed):
    claim, problems = _entry(typed)
    assert claim is None
    assert problems.messages["place_of_service"].startswith(
        "Box 24B: the place of service is a two-digit CMS code"
    )


def test_an_unknown_pos_code_goes_back_to_the_form(catalog):
    def known(code: str) -> bool:
        return bool(catalog.validate(code, "pos", DOS).valid)

    claim, problems = _entry("98", known)
    assert claim is None
    assert problems.messages["place_of_service"] == (
        "Box 24B: 98 is not a code of the CMS place-of-service set."
    )
    ok, problems = _entry("22", known)
    assert ok is not None and ok.place_of_service == "22"


def test_a_ub04_entry_ignores_box_24b():
    claim, problems = _entry("xx", facility=True)
    assert not problems.messages.get("place_of_service")
    assert claim is None or claim.place_of_service == ""


def test_drafts_saved_before_pos_load_with_it_empty():
    assert pos_from_mapping({"diagnoses": ["E11.9"], "lines": []}) == ""
    assert pos_from_mapping({"place_of_service": None}) == ""
    assert pos_from_mapping({"place_of_service": "11"}) == "11"


def test_the_slug_is_in_the_taxonomy():
    assert "wrong_place_of_service" in ERROR_TYPES
    assert ERROR_LABELS["wrong_place_of_service"] == "Wrong place of service (CMS-1500 box 24B)"
