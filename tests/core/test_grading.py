"""The grader on real charts: every error type, with the explanation a trainee reads."""

from datetime import date

import pytest

from trainer.core.claims import (
    AnswerKey,
    Claim,
    EMFacts,
    KeyedDiagnosis,
    KeyedLine,
    ServiceLine,
    claim_from_dict,
    key_from_dict,
)
from trainer.core.grading.grader import grade

DOS = date(2025, 11, 3)  # FY2026 ICD-10-CM, CY2025 CPT/HCPCS

KNEE_RATIONALE = (
    "The note documents primary osteoarthritis of the right knee, so M17.11: documented "
    "laterality is coded"
)
KNEE = key_from_dict(
    {
        "diagnoses": [{"code": "M17.11", "rationale": KNEE_RATIONALE}, "Z79.899"],
        "lines": [
            {"code": "20610", "modifiers": ["RT"], "pointers": [1], "rationale": "major joint"},
            {
                "code": "J3301",
                "units": 4,
                "pointers": [1],
                "rationale": "40 mg of triamcinolone at 10 mg per unit is 4 units",
            },
        ],
    }
)


def answer(diagnoses, lines):
    return claim_from_dict({"diagnoses": diagnoses, "lines": lines})


def knee_answer(diagnoses=("M17.11", "Z79.899"), knee=None, drug=None):
    lines = [
        knee or {"code": "20610", "modifiers": ["RT"], "pointers": [1]},
        drug or {"code": "J3301", "units": 4, "pointers": [1]},
    ]
    return answer(list(diagnoses), lines)


def only(result, kind):
    found = [e for e in result.errors if e.type == kind]
    assert len(found) == 1, result.error_types()
    return found[0]


def test_the_keyed_answer_scores_full_marks(catalog):
    result = grade(KNEE, knee_answer(), date_of_service=DOS, catalog=catalog)
    assert result.score == 1.0
    assert result.chart_correct
    assert result.errors == ()
    assert [e.action for e in result.edits] == ["pay", "pay"]


def test_codes_are_read_as_coders_type_them(catalog):
    typed = answer(
        ["m1711", " z79.899 "],
        [
            {"code": "20610", "modifiers": ["rt"], "pointers": [1]},
            {"code": "j3301", "units": 4, "pointers": [1]},
        ],
    )
    assert grade(KNEE, typed, date_of_service=DOS, catalog=catalog).score == 1.0


def test_specificity_unspecified_knee_when_the_side_is_documented(catalog):
    result = grade(KNEE, knee_answer(("M17.9", "Z79.899")), date_of_service=DOS, catalog=catalog)
    error = only(result, "specificity")
    assert (error.expected, error.given) == ("M17.11", "M17.9")
    assert "M17.9 (Osteoarthritis of knee, unspecified)" in error.explanation
    assert "documented laterality is coded" in error.explanation
    assert result.diagnoses[0].correct is False


def test_laterality_left_knee_for_right(catalog):
    result = grade(KNEE, knee_answer(("M17.12", "Z79.899")), date_of_service=DOS, catalog=catalog)
    assert only(result, "laterality").given == "M17.12"


def test_laterality_of_a_fracture_keeps_its_seventh_character(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("S82.101A"),))
    result = grade(key, Claim(("S82.102A",)), date_of_service=DOS, catalog=catalog)
    assert result.error_types() == ("laterality",)


def test_unspecified_side_in_the_same_subcategory_is_a_laterality_error(catalog):
    result = grade(KNEE, knee_answer(("M17.10", "Z79.899")), date_of_service=DOS, catalog=catalog)
    assert "laterality" in result.error_types()


def test_seventh_character_missing(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("S52.501A"),))
    result = grade(key, Claim(("S52.501",)), date_of_service=DOS, catalog=catalog)
    error = only(result, "seventh_character")
    assert error.expected == "S52.501A"
    assert "7th character" in error.explanation


def test_seventh_character_wrong_encounter(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("S52.501A"),))
    result = grade(key, Claim(("S52.501D",)), date_of_service=DOS, catalog=catalog)
    assert result.error_types() == ("seventh_character",)


def test_placeholder_x_missing(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("T36.0X1A"),))
    result = grade(key, Claim(("T36.01A",)), date_of_service=DOS, catalog=catalog)
    error = only(result, "seventh_character")
    assert "placeholder X" in error.explanation


