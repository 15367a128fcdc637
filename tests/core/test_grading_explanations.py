"""Each explanation says the reason that applies, on real codes and the catalog's real notes.

Issue 17: every extra code used to carry the uncertain-diagnosis sentence, every sequencing
error the screening rule, and Z86.010 short of Z86.0101 was called a 7th-character error.
"""

from dataclasses import replace
from datetime import date

import pytest

from trainer.core.claims import (
    AnswerKey,
    Claim,
    KeyedDiagnosis,
    KeyedLine,
    NotCoded,
    ServiceLine,
    claim_from_dict,
    key_from_dict,
)
from trainer.core.grading.grader import grade

FY2025 = date(2025, 3, 3)
FY2026 = date(2025, 11, 3)


def errors_of(result, kind):
    return [e for e in result.errors if e.type == kind]


def only(result, kind):
    found = errors_of(result, kind)
    assert len(found) == 1, result.error_types()
    return found[0]


# --------------------------------------------------------------------------- extra codes


def test_an_extra_code_without_a_known_reason_claims_no_rule(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("J06.9"),))
    result = grade(key, Claim(("J06.9", "E78.5")), date_of_service=FY2026, catalog=catalog)
    error = only(result, "extra_code")
    assert "E78.5" in error.explanation
    assert "rule out" not in error.explanation.lower()
    assert "uncertain" not in error.explanation.lower()
    assert "ICD-10-CM" not in error.explanation  # no guideline it cannot know applies
    assert error.direction == "over"


def test_an_uncertain_diagnosis_decoy_cites_the_outpatient_rule(catalog):
    key = AnswerKey(
        diagnoses=(KeyedDiagnosis("R10.31"),),
        not_coded=(NotCoded("K35.80", "uncertain_diagnosis", ""),),
    )
    result = grade(key, Claim(("R10.31", "K35.80")), date_of_service=FY2026, catalog=catalog)
    error = only(result, "extra_code")
    assert "uncertain" in error.explanation and "IV.H" in error.explanation


def test_an_integral_symptom_decoy_from_the_multiple_sclerosis_template(catalog, library):
    template = library_template(library, "multiple-sclerosis-type-code-update")
    variant = generate_variant(template, FY2026)
    given = variant.key.as_claim()
    answer = Claim(given.diagnoses + ("R26.89",), given.lines)
    error = only(grade(variant.key, answer, date_of_service=FY2026, catalog=catalog), "extra_code")
    assert "I.B.5" in error.explanation and "spastic gait" in error.explanation


def test_excludes1_conflict_names_both_codes_and_the_note(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("E11.9"),))
    result = grade(key, Claim(("E11.9", "E10.9")), date_of_service=FY2026, catalog=catalog)
    error = only(result, "excludes1_conflict")
    assert error.given == "E10.9"
    assert "E11.9" in error.explanation and "E10.9" in error.explanation
    assert 'Excludes1 note at E10: "type 2 diabetes mellitus (E11.-)"' in error.explanation
    assert "I.A.12.a" in error.explanation
    assert error.direction == "over"
    assert "extra_code" not in result.error_types()


def test_excludes1_conflict_from_a_subcategory_note(catalog):
    # I50.3 excludes combined systolic and diastolic heart failure (I50.4-).
    key = AnswerKey(diagnoses=(KeyedDiagnosis("I11.0"), KeyedDiagnosis("I50.32")))
    result = grade(
        key, Claim(("I11.0", "I50.32", "I50.42")), date_of_service=FY2026, catalog=catalog
    )
    error = only(result, "excludes1_conflict")
    assert "I50.3" in error.explanation and "(I50.4-)" in error.explanation


def test_a_history_of_decoy_explains_the_history_code(catalog):
    key = AnswerKey(
        diagnoses=(KeyedDiagnosis("I10"), KeyedDiagnosis("Z85.3")),
        not_coded=(NotCoded("C50.911", "history_of", ""),),
    )
    result = grade(key, Claim(("I10", "Z85.3", "C50.911")), date_of_service=FY2026, catalog=catalog)
    error = only(result, "extra_code")
    assert "past or resolved" in error.explanation and "IV.J" in error.explanation


