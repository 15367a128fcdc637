"""Claim-edit replay: what a payer would do with each line, on real codes and curated edits."""

from datetime import date

import pytest

from trainer.core.claims import ServiceLine
from trainer.core.grading.claim_edits import has_pc_tc_split, replay_edits, sex_conflict
from trainer.core.grading.grader import PatientFacts
from trainer.core.grading.lookups import lookups_for

DOS = date(2025, 11, 3)


def replay(catalog, lines, diagnoses=("M17.11",), setting="professional", patient=None):
    return replay_edits(lines, diagnoses, DOS, lookups_for(catalog), setting, patient)


def line(code, *modifiers, units=1, rev=None, pointers=(1,)):
    return ServiceLine(code, tuple(modifiers), units, rev, tuple(pointers))


def test_a_clean_claim_pays_every_line(catalog):
    results = replay(catalog, [line("20610", "RT"), line("J3301", units=4)])
    assert [(r.action, r.rule) for r in results] == [("pay", "none"), ("pay", "none")]


def test_ncci_indicator_0_denies_column_2_whatever_the_modifier(catalog):
    # NCCI PTP v30.2 practitioner row: 45380, 45378, active, indicator 0, "CPT Separate
    # procedure definition": the diagnostic colonoscopy is part of the one with biopsy.
    edit = catalog.ncci_edit("45380", "45378", DOS)
    assert edit is not None and edit.modifier_indicator == 0
    assert edit.rationale == "CPT Separate procedure definition"
    results = replay(catalog, [line("45380"), line("45378", "59")], ("K63.5",))
    assert results[0].action == "pay"
    assert (results[1].action, results[1].rule) == ("deny", "ncci_ptp")
    assert "45380" in results[1].reason and "Separate procedure" in results[1].reason


def test_ncci_indicator_1_pays_with_a_distinct_service_modifier(catalog):
    # 93000/93010: active, indicator 1, "HCPCS/CPT procedure code definition" (both tables).
    edit = catalog.ncci_edit("93000", "93010", DOS)
    assert edit is not None and edit.modifier_indicator == 1
    bare = replay(catalog, [line("93000"), line("93010")], ("R00.2",))
    assert (bare[1].action, bare[1].rule) == ("deny", "ncci_ptp")
    assert "distinct-service modifier" in bare[1].reason
    assert "NCCI v30.2" in bare[1].reason
    distinct = replay(catalog, [line("93000"), line("93010", "XU")], ("R00.2",))
    assert distinct[1].action != "deny"


def test_units_over_the_mue_deny_the_line(catalog):
    cap = catalog.mue("20610", DOS)
    assert cap is not None
    results = replay(catalog, [line("20610", "RT", units=cap + 1)])
    assert (results[0].action, results[0].rule) == ("deny", "mue")


@pytest.mark.parametrize(
    ("entered", "rule"),
    [
        (line("20610", "59", "XS"), "modifier_59"),
        (line("99213", "59"), "modifier_59"),
        (line("20610", "25"), "modifier_25"),
        (line("20610", "50", units=2), "modifier_50"),
        (line("20610", "50", "RT"), "modifier_50"),
        (line("20610", "RT", "LT"), "modifier_lt_rt"),
        (line("73721", "26", "TC"), "modifier_26_tc"),
        (line("20610", "26"), "modifier_26_tc"),
    ],
)
def test_modifier_rules(catalog, entered, rule):
    result = replay(catalog, [entered])[0]
    assert (result.action, result.rule) == ("deny", rule)


def test_professional_component_of_an_mri_pays(catalog):
    assert has_pc_tc_split("73721", lookups_for(catalog))
    assert not has_pc_tc_split("93000", lookups_for(catalog))
    assert replay(catalog, [line("73721", "26")], ("M23.91",))[0].action == "pay"


def test_a_separate_e_m_with_25_pays(catalog):
    results = replay(catalog, [line("99213", "25"), line("20610", "RT")])
    assert results[0].action == "pay"


def test_facility_lines_need_the_matching_revenue_code(catalog):
    assert "0450" in catalog.revenue_codes_for("99284")
    ok = replay(catalog, [line("99284", rev="0450")], ("J06.9",), "facility")
    assert ok[0].action == "pay"
    wrong = replay(catalog, [line("99284", rev="0610")], ("J06.9",), "facility")
    assert (wrong[0].action, wrong[0].rule) == ("deny", "revenue_code")
    missing = replay(catalog, [line("99284")], ("J06.9",), "facility")
    assert "revenue code" in missing[0].reason