def test_header_code_lists_what_is_billable(catalog):
    result = grade(KNEE, knee_answer(("M17.1", "Z79.899")), date_of_service=DOS, catalog=catalog)
    error = only(result, "header_code")
    assert error.given == "M17.1"
    assert "M17.11" in error.explanation


def test_invalid_code(catalog):
    result = grade(KNEE, knee_answer(("M17.11", "Z79.999")), date_of_service=DOS, catalog=catalog)
    error = only(result, "invalid_code")
    assert error.given == "Z79.999"


def test_combination_code_required_for_hypertension_with_ckd(catalog):
    key = key_from_dict({"diagnoses": ["I12.9", "N18.30"], "lines": []})
    result = grade(key, Claim(("I10", "N18.30")), date_of_service=DOS, catalog=catalog)
    error = only(result, "wrong_code")
    assert (error.expected, error.given) == ("I12.9", "I10")
    assert "combination code" in error.explanation
    assert result.score == 0.5


def test_sequencing_screening_before_the_finding(catalog):
    key = key_from_dict(
        {
            "diagnoses": ["Z12.11", "K63.5"],
            "lines": [{"code": "45385", "modifiers": ["PT"], "pointers": [1, 2]}],
        }
    )
    wrong_order = answer(
        ["K63.5", "Z12.11"], [{"code": "45385", "modifiers": ["PT"], "pointers": [2, 1]}]
    )
    result = grade(key, wrong_order, date_of_service=DOS, catalog=catalog)
    error = only(result, "sequencing")
    assert (error.expected, error.given) == ("Z12.11", "K63.5")
    assert "screening" in error.explanation
    # The pointers follow the codes, not the positions: the line itself is right.
    assert result.lines[0].correct
    assert result.score == pytest.approx(2 / 3)


def test_secondary_diagnosis_order_does_not_count(catalog):
    key = key_from_dict({"diagnoses": ["I12.9", "N18.30", "Z79.899"], "lines": []})
    result = grade(key, Claim(("I12.9", "Z79.899", "N18.30")), date_of_service=DOS, catalog=catalog)
    assert result.score == 1.0


def test_missing_and_extra_codes(catalog):
    result = grade(KNEE, knee_answer(("M17.11", "E11.9")), date_of_service=DOS, catalog=catalog)
    # Z79.899 and E11.9 share no category and no chapter: one missing, one extra.
    assert sorted(result.error_types()) == ["extra_code", "missing_code"]
    assert only(result, "missing_code").direction == "under"
    assert only(result, "extra_code").direction == "over"


def test_modifier_errors(catalog):
    missing = grade(
        KNEE,
        knee_answer(knee={"code": "20610", "pointers": [1]}),
        date_of_service=DOS,
        catalog=catalog,
    )
    assert only(missing, "missing_modifier").expected == "RT"
    wrong = grade(
        KNEE,
        knee_answer(knee={"code": "20610", "modifiers": ["LT"], "pointers": [1]}),
        date_of_service=DOS,
        catalog=catalog,
    )
    error = only(wrong, "wrong_modifier")
    assert (error.expected, error.given) == ("RT", "LT")
    extra = grade(
        KNEE,
        knee_answer(knee={"code": "20610", "modifiers": ["RT", "59"], "pointers": [1]}),
        date_of_service=DOS,
        catalog=catalog,
    )
    assert only(extra, "extra_modifier").given == "59"
    assert only(extra, "extra_modifier").direction == "over"


def test_modifier_order_does_not_matter(catalog):
    key = key_from_dict(
        {"diagnoses": ["Z12.11"], "lines": [{"code": "45385", "modifiers": ["PT", "XS"]}]}
    )
    result = grade(
        key,
        answer(["Z12.11"], [{"code": "45385", "modifiers": ["XS", "PT"]}]),
        date_of_service=DOS,
        catalog=catalog,
    )
    assert result.score == 1.0


def test_drug_units_follow_the_billing_unit(catalog):
    assert catalog.drug_unit("J3301") == "10 mg"
    result = grade(
        KNEE,
        knee_answer(drug={"code": "J3301", "units": 1, "pointers": [1]}),
        date_of_service=DOS,
        catalog=catalog,
    )
    error = only(result, "wrong_units")
    assert (error.expected, error.given) == ("4", "1")
    assert "40 mg of triamcinolone at 10 mg per unit is 4 units" in error.explanation
    assert error.direction == "under"
    assert result.lines[1].correct is False


