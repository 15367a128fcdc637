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


# ------------------------------------------------- rules the mutation run showed were unguarded


def test_an_mai_1_mue_judges_each_line_on_its_own(catalog):
    # A0425 (ground ambulance mileage, per statute mile): practitioner MUE 250, MAI 1 (a line
    # edit), so 250 miles pay, 251 on one line are denied, and two lines of 200 both pay.
    edit = catalog.mue_edit("A0425", DOS, "professional")
    assert (edit.value, edit.mai) == (250, 1)
    assert replay(catalog, [line("A0425", units=250)], ("R55",))[0].action == "pay"
    over = replay(catalog, [line("A0425", units=251)], ("R55",))[0]
    assert (over.action, over.rule) == ("deny", "mue")
    assert "251 units of A0425 on one line exceed its MUE of 250" in over.reason
    assert "practitioner MUE, MAI 1" in over.reason
    two = replay(catalog, [line("A0425", units=200), line("A0425", units=200)], ("R55",))
    assert [r.action for r in two] == ["pay", "pay"]


def test_mai_2_and_mai_3_denials_say_whether_an_appeal_can_pay(catalog):
    # 17000 (destruction of a premalignant lesion, first): MUE 1, MAI 2 (absolute);
    # 20610: MUE 2, MAI 3 (date of service, appealable with documentation).
    absolute = replay(catalog, [line("17000", units=2)], ("L57.0",))[0]
    assert (absolute.action, absolute.rule) == ("deny", "mue")
    assert "MAI 2 is absolute" in absolute.reason and "MAI 3" not in absolute.reason
    appealable = replay(catalog, [line("20610", "RT", units=3)])[0]
    assert "MAI 3: units above it may be paid on appeal" in appealable.reason


def test_the_mue_of_the_claim_type_applies(catalog):
    # 96372 (therapeutic injection): practitioner MUE 4, outpatient hospital MUE 5.
    assert catalog.mue_edit("96372", DOS, "professional").value == 4
    assert catalog.mue_edit("96372", DOS, "facility").value == 5
    professional = replay(catalog, [line("96372", units=5)], ("E11.9",))[0]
    assert (professional.action, professional.rule) == ("deny", "mue")
    assert "practitioner MUE" in professional.reason
    facility = replay(catalog, [line("96372", units=5, rev="0510")], ("E11.9",), "facility")[0]
    assert facility.rule != "mue"
    hospital = replay(catalog, [line("96372", units=6, rev="0510")], ("E11.9",), "facility")[0]
    assert "outpatient hospital MUE" in hospital.reason


def test_ncci_names_the_table_of_the_claim_type(catalog):
    professional = replay(catalog, [line("45380"), line("45378")], ("K63.5",))[1]
    assert "practitioner PTP table" in professional.reason
    facility = replay(
        catalog, [line("45380", rev="0750"), line("45378", rev="0750")], ("K63.5",), "facility"
    )[1]
    assert (facility.action, facility.rule) == ("deny", "ncci_ptp")
    assert "outpatient hospital PTP table" in facility.reason


def test_ncci_finds_the_pair_whatever_the_line_order_and_lines_between(catalog):
    # Column 2 entered first, and an unrelated line between the two codes of the pair.
    first = replay(catalog, [line("45378"), line("45380")], ("K63.5",))
    assert (first[0].action, first[0].rule) == ("deny", "ncci_ptp")
    between = replay(catalog, [line("93000"), line("36415"), line("93010")], ("R00.2",))
    assert (between[2].action, between[2].rule) == ("deny", "ncci_ptp")
    assert [r.line_index for r in between] == [0, 1, 2]


def test_ncci_applies_to_a_hospital_claim_and_not_to_an_fqhc_claim(catalog):
    # G0466 is an FQHC PPS payment code: the claim is an FQHC claim (TOB 77x), which the
    # outpatient hospital PTP table does not govern.
    hospital = [line("93000", rev="0730"), line("93010", rev="0730")]
    assert replay(catalog, hospital, ("R00.2",), "facility")[1].rule == "ncci_ptp"
    fqhc = [*hospital, line("G0466", rev="0521")]
    assert "ncci_ptp" not in {r.rule for r in replay(catalog, fqhc, ("R00.2",), "facility")}