def test_an_em_in_the_global_period_is_explained_as_the_global_package(catalog, library):
    template = library_template(library, "distal-radius-fracture")
    variant = generate_variant(template, FY2026, encounter="follow-up in the global period")
    claim = variant.key.as_claim()
    answer = Claim(claim.diagnoses, claim.lines + (ServiceLine("99213", pointers=(1,)),))
    error = only(grade(variant.key, answer, date_of_service=FY2026, catalog=catalog), "extra_code")
    assert "global" in error.explanation and "§40.1" in error.explanation
    assert error.direction == "over"


def test_a_bundled_line_names_the_ncci_pair(catalog):
    key = key_from_dict({"diagnoses": ["R00.2"], "lines": [{"code": "93000", "pointers": [1]}]})
    given = claim_from_dict(
        {"diagnoses": ["R00.2"], "lines": [{"code": "93000"}, {"code": "93010"}]}
    )
    error = only(grade(key, given, date_of_service=FY2026, catalog=catalog), "ncci_unbundled")
    assert "93010 into 93000" in error.explanation


def test_a_duplicate_line_is_explained_as_a_duplicate(catalog):
    key = key_from_dict({"diagnoses": ["J06.9"], "lines": [{"code": "99213", "pointers": [1]}]})
    given = claim_from_dict(
        {"diagnoses": ["J06.9"], "lines": [{"code": "99213"}, {"code": "99213"}]}
    )
    error = only(grade(key, given, date_of_service=FY2026, catalog=catalog), "extra_code")
    assert "more than one line" in error.explanation and "once" in error.explanation


# --------------------------------------------------------------------------- optional codes


@pytest.fixture
def fracture_initial(library):
    template = library_template(library, "distal-radius-fracture")
    return generate_variant(template, FY2026, encounter="initial treatment", side="right wrist")


def test_an_optional_place_code_may_be_reported_or_left_off(catalog, fracture_initial):
    key = fracture_initial.key
    assert any(d.code == "Y92.000" and d.optional for d in key.diagnoses)
    full = key.as_claim()
    without = replace(full, diagnoses=tuple(c for c in full.diagnoses if c != "Y92.000"))
    for answer in (full, without):
        result = grade(key, answer, date_of_service=FY2026, catalog=catalog)
        assert result.score == 1.0 and result.chart_correct, result.error_types()


def test_an_undocumented_place_code_is_an_error(catalog, fracture_initial):
    full = fracture_initial.key.as_claim()
    wrong_place = tuple("Y92.830" if c == "Y92.000" else c for c in full.diagnoses)
    result = grade(
        fracture_initial.key,
        Claim(wrong_place, full.lines),
        date_of_service=FY2026,
        catalog=catalog,
    )
    assert result.score < 1.0 and not result.chart_correct


# --------------------------------------------------------------------------- sequencing


def test_anaemia_in_neoplastic_disease_puts_the_malignancy_first(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("C90.00"), KeyedDiagnosis("D63.0")))
    result = grade(key, Claim(("D63.0", "C90.00")), date_of_service=FY2026, catalog=catalog)
    error = only(result, "sequencing")
    assert 'Code first note at D63.0: "neoplasm (C00-D49)"' in error.explanation
    assert "I.C.2.c.1" in error.explanation
    assert "screening" not in error.explanation


def test_a_use_additional_pair_is_graded_in_order_anywhere_in_the_list(catalog):
    key = AnswerKey(
        diagnoses=(KeyedDiagnosis("J45.41"), KeyedDiagnosis("E11.22"), KeyedDiagnosis("N18.30"))
    )
    right = grade(
        key, Claim(("J45.41", "E11.22", "N18.30")), date_of_service=FY2026, catalog=catalog
    )
    assert right.score == 1.0
    result = grade(
        key, Claim(("J45.41", "N18.30", "E11.22")), date_of_service=FY2026, catalog=catalog
    )
    error = only(result, "sequencing")
    assert (error.expected, error.given, error.index) == ("E11.22", "N18.30", 1)
    assert "E11.22" in error.explanation and "N18" in error.explanation
    assert "I.A.13" in error.explanation
    assert result.score == pytest.approx(2 / 3)


def test_unordered_secondary_codes_stay_ungraded(catalog):
    key = AnswerKey(
        diagnoses=(KeyedDiagnosis("J45.41"), KeyedDiagnosis("I10"), KeyedDiagnosis("E78.5"))
    )
    result = grade(key, Claim(("J45.41", "E78.5", "I10")), date_of_service=FY2026, catalog=catalog)
    assert result.score == 1.0