def test_forty_units_for_forty_mg_is_over_the_mue(catalog):
    result = grade(
        KNEE,
        knee_answer(drug={"code": "J3301", "units": 40, "pointers": [1]}),
        date_of_service=DOS,
        catalog=catalog,
    )
    error = only(result, "mue_exceeded")
    assert (error.expected, error.given, error.direction) == ("4", "40", "over")


def test_units_over_the_mue(catalog):
    result = grade(
        KNEE,
        knee_answer(knee={"code": "20610", "modifiers": ["RT"], "units": 3, "pointers": [1]}),
        date_of_service=DOS,
        catalog=catalog,
    )
    error = only(result, "mue_exceeded")
    assert "MUE" in error.explanation
    assert result.edits[0].action == "deny"


def test_ncci_unbundled_ecg_interpretation_with_the_global_ecg(catalog):
    key = key_from_dict({"diagnoses": ["R00.2"], "lines": [{"code": "93000", "pointers": [1]}]})
    given = answer(
        ["R00.2"], [{"code": "93000", "pointers": [1]}, {"code": "93010", "pointers": [1]}]
    )
    result = grade(key, given, date_of_service=DOS, catalog=catalog)
    error = only(result, "ncci_unbundled")
    assert (error.expected, error.given) == ("93000", "93010")
    assert error.direction == "over"
    assert result.edits[1].action == "deny"
    assert result.edits[1].rule == "ncci_ptp"


def test_wrong_revenue_code_on_a_facility_ed_line(catalog):
    key = key_from_dict(
        {
            "diagnoses": ["J06.9"],
            "lines": [{"code": "99284", "revenue_code": "0450", "pointers": [1]}],
            "setting": "facility",
        }
    )
    given = answer(["J06.9"], [{"code": "99284", "revenue_code": "0510", "pointers": [1]}])
    result = grade(key, given, date_of_service=DOS, catalog=catalog)
    error = only(result, "wrong_revenue_code")
    assert (error.expected, error.given) == ("0450", "0510")
    right = answer(["J06.9"], [{"code": "99284", "revenue_code": "450", "pointers": [1]}])
    assert grade(key, right, date_of_service=DOS, catalog=catalog).score == 1.0


OFFICE = AnswerKey(
    diagnoses=(KeyedDiagnosis("I10"), KeyedDiagnosis("E11.9")),
    lines=(KeyedLine(ServiceLine("99214", pointers=(1, 2))),),
    em=EMFacts("office_established", "moderate", "low", "moderate"),
)


def test_em_level_low_explains_the_elements(catalog):
    given = answer(["I10", "E11.9"], [{"code": "99213", "pointers": [1, 2]}])
    result = grade(OFFICE, given, date_of_service=DOS, catalog=catalog)
    error = only(result, "em_level_low")
    assert (error.expected, error.given) == ("99214", "99213")
    assert error.direction == "under"
    assert "problems and risk meet moderate MDM" in error.explanation
    assert result.em is not None and result.em.departs == ("problems", "risk")


def test_em_level_high(catalog):
    given = answer(["I10", "E11.9"], [{"code": "99215", "pointers": [1, 2]}])
    result = grade(OFFICE, given, date_of_service=DOS, catalog=catalog)
    assert only(result, "em_level_high").direction == "over"
    assert "wrong_code" not in result.error_types()


def test_first_pointer_must_point_at_the_supporting_diagnosis(catalog):
    given = knee_answer(knee={"code": "20610", "modifiers": ["RT"], "pointers": [2]})
    result = grade(KNEE, given, date_of_service=DOS, catalog=catalog)
    assert only(result, "wrong_pointer").element == "pointers"
    assert result.lines[0].correct is False


def test_keyed_alternates_are_accepted(catalog):
    key = AnswerKey(
        diagnoses=(KeyedDiagnosis("M17.11"), KeyedDiagnosis("Z79.899", alternates=("Z79.52",))),
    )
    assert grade(key, Claim(("M17.11", "Z79.52")), date_of_service=DOS, catalog=catalog).score == 1