def test_obstetric_ultrasound_on_a_male_patient(catalog):
    male = PatientFacts(age=40, sex="M")
    result = replay(catalog, [line("76805")], ("Z3A.20",), patient=male)[0]
    assert (result.action, result.rule) == ("deny", "age_sex")


def test_prostate_diagnosis_on_a_female_patient(catalog):
    female = PatientFacts(age=60, sex="F")
    result = replay(catalog, [line("99213")], ("N40.0",), patient=female)[0]
    assert result.rule == "age_sex"
    assert "N40.0" in result.reason


def test_newborn_codes_on_an_adult(catalog):
    adult = PatientFacts(age=45, sex="F")
    assert replay(catalog, [line("99213")], ("P07.30",), patient=adult)[0].rule == "age_sex"
    newborn = PatientFacts(age=0, sex="F")
    assert replay(catalog, [line("99213")], ("Z38.00",), patient=newborn)[0].action == "pay"


def test_sex_specific_ranges_stay_narrow():
    assert sex_conflict("O80", "M") and sex_conflict("55700", "F")
    assert not sex_conflict("C50.911", "M")  # breast cancer occurs in men
    assert not sex_conflict("N39.0", "M")  # urinary tract infection: both sexes


def test_second_surgical_procedure_is_reduced(catalog):
    results = replay(catalog, [line("20610", "RT"), line("20610", "LT", "51")])
    assert results[0].action == "pay"
    assert (results[1].action, results[1].rule) == ("reduce", "multiple_procedure")


def test_add_on_codes_are_not_reduced(catalog):
    results = replay(catalog, [line("11042"), line("11045")], ("L97.812",))
    assert [r.action for r in results] == ["pay", "pay"]


def test_an_e_m_without_25_on_a_procedure_day_is_denied(catalog):
    results = replay(catalog, [line("99213"), line("20610", "RT")])
    assert (results[0].action, results[0].rule) == ("deny", "modifier_25")
    assert results[1].action == "pay"


def test_a_dme_supplier_claim_is_edited_against_the_supplier_mue_table(catalog):
    """A CPAP device (E0601) has a practitioner MUE of 0 (not payable to a physician) but a
    DME supplier MUE of 1: a key that names claim_type "dme" pays it, and the grader explains
    units against the supplier table, not the practitioner's."""
    from trainer.core.claims import AnswerKey, Claim, KeyedDiagnosis, KeyedLine, key_from_dict
    from trainer.core.grading.grader import grade

    cpap = line("E0601", "RR", "KX")
    medicare = PatientFacts(70, "M", "Medicare Part B")
    physician = replay(catalog, [cpap], ("G47.33",), patient=medicare)
    assert physician[0].action == "deny" and physician[0].rule == "mue"
    supplier = replay(catalog, [cpap], ("G47.33",), setting="dme", patient=medicare)
    assert supplier[0].action == "pay"
    key = AnswerKey(
        (KeyedDiagnosis("G47.33"),), (KeyedLine(cpap, "CPAP rental"),), claim_type="dme"
    )
    assert key_from_dict(key.to_dict()) == key
    assert "claim_type" not in AnswerKey().to_dict()  # stored keys of other claims unchanged
    result = grade(
        key, Claim(("G47.33",), (cpap,)), date_of_service=DOS, catalog=catalog, patient=medicare
    )
    assert result.chart_correct and all(e.action == "pay" for e in result.edits)
    two = grade(
        key,
        Claim(("G47.33",), (line("E0601", "RR", "KX", units=2),)),
        date_of_service=DOS,
        catalog=catalog,
    )
    assert [e.type for e in two.errors] == ["mue_exceeded"]


def test_a_dme_pair_of_one_code_goes_on_one_line_with_rt_and_lt(catalog):
    """The DME MACs bill a pair (two diabetic shoes) as one line with RT and LT and 2 units;
    on a practitioner claim RT with LT on one line stays a contradiction."""
    medicare = PatientFacts(72, "F", "Medicare Part B")
    pair = line("A5500", "RT", "LT", "KX", units=2)
    supplier = replay(catalog, [pair], ("E11.42",), setting="dme", patient=medicare)
    assert supplier[0].action == "pay"
    knee = replay(catalog, [line("20610", "RT", "LT")])
    assert knee[0].action == "deny" and knee[0].rule == "modifier_lt_rt"