def test_the_pfs_pc_tc_indicator_decides_26_over_the_imaging_ranges(catalog):
    # 77427 (radiation treatment management) sits in the radiology range but is professional
    # only (PC/TC indicator 2): no 26. 95860 (needle EMG) is outside every range but has a
    # split (indicator 1): 26 pays.
    lk = lookups_for(catalog)
    assert catalog.pfs("77427").pctc == "2" and not has_pc_tc_split("77427", lk)
    assert replay(catalog, [line("77427", "26")], ("C61",))[0].rule == "modifier_26_tc"
    assert catalog.pfs("95860").pctc == "1" and has_pc_tc_split("95860", lk, "TC")
    assert replay(catalog, [line("95860", "26")], ("G56.01",))[0].action == "pay"


def test_a_code_outside_the_fee_schedule_takes_no_tc(catalog):
    # E0100 (a cane) is DME: the fee schedule has no row for it, so no indicator is quoted.
    assert catalog.pfs("E0100") is None
    result = replay(catalog, [line("E0100", "TC")], ("M17.11",))[0]
    assert (result.action, result.rule) == ("deny", "modifier_26_tc")
    assert result.reason == "E0100 takes no TC: it has no professional/technical split"


def test_sex_specific_ranges_include_both_ends():
    # Female genital/maternity CPT 56405-59899 and obstetric ultrasound 76801-76828; male
    # genital 54000-55899; the codes just outside are for either sex.
    for code in ("56405", "59899", "76801", "76828"):
        assert sex_conflict(code, "M") and not sex_conflict(code, "F"), code
    for code in ("54000", "55899"):
        assert sex_conflict(code, "F") and not sex_conflict(code, "M"), code
    assert not sex_conflict("55920", "F") and not sex_conflict("76830", "M")
    assert sex_conflict("G0101", "M") and sex_conflict("G0102", "F")
    assert not sex_conflict("G0101", "F") and not sex_conflict("J3301", "M")


def test_the_line_code_is_checked_against_the_patient_sex(catalog):
    male = PatientFacts(age=40, sex="M")
    result = replay(catalog, [line("76805")], ("R10.9",), patient=male)[0]
    assert (result.action, result.rule) == ("deny", "age_sex")
    assert "76805 is for the other sex (patient: M)" in result.reason


def test_only_the_diagnoses_a_line_points_at_are_checked_against_the_patient(catalog):
    female = PatientFacts(age=60, sex="F")
    dx = ("R10.9", "N40.0")  # N40.0 (enlarged prostate) is for a male patient

    def rule(*pointers):
        return replay(catalog, [line("99213", pointers=pointers)], dx, patient=female)[0].rule

    assert rule(1) == "none"
    assert rule(2) == "age_sex"  # the last diagnosis is in range
    assert rule() == "age_sex"  # no pointer: every diagnosis
    assert rule(3) == "age_sex"  # a pointer past the list points at nothing: every diagnosis


def test_a_deleted_code_is_denied_as_invalid(catalog):
    # 99201 (new patient, straightforward) was deleted on 2021-01-01.
    result = replay(catalog, [line("99201")], ("J06.9",))[0]
    assert (result.action, result.rule) == ("deny", "invalid_code")
    assert result.reason.startswith("99201 is not payable on this date: ")


def test_revenue_code_denials_name_the_rule_and_the_expected_codes(catalog):
    missing = replay(catalog, [line("99284")], ("J06.9",), "facility")[0]
    assert (missing.rule, missing.reason) == (
        "revenue_code",
        "a facility line needs a revenue code (UB-04 FL42)",
    )
    unknown = replay(catalog, [line("99284", rev="0009")], ("J06.9",), "facility")[0]
    assert (unknown.rule, unknown.reason) == ("revenue_code", "0009 is not a revenue code")
    wrong = replay(catalog, [line("99284", rev="0610")], ("J06.9",), "facility")[0]
    assert "(expected 0450/0459)" in wrong.reason


def test_an_add_on_lists_at_most_six_primaries(catalog):
    # 33370 (cerebral embolic protection, add-on type 1) has six primaries (33361-33366);
    # 35682 (autogenous vein harvest) has seven.
    six = replay(catalog, [line("33370")], ("I35.0",))[0]
    assert (six.action, six.rule) == ("deny", "addon_without_primary")
    assert "(33361, 33362, 33363, 33364, 33365, 33366) on the same claim" in six.reason
    seven = replay(catalog, [line("35682")], ("I70.213",))[0]
    assert "(35556, 35566, 35570, 35571, 35583, 35585, ...) on the same claim" in seven.reason


def test_a_type_3_add_on_is_not_denied_without_a_listed_primary(catalog):
    # 20701 (antibiotic spacer, add-on type 3): the contractor decides its primaries.
    edit = catalog.add_on("20701")
    assert edit.edit_type == 3 and edit.primaries
    assert replay(catalog, [line("20701")], ("T84.50XA",))[0].rule != "addon_without_primary"