def test_alternate_claims_keep_the_best(catalog):
    key = key_from_dict(
        {
            "diagnoses": ["I12.9", "N18.30"],
            "lines": [],
            "alternates": [{"diagnoses": ["I12.9", "N18.9"], "lines": []}],
        }
    )
    result = grade(key, Claim(("I12.9", "N18.9")), date_of_service=DOS, catalog=catalog)
    assert result.score == 1.0
    assert result.key_variant == 1


def test_a_date_outside_the_loaded_years_is_graded_not_raised(catalog):
    result = grade(
        KNEE, knee_answer(("M17.9", "Z79.899")), date_of_service=date(2001, 5, 1), catalog=catalog
    )
    assert result.error_types()[0] == "not_valid_on_dos"
    assert result.score == 0.75


def test_to_dict_has_the_endpoint_shape(catalog):
    result = grade(KNEE, knee_answer(("M17.9", "Z79.899")), date_of_service=DOS, catalog=catalog)
    data = result.to_dict()
    assert data["chart_correct"] is False
    assert set(data["scores"]) == {"strict", "audit", "exam"}
    assert data["errors"][0]["type"] == "specificity"
    assert {"type", "expected", "given", "explanation"} <= set(data["errors"][0])
    assert data["edits"][0] == {
        "line_index": 0,
        "action": "pay",
        "reason": "no edit applies",
        "rule": "none",
    }
    assert data["lines"][0]["elements"][0] == {
        "element": "code",
        "expected": "20610",
        "given": "20610",
        "correct": True,
    }


def test_a_code_entered_twice_is_an_extra(catalog):
    result = grade(
        KNEE, knee_answer(("M17.11", "Z79.899", "M17.11")), date_of_service=DOS, catalog=catalog
    )
    error = only(result, "extra_code")
    assert "twice" in error.explanation
    assert result.score == pytest.approx(4 / 5)


@pytest.mark.parametrize("junk", ["", "   ", "!!!", "20610", "DROP TABLE", "M17.11.11", "ü"])
def test_junk_codes_are_graded_not_raised(catalog, junk):
    result = grade(KNEE, knee_answer((junk, "Z79.899")), date_of_service=DOS, catalog=catalog)
    assert result.diagnoses[0].correct is False
    given = answer(["M17.11"], [{"code": junk, "modifiers": [junk], "units": 9999}])
    assert grade(KNEE, given, date_of_service=DOS, catalog=catalog).score < 1


def test_wrong_first_pointer_names_the_supporting_diagnosis(catalog):
    given = knee_answer(knee={"code": "20610", "modifiers": ["RT"], "pointers": [2, 1]})
    error = only(grade(KNEE, given, date_of_service=DOS, catalog=catalog), "wrong_pointer")
    assert "B (Z79.899)" in error.explanation and "M17.11" in error.explanation


def test_code_deleted_in_fy2026_is_not_valid_on_a_fy2026_date(catalog):
    # FY2026 split contusion of the abdominal wall out of S30.1XXA (deleted 2025-10-01).
    key = AnswerKey(diagnoses=(KeyedDiagnosis("S30.11XA"),))
    result = grade(key, Claim(("S30.1XXA",)), date_of_service=DOS, catalog=catalog)
    error = only(result, "not_valid_on_dos")
    assert "deleted on 2025-10-01" in error.explanation
    assert "S30.11XA" in error.explanation


def test_a_cpt_code_in_a_diagnosis_slot_is_invalid(catalog):
    result = grade(KNEE, knee_answer(("M17.11", "20610")), date_of_service=DOS, catalog=catalog)
    error = only(result, "invalid_code")
    assert "CPT" in error.explanation


def test_screening_colonoscopy_turned_diagnostic_needs_pt(catalog):
    key = key_from_dict(
        {
            "diagnoses": ["Z12.11", "K63.5"],
            "lines": [{"code": "45385", "modifiers": ["PT"], "pointers": [1, 2]}],
        }
    )
    given = answer(["Z12.11", "K63.5"], [{"code": "45385", "pointers": [1, 2]}])
    result = grade(key, given, date_of_service=DOS, catalog=catalog)
    assert only(result, "missing_modifier").expected == "PT"
    assert result.score == pytest.approx(2 / 3)
