"""The UB-04 graded as a UB-04: FL 4 type of bill, FL 70 reason for visit, no pointers."""

from datetime import date

from trainer.core.claims import Claim, ServiceLine, claim_from_dict, key_from_dict
from trainer.core.content.generation import generate
from trainer.core.grading.grader import grade
from trainer.core.grading.ub04 import describe_type_of_bill

DOS = date(2025, 11, 3)

# An ED visit for chest pain: the patient arrived with chest pressure (FL 70), the
# work-up found chest-wall pain (FL 67), the hospital bills the visit and an ECG tracing.
ED = key_from_dict(
    {
        "setting": "facility",
        "type_of_bill": "0131",
        "reason_for_visit": [{"code": "R07.9", "alternates": ["R07.89"]}],
        "diagnoses": ["R07.89"],
        "lines": [
            {"code": "99283", "revenue_code": "0450", "pointers": [1]},
            {"code": "93005", "revenue_code": "0730", "pointers": [1]},
        ],
    }
)


def _answer(tob: str = "0131", rfv: tuple[str, ...] = ("R07.9",), pointers=()) -> Claim:
    return Claim(
        ("R07.89",),
        (
            ServiceLine("99283", (), 1, "0450", pointers),
            ServiceLine("93005", (), 1, "0730", pointers),
        ),
        tob,
        rfv,
    )


def test_the_keyed_ub04_scores_full_marks(catalog):
    result = grade(ED, ED.as_claim(), date_of_service=DOS, catalog=catalog)
    assert result.score == 1.0 and result.chart_correct
    assert [v.target for v in result.header] == ["type_of_bill", "reason_for_visit"]


def test_pointers_are_not_graded_on_a_facility_claim(catalog):
    """The key carried pointer A; a UB-04 line has none, so none entered is right, and
    no element of a line is a pointer."""
    result = grade(ED, _answer(pointers=()), date_of_service=DOS, catalog=catalog)
    assert result.score == 1.0
    assert "wrong_pointer" not in result.error_types()
    assert all(e.element != "pointers" for v in result.lines for e in v.elements)


def test_professional_pointers_are_still_graded(catalog):
    key = key_from_dict(
        {
            "diagnoses": ["M17.11", "I10"],
            "lines": [{"code": "20610", "modifiers": ["RT"], "pointers": [1]}],
        }
    )
    answer = Claim(("M17.11", "I10"), (ServiceLine("20610", ("RT",), 1, None, (2,)),))
    result = grade(key, answer, date_of_service=DOS, catalog=catalog)
    assert "wrong_pointer" in result.error_types()


def test_wrong_type_of_bill_names_the_digits(catalog):
    result = grade(ED, _answer(tob="0111"), date_of_service=DOS, catalog=catalog)
    error = next(e for e in result.errors if e.type == "wrong_type_of_bill")
    assert error.expected == "0131" and error.given == "0111"
    assert "0131 (a hospital, outpatient, frequency 1)" in error.explanation
    assert "0111 (a hospital, inpatient" in error.explanation
    assert "ch. 25" in error.explanation
    assert result.score < 1.0 and not result.chart_correct


def test_an_empty_type_of_bill_is_an_error(catalog):
    result = grade(ED, _answer(tob=""), date_of_service=DOS, catalog=catalog)
    assert "wrong_type_of_bill" in result.error_types()
    assert "left FL 4" in next(e.explanation for e in result.errors if e.given is None)


def test_reason_for_visit_alternate_is_accepted(catalog):
    result = grade(ED, _answer(rfv=("R07.89",)), date_of_service=DOS, catalog=catalog)
    assert result.score == 1.0


def test_reason_for_visit_wrong_missing_and_extra(catalog):
    wrong = grade(ED, _answer(rfv=("R10.9",)), date_of_service=DOS, catalog=catalog)
    err = next(e for e in wrong.errors if e.type == "wrong_reason_for_visit")
    assert (err.expected, err.given, err.target) == ("R07.9", "R10.9", "reason_for_visit")
    assert "FL 70" in err.explanation
    missing = grade(ED, _answer(rfv=()), date_of_service=DOS, catalog=catalog)
    assert "left FL 70" in next(
        e.explanation for e in missing.errors if e.type == "wrong_reason_for_visit"
    )
    extra = grade(ED, _answer(rfv=("R07.9", "R06.02")), date_of_service=DOS, catalog=catalog)
    extras = [v for v in extra.header if v.key_index is None]
    assert [v.given for v in extras] == ["R06.02"]
    assert extra.score < 1.0


def test_a_key_without_ub04_fields_grades_as_before(catalog):
    """Keys stored before FL 4 / FL 70 existed are not graded on them."""
    old = key_from_dict(
        {"setting": "facility", "diagnoses": ["R07.89"], "lines": ED.to_dict()["lines"]}
    )
    result = grade(old, _answer(tob="", rfv=()), date_of_service=DOS, catalog=catalog)
    assert result.score == 1.0 and result.header == ()


def test_claim_json_carries_the_ub04_fields():
    claim = claim_from_dict(
        {
            "diagnoses": ["S00.03XA", "W01.0XXA"],
            "lines": [],
            "type_of_bill": "0131",
            "reason_for_visit": ["S09.90XA"],
        }
    )
    assert claim.type_of_bill == "0131" and claim.reason_for_visit == ("S09.90XA",)
    assert claim_from_dict(claim.to_dict()) == claim
    assert "type_of_bill" not in Claim(("I10",)).to_dict()  # a CMS-1500 stays as it was


def test_a_bad_type_of_bill_is_a_format_error():
    import pytest

    from trainer.core.claims import ClaimFormatError

    with pytest.raises(ClaimFormatError, match="type_of_bill"):
        claim_from_dict({"diagnoses": [], "lines": [], "type_of_bill": "131"})


def test_describe_type_of_bill():
    assert describe_type_of_bill("0771") == "0771 (a clinic, an FQHC, frequency 1)"


def test_shipped_facility_templates_key_the_ub04(library):
    """Every shipped facility chart keys FL 4 (a surgery center's 0831, a hospital's 0131, an
    FQHC's 0771) and no pointers; ED charts key FL 70."""
    for template in library.templates.values():
        if template.setting != "facility":
            continue
        key = generate(template, 1).key
        center = template.place_of_service.strip() == "24"
        assert key.type_of_bill in (("0831",) if center else ("0131", "0771")), template.slug
        assert all(not k.line.pointers for k in key.lines), template.slug
        if template.specialty == "emergency_facility":
            assert key.reason_for_visit, template.slug


def test_an_optional_fl72_external_cause_is_right_entered_or_left_off(library, catalog):
    """The ED head-injury chart keys W01.0XXA as optional (FL 72): no error either way."""
    from dataclasses import replace

    template = next(
        t for t in library.templates.values() if t.slug == "head-injury-ct-anticoagulant"
    )
    variant = generate(template, 3)
    claim = variant.key.as_claim()
    assert "W01.0XXA" in claim.diagnoses and claim.diagnoses[0] != "W01.0XXA"
    without = replace(claim, diagnoses=tuple(c for c in claim.diagnoses if c != "W01.0XXA"))
    for answer in (claim, without):
        result = grade(
            variant.key, answer, date_of_service=variant.date_of_service, catalog=catalog
        )
        assert result.score == 1.0, result.error_types()
    vague = replace(
        claim, diagnoses=tuple("W19.XXXA" if c == "W01.0XXA" else c for c in claim.diagnoses)
    )
    found = grade(variant.key, vague, date_of_service=variant.date_of_service, catalog=catalog)
    assert "tripped over a rug" in " ".join(e.explanation for e in found.errors)