def test_an_external_cause_code_is_never_first_listed(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("S52.531A"), KeyedDiagnosis("W01.0XXA")))
    result = grade(key, Claim(("W01.0XXA", "S52.531A")), date_of_service=FY2026, catalog=catalog)
    error = only(result, "sequencing")
    assert "never first-listed" in error.explanation and "I.C.20" in error.explanation
    assert "screening" not in error.explanation


def test_the_reason_for_the_encounter_when_no_special_rule_applies(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("J06.9"), KeyedDiagnosis("I10")))
    result = grade(key, Claim(("I10", "J06.9")), date_of_service=FY2026, catalog=catalog)
    error = only(result, "sequencing")
    assert "IV.G" in error.explanation
    assert "screening" not in error.explanation


# --------------------------------------------------------------------------- header vs 7th


@pytest.mark.parametrize("dos", [FY2025, FY2026])
def test_a_subcategory_short_of_its_codes_is_a_header_not_a_seventh_character(catalog, dos):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("Z86.0101"),))
    result = grade(key, Claim(("Z86.010",)), date_of_service=dos, catalog=catalog)
    error = only(result, "header_code")
    assert "Z86.0100" in error.explanation and "Z86.0101" in error.explanation
    assert "7th character" not in error.explanation and "initial encounter" not in error.explanation
    assert error.direction == "under"


def test_milk_allergy_before_and_after_the_fy2026_expansion(catalog):
    # FY2025: Z91.011 is billable; Z91.01 short of it is a header.
    before = AnswerKey(diagnoses=(KeyedDiagnosis("Z91.011"),))
    error = only(
        grade(before, Claim(("Z91.01",)), date_of_service=FY2025, catalog=catalog), "header_code"
    )
    assert "Z91.011" in error.explanation
    # FY2026: Z91.011 was expanded into Z91.0110-Z91.0112: not a 7th-character error.
    after = AnswerKey(diagnoses=(KeyedDiagnosis("Z91.0110"),))
    result = grade(after, Claim(("Z91.011",)), date_of_service=FY2026, catalog=catalog)
    assert "seventh_character" not in result.error_types()
    error = only(result, "not_valid_on_dos")
    assert "Z91.0110" in error.explanation and "initial encounter" not in error.explanation


def test_a_fracture_short_of_its_extension_is_still_a_seventh_character_error(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("S52.531A"),))
    for given in ("S52.531", "S52.531D"):
        result = grade(key, Claim((given,)), date_of_service=FY2026, catalog=catalog)
        assert result.error_types() == ("seventh_character",), given


# --------------------------------------------------------------------------- units


def test_units_error_explains_the_drug_descriptor(catalog):
    key = key_from_dict(
        {"diagnoses": ["N20.0"], "lines": [{"code": "J1885", "units": 2, "pointers": [1]}]}
    )
    given = claim_from_dict(
        {"diagnoses": ["N20.0"], "lines": [{"code": "J1885", "units": 1, "pointers": [1]}]}
    )
    error = only(grade(key, given, date_of_service=FY2026, catalog=catalog), "wrong_units")
    assert "J1885 is billed per 15 mg: the documented 30 mg is 2 units" in error.explanation
    assert error.direction == "under"


# --------------------------------------------------------------------------- pairing


def test_an_unrelated_code_is_not_called_wrong_against_a_keyed_one(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("I10"), KeyedDiagnosis("E11.9")))
    result = grade(key, Claim(("I10", "E78.5")), date_of_service=FY2026, catalog=catalog)
    assert sorted(result.error_types()) == ["extra_code", "missing_code"]


def test_the_same_condition_in_another_category_is_still_paired(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("I12.9"), KeyedDiagnosis("N18.30")))
    result = grade(key, Claim(("I10", "N18.30")), date_of_service=FY2026, catalog=catalog)
    assert result.error_types() == ("wrong_code",)


# --------------------------------------------------------------------------- pointers

KNEE = key_from_dict(
    {
        "diagnoses": ["M17.11", "Z79.899"],
        "lines": [{"code": "20610", "modifiers": ["RT"], "pointers": [1, 2]}],
    }
)