def test_the_second_procedure_names_the_highest_valued_one(catalog):
    results = replay(catalog, [line("20610", "RT"), line("11042")], ("L97.812",))
    assert "11042, the highest-valued, is paid in full" in results[0].reason


def test_a_denied_line_takes_no_part_in_the_multiple_procedure_ranking(catalog):
    # 11042-25 is denied (25 belongs on an E/M), so 20610 is the only payable procedure.
    results = replay(catalog, [line("11042", "25"), line("20610", "RT")], ("L97.812",))
    assert (results[0].action, results[0].rule) == ("deny", "modifier_25")
    assert (results[1].action, results[1].rule) == ("pay", "none")


def test_endoscopies_of_one_family_pay_the_base_once(catalog):
    # 45380 and 45381 (colonoscopy with biopsy, with injection) share base 45378 (PFS
    # indicator 3) and no PTP edit pairs them; 43239 (EGD with biopsy) has base 43235.
    results = replay(catalog, [line("45380"), line("45381")], ("K63.5",))
    assert results[0].action == "pay"
    assert (results[1].action, results[1].rule) == ("reduce", "multiple_procedure")
    assert "base 45378" in results[1].reason
    other_family = replay(catalog, [line("45380"), line("43239")], ("K63.5",))
    assert [r.action for r in other_family] == ["pay", "pay"]


def test_the_bilateral_indicator_explains_why_50_adds_nothing(catalog):
    both = replay(catalog, [line("73565", "50")], ("M17.0",))[0]
    assert "its value already covers both sides" in both.reason
    assert catalog.pfs("11042").bilateral == "0"
    none = replay(catalog, [line("11042", "50")], ("L97.812",))[0]
    assert (none.action, none.rule) == ("reduce", "modifier_50")
    assert "the bilateral adjustment does not apply to it" in none.reason


def test_e_m_modifiers_that_lift_the_global_package(catalog):
    # 17000 has a 10-day global, 27447 (total knee arthroplasty) a 90-day one.
    assert catalog.pfs("17000").global_days == "010" and catalog.pfs("27447").global_days == "090"
    minor = replay(catalog, [line("99213"), line("17000")], ("L57.0",))[0]
    assert (minor.action, minor.rule) == ("deny", "modifier_25")
    assert minor.reason.startswith(
        "an E/M on the day of 17000 (PFS global 010) is part of its global package unless it is "
        "significant and separately identifiable: modifier 25 (NCCI policy manual ch. I, CMS "
        "global surgery rules)"
    )
    for modifier in ("25", "24"):
        lifted = replay(catalog, [line("99213", modifier), line("17000")], ("L57.0",))[0]
        assert lifted.rule != "modifier_25", modifier
    major = replay(catalog, [line("99223"), line("27447", "RT")], ("M17.11",))[0]
    assert (major.action, major.rule) == ("deny", "modifier_57")
    assert major.reason.startswith(
        "an E/M on the day of 27447 (PFS global 090) is part of its global package unless it "
        "was the decision for surgery: modifier 57"
    )
    for modifier in ("57", "25", "24"):
        lifted = replay(catalog, [line("99223", modifier), line("27447", "RT")], ("M17.11",))[0]
        assert lifted.rule != "modifier_57", modifier


def test_the_replay_is_professional_by_default(catalog):
    entered = [line("20610", "RT"), line("11042")]
    results = replay_edits(entered, ("L97.812",), DOS, lookups_for(catalog))
    assert (results[0].action, results[0].rule) == ("reduce", "multiple_procedure")


@pytest.mark.parametrize(
    ("entered", "reason"),
    [
        (
            line("20610", "59", "XS"),
            "59 is never reported with an X{EPSU} modifier on one line; use the X modifier",
        ),
        (
            line("99213", "59"),
            "59 is not appended to an E/M; a separate E/M on a procedure day takes 25",
        ),
        (line("20610", "50", units=2), "a bilateral procedure (50) is one line with one unit"),
        (line("20610", "50", "RT"), "50 already means both sides; never add LT/RT"),
        (line("20610", "50", "LT"), "50 already means both sides; never add LT/RT"),
        (
            line("20610", "RT", "LT"),
            "LT and RT on one line contradict each other; report 50 or one line per side",
        ),
        (
            line("73721", "26", "TC"),
            "26 and TC together are the global service: report the code without either",
        ),
    ],
)
def test_modifier_rules_say_what_to_report_instead(catalog, entered, reason):
    assert reason in replay(catalog, [entered])[0].reason