def knee(diagnoses, pointers):
    return claim_from_dict(
        {
            "diagnoses": diagnoses,
            "lines": [{"code": "20610", "modifiers": ["RT"], "pointers": pointers}],
        }
    )


def test_pointer_at_a_duplicate_of_the_supporting_code_is_not_called_wrong(catalog):
    result = grade(
        KNEE, knee(["Z79.899", "M17.11", "M17.11"], [3]), date_of_service=FY2026, catalog=catalog
    )
    assert "wrong_pointer" not in result.error_types()


def test_a_right_first_pointer_is_no_error_and_the_element_agrees(catalog):
    result = grade(KNEE, knee(["M17.11", "Z79.899"], [1]), date_of_service=FY2026, catalog=catalog)
    assert "wrong_pointer" not in result.error_types()
    pointers = next(e for e in result.lines[0].elements if e.element == "pointers")
    assert pointers.correct and result.lines[0].correct


def test_a_wrong_first_pointer_costs_the_line_and_says_so(catalog):
    result = grade(
        KNEE, knee(["M17.11", "Z79.899"], [2, 1]), date_of_service=FY2026, catalog=catalog
    )
    error = only(result, "wrong_pointer")
    assert "points first at B (Z79.899)" in error.explanation
    assert "does not cost" not in error.explanation
    assert result.lines[0].correct is False


# --------------------------------------------------------------------------- revenue direction


def test_every_error_type_has_a_revenue_direction(catalog):
    key = key_from_dict(
        {
            "diagnoses": ["M17.11"],
            "lines": [{"code": "20610", "modifiers": ["RT"], "pointers": [1]}],
        }
    )
    invalid = grade(key, Claim(("M17.1",)), date_of_service=FY2026, catalog=catalog)
    assert only(invalid, "header_code").direction == "under"
    extra_line = claim_from_dict(
        {
            "diagnoses": ["M17.11"],
            "lines": [{"code": "20610", "modifiers": ["RT"], "pointers": [1]}, {"code": "97110"}],
        }
    )
    result = grade(key, extra_line, date_of_service=FY2026, catalog=catalog)
    assert only(result, "extra_code").direction == "over"
    wrong_side = claim_from_dict({"diagnoses": ["M17.12"], "lines": []})
    result = grade(key, wrong_side, date_of_service=FY2026, catalog=catalog)
    assert only(result, "laterality").direction == "neutral"
    assert only(result, "missing_code").direction == "under"


# --------------------------------------------------------------------------- accepted codes


def test_a_revenue_code_the_product_map_accepts_is_right(catalog):
    key = AnswerKey(
        diagnoses=(KeyedDiagnosis("D63.0"),),
        lines=(KeyedLine(ServiceLine("P9016", units=2, revenue_code="0381", pointers=(1,))),),
        setting="facility",
    )
    for rev, ok in (("0381", True), ("0390", True), ("0250", False)):
        answer = Claim(
            ("D63.0",), (ServiceLine("P9016", units=2, revenue_code=rev, pointers=(1,)),)
        )
        result = grade(key, answer, date_of_service=FY2026, catalog=catalog)
        assert result.lines[0].correct is ok, rev


def test_an_informational_side_modifier_is_accepted_only_for_the_documented_side(catalog, library):
    template = library_template(library, "mri-knee-laterality")
    variant = generate_variant(template, FY2026, side="right knee")
    line = variant.key.lines[0].line
    assert line.modifiers == ("26",)
    dx = variant.key.as_claim().diagnoses
    for mods, ok in ((("26",), True), (("26", "RT"), True), (("26", "LT"), False)):
        answer = Claim(
            dx,
            (ServiceLine(line.code, mods, 1, None, line.pointers),),
            place_of_service=variant.key.place_of_service,
        )
        result = grade(variant.key, answer, date_of_service=FY2026, catalog=catalog)
        assert result.chart_correct is ok, mods


# --------------------------------------------------------------------------- helpers


def library_template(library, slug):
    return next(t for t in library.templates.values() if t.slug == slug)


def generate_variant(template, dos, **choices):
    from trainer.core.content.generation import generate

    wanted = {}
    for variable in template.variables:
        for label in choices.values():
            if any(a.label == label for a in variable.alternatives):
                wanted[variable.name] = label
    return generate(template, 0, choices=wanted, between=(dos, dos))


def test_a_manifestation_code_listed_first_cites_the_etiology_convention(catalog):
    # Dementia in Parkinson's disease: G20.A1 first, F02.80 (in diseases classified elsewhere).
    key = AnswerKey(diagnoses=(KeyedDiagnosis("G20.A1"), KeyedDiagnosis("F02.80")))
    result = grade(key, Claim(("F02.80", "G20.A1")), date_of_service=FY2026, catalog=catalog)
    error = only(result, "sequencing")
    assert "Code first note at F02" in error.explanation
    assert "Parkinson's disease (G20.-)" in error.explanation
    assert "etiology/manifestation" in error.explanation.lower() and "I.A.13" in error.explanation


def test_an_external_cause_code_the_key_lacks_is_still_never_first(catalog):
    key = AnswerKey(diagnoses=(KeyedDiagnosis("S52.531A"),))
    result = grade(key, Claim(("W19.XXXA", "S52.531A")), date_of_service=FY2026, catalog=catalog)
    error = only(result, "sequencing")
    assert "never first-listed" in error.explanation


# ------------------------------------------------ decoys from the templates (issue 17)
# One test per kind of rule the templates' [[key.not_coded]] decoys use: the grader prints
# the decoy's own rule, not the neutral sentence, and where a real Tabular note or NCCI edit
# fires first, its Rule is still the decoy's (which documented fact makes it wrong here).


def _extra(library, catalog, slug, dx=(), lines=(), **choices):
    variant = generate_variant(library_template(library, slug), FY2026, **choices)
    claim = variant.key.as_claim()
    answer = Claim(
        claim.diagnoses + tuple(dx),
        claim.lines + tuple(ServiceLine(c, pointers=(1,)) for c in lines),
    )
    return grade(variant.key, answer, date_of_service=FY2026, catalog=catalog)


def test_an_excludes1_decoy_names_the_note_and_the_combination_code(catalog, library):
    result = _extra(
        library, catalog, "post-mi-office-visit", dx=("I20.9",), angina="exertional angina"
    )
    error = only(result, "excludes1_conflict")
    assert error.given == "I20.9"
    assert "Excludes1 note at I20" in error.explanation  # the catalog's note, quoted
    assert "I25.119" in error.explanation and "I.C.9.b" in error.explanation  # the decoy's rule


def test_an_ncci_decoy_gives_the_pair_and_the_reason_the_pair_applies(catalog, library):
    result = _extra(library, catalog, "elective-cardioversion-rhythm", lines=("93010",))
    error = only(result, "ncci_unbundled")
    assert "93010 into 92960 (modifier indicator 1)" in error.explanation
    assert "rhythm strips" in error.explanation and "no 59 or X modifier" in error.explanation


def test_a_simple_closure_with_an_excision_cites_the_cpt_excision_guideline(catalog, library):
    result = _extra(library, catalog, "trunk-lesion-excision", lines=("12001",))
    error = only(result, "ncci_unbundled")
    assert "12001 into" in error.explanation
    assert "Excision of benign and malignant lesions guidelines" in error.explanation


def test_an_other_provider_decoy_says_who_bills_it(catalog, library):
    result = _extra(
        library,
        catalog,
        "ankle-injury-splint",
        lines=("27786",),
        injury="displaced lateral malleolus fracture",
    )
    error = only(result, "extra_code")
    assert "another provider performs and bills" in error.explanation
    assert "orthopedist" in error.explanation


def test_an_incidental_history_item_cites_the_coexisting_condition_rule(catalog, library):
    result = _extra(library, catalog, "ulcerative-colitis-office-flare", dx=("G43.009",))
    error = only(result, "extra_code")
    assert "did not address" in error.explanation and "IV.J" in error.explanation


def test_a_not_documented_decoy_says_what_the_note_says_instead(catalog, library):
    result = _extra(library, catalog, "post-mi-office-visit", dx=("Z95.5",))
    error = only(result, "extra_code")
    assert "does not document" in error.explanation and "no stent" in error.explanation


def test_a_combination_code_decoy_explains_the_combination(catalog, library):
    result = _extra(library, catalog, "heart-failure-office-acuity", dx=("I10",))
    error = only(result, "extra_code")
    assert "I11.0" in error.explanation and "I.C.9.a.1" in error.explanation
