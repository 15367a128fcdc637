"""The real CMS tables in the index: CPT/HCPCS validity, PFS indicators, NCCI PTP, MUE, add-ons.

Every expectation below is a row of the shipped CMS files (NCCI v30.2 effective 2024-07-01,
MUE 2024 Q3, add-on edits 2024-06-03, HCPCS January 2025, PFS RVU25D), quoted in the test.
"""

from datetime import date

import pytest

from trainer.core.claims import AnswerKey, Claim, KeyedDiagnosis, KeyedLine, ServiceLine
from trainer.core.codesets.cms_catalog import LICENSED
from trainer.core.codesets.cms_tables import drug_unit, load_manifest
from trainer.core.grading.claim_edits import replay_edits
from trainer.core.grading.grader import grade
from trainer.core.grading.lookups import lookups_for
from trainer.core.grading.types import ERROR_TYPES, PatientFacts

DOS = date(2025, 3, 4)


def line(code, *modifiers, units=1, rev=None, pointers=(1,)):
    return ServiceLine(code, tuple(modifiers), units, rev, tuple(pointers))


def replay(catalog, lines, dos=DOS, setting="professional", dx=("R07.9",), patient=None):
    return replay_edits(lines, dx, dos, lookups_for(catalog), setting, patient)


# ---------------------------------------------------------------- the catalog knows every code


@pytest.mark.parametrize("code", ["74330", "49321", "00797", "29999", "76940"])
def test_real_cpt_codes_outside_our_wording_are_valid(catalog, code):
    result = catalog.validate(code, "cpt", DOS)
    assert result.valid, result.message
    assert result.title.startswith(LICENSED)
    assert "PFS 2025: status" in result.title  # what the fee schedule says of it


def test_a_number_no_source_knows_is_not_a_cpt_code(catalog):
    result = catalog.validate("99999", "cpt", DOS)
    assert (result.valid, result.reason) == (False, "unknown")
    assert result.message == "99999 is not a CPT code."


def test_cpt_years_come_from_the_pfs_files(catalog):
    # 0928T is in RVU25D but not in RVU24C: new for 2025.
    assert catalog.validate("0928T", "cpt", date(2024, 12, 31)).reason == "not_effective"
    assert catalog.validate("0928T", "cpt", date(2025, 1, 1)).valid


def test_2026_is_answered_from_the_2025_sets_and_says_so(catalog):
    result = catalog.validate("74300", "cpt", date(2026, 5, 1))
    assert result.valid
    assert "No 2026 CPT file is loaded yet" in result.note
    assert result.to_dict()["note"] == result.note
    assert catalog.validate("74300", "cpt", date(2025, 5, 1)).note == ""
    hcpcs = catalog.validate("J3301", "hcpcs", date(2026, 5, 1))
    assert hcpcs.valid and "2025 code set" in hcpcs.note


def test_our_cpt_wording_is_kept_where_we_have_it(catalog):
    title = catalog.validate("99213", "cpt", DOS).title
    assert title and not title.startswith(LICENSED)


def test_hcpcs_codes_carry_cms_descriptions_and_dates(catalog):
    # HCPCS 2025 Jan: J3301 "Injection, triamcinolone acetonide, not otherwise specified, 10 mg";
    # A9615 added 2025-01-01 (transaction report ADD); J1040 terminated 2024-03-31.
    j3301 = catalog.validate("J3301", "hcpcs", DOS)
    assert j3301.valid and j3301.title.startswith("Injection, triamcinolone acetonide")
    assert catalog.validate("A9615", "hcpcs", date(2024, 12, 31)).reason == "not_effective"
    assert catalog.validate("A9615", "hcpcs", date(2025, 1, 1)).valid
    j1040 = catalog.validate("J1040", "hcpcs", date(2024, 4, 1))
    assert j1040.reason == "deleted" and j1040.replacement == "J1010"
    assert catalog.validate("J1040", "hcpcs", date(2024, 3, 31)).valid


def test_drug_units_are_parsed_from_the_descriptor():
    assert drug_unit("J3301", "Injection, triamcinolone acetonide, not otherwise specified, 10 mg")
    assert drug_unit("J0696", "Injection, ceftriaxone sodium, per 250 mg") == "per 250 mg"
    assert drug_unit("E0601", "Continuous positive airway pressure (cpap) device") == ""


def test_curated_units_win_and_cms_units_fill_the_rest(catalog):
    assert catalog.drug_unit("J3301") == "10 mg"  # curated, checked
    assert catalog.drug_unit("J0139") == "1 mg"
    assert catalog.drug_unit("J9035") == "10 mg"  # bevacizumab: parsed from CMS only


def test_hcpcs_level_ii_modifiers_come_from_the_cms_file(catalog):
    assert catalog.validate("GT", "modifier", DOS).valid
    assert catalog.validate("ZZ", "modifier", DOS).reason == "unknown"


def test_search_finds_real_hcpcs_by_words_and_prefix(catalog):
    codes = [h.code for h in catalog.search("triamcinolone", kind="hcpcs")]
    assert "J3301" in codes
    assert catalog.search("J330", kind="hcpcs")[0].code.startswith("J330")


# ---------------------------------------------------------------- NCCI PTP


def test_93000_93010_is_an_indicator_1_edit_in_both_tables(catalog):
    for setting in ("professional", "facility"):
        edit = catalog.ncci_edit("93000", "93010", DOS, setting)
        assert edit.modifier_indicator == 1
        assert edit.rationale == "HCPCS/CPT procedure code definition"
        assert edit.release.startswith("NCCI v30.2")


def test_45380_45378_is_never_paid_together(catalog):
    results = replay(catalog, [line("45380"), line("45378", "XS")], dx=("K63.5",))
    assert results[0].action == "pay"
    assert (results[1].action, results[1].rule) == ("deny", "ncci_ptp")
    assert "modifier indicator 0" in results[1].reason


def test_the_outpatient_hospital_table_differs_from_the_practitioner_table(catalog):
    # 20610/99213 (indicator 1) is a practitioner edit only.
    assert catalog.ncci_edit("20610", "99213", DOS) is not None
    assert catalog.ncci_edit("20610", "99213", DOS, "facility") is None


def test_a_deleted_edit_applies_until_its_deletion_date(catalog):
    # 94669/94667 indicator 0 "Mutually exclusive procedures", deleted 2024-03-31, then
    # re-added with indicator 1: 0 through 31 March, 1 from 1 April.
    before = catalog.ncci_edit("94669", "94667", date(2024, 3, 31))
    after = catalog.ncci_edit("94669", "94667", date(2024, 4, 1))
    assert before.modifier_indicator == 0 and before.terminated == date(2024, 3, 31)
    assert after.modifier_indicator == 1
    claim = [line("94669"), line("94667", "59")]
    assert replay(catalog, claim, date(2024, 3, 29))[1].action == "deny"
    assert replay(catalog, claim, date(2024, 4, 2))[1].action == "pay"


def test_the_ui_names_the_ncci_release(catalog):
    assert catalog.ncci_release() == load_manifest()["ncci"]["label"]
    assert "2024-07-01" in catalog.ncci_release()


# ---------------------------------------------------------------- MUE


def test_j3301_units_per_day_mai_3(catalog):
    # Practitioner MUE: J3301 16, MAI 3 "Prescribing Information": units add up per day.
    edit = catalog.mue_edit("J3301", DOS)
    assert (edit.value, edit.mai, edit.rationale) == (16, 3, "Prescribing Information")
    ok = replay(catalog, [line("J3301", units=8), line("J3301", units=8)])
    assert [r.action for r in ok] == ["pay", "pay"]
    over = replay(catalog, [line("J3301", units=10), line("J3301", units=8)])
    assert over[0].action == "pay"
    assert (over[1].action, over[1].rule) == ("deny", "mue")
    assert "MAI 3" in over[1].reason and "appeal" in over[1].reason


def test_mai_1_judges_each_line_alone(catalog):
    # J3471 practitioner MUE 999, MAI 1 (line edit).
    assert catalog.mue_edit("J3471", DOS).mai == 1
    two = replay(catalog, [line("J3471", units=600), line("J3471", "76", units=600)])
    assert [r.action for r in two] == ["pay", "pay"]
    one = replay(catalog, [line("J3471", units=1000)])
    assert (one[0].action, one[0].rule) == ("deny", "mue")


def test_mue_zero_is_a_medicare_non_coverage_flag(catalog):
    # 99396 practitioner MUE 0 "CMS Policy": Medicare does not pay preventive visits.
    assert catalog.mue("99396", DOS) == 0
    lines = [line("99396")]
    commercial = PatientFacts(50, "F", "Summit Commercial PPO")
    medicare = PatientFacts(70, "F", "Medicare Part B")
    assert replay(catalog, lines, dx=("Z00.00",), patient=commercial)[0].action == "pay"
    assert replay(catalog, lines, dx=("Z00.00",), patient=medicare)[0].rule == "mue"


# ---------------------------------------------------------------- add-on codes


def test_99292_without_99291_is_denied_and_graded(catalog):
    assert catalog.add_on("99292").primaries == frozenset({"99291"})
    alone = replay(catalog, [line("99292")], dx=("R57.9",))
    assert (alone[0].action, alone[0].rule) == ("deny", "addon_without_primary")
    both = replay(catalog, [line("99291"), line("99292")], dx=("R57.9",))
    assert [r.action for r in both] == ["pay", "pay"]
    key = AnswerKey(
        (KeyedDiagnosis("R57.9"),),
        (KeyedLine(line("99291")), KeyedLine(line("99292"))),
        "professional",
    )
    result = grade(key, Claim(("R57.9",), (line("99292"),)), "strict", DOS, catalog=catalog)
    assert "addon_without_primary" in result.error_types()
    assert "addon_without_primary" in ERROR_TYPES
    own = grade(key, key.as_claim(), "strict", DOS, catalog=catalog)
    assert own.score == 1.0


# ---------------------------------------------------------------- PFS indicators


def test_99214_with_36415_needs_no_modifier_25(catalog):
    # 36415 has no global period (XXX): the old code-range rule denied the E/M.
    assert catalog.pfs("36415").global_days == "XXX"
    results = replay(catalog, [line("99214"), line("36415")], dx=("E11.9",))
    assert [r.action for r in results] == ["pay", "pay"]


def test_modifier_25_only_with_a_0_or_10_day_global(catalog):
    assert catalog.pfs("17000").global_days == "010"
    bare = replay(catalog, [line("99213"), line("17000")], dx=("L57.0",))
    assert (bare[0].action, bare[0].rule) == ("deny", "modifier_25")
    assert replay(catalog, [line("99213", "25"), line("17000")], dx=("L57.0",))[0].action == "pay"


def test_decision_for_a_90_day_procedure_takes_57(catalog):
    assert catalog.pfs("27130").global_days == "090"
    bare = replay(catalog, [line("99223"), line("27130", "RT")], dx=("M16.11",))
    assert (bare[0].action, bare[0].rule) == ("deny", "modifier_57")
    ok = replay(catalog, [line("99223", "57"), line("27130", "RT")], dx=("M16.11",))
    assert ok[0].action == "pay"


def test_26_on_a_pc_tc_indicator_0_code_is_denied(catalog):
    assert catalog.pfs("20610").pctc == "0"
    result = replay(catalog, [line("20610", "26")])[0]
    assert (result.action, result.rule) == ("deny", "modifier_26_tc")
    assert "PC/TC indicator 0" in result.reason
    assert catalog.pfs("74300").pctc == "1"
    assert replay(catalog, [line("74300", "26")])[0].action == "pay"
    # 93010 is the interpretation code itself (indicator 2): no 26 on it.
    assert replay(catalog, [line("93010", "26")])[0].rule == "modifier_26_tc"


def test_multiple_procedure_reduction_follows_the_pfs_indicator(catalog):
    # 20610 (non-facility total 1.96 RVUs) and 11042 (3.87) both carry indicator 2, and no PTP
    # edit pairs them; 11045, 11042's add-on, is never reduced.
    results = replay(catalog, [line("20610", "RT"), line("11042"), line("11045")], dx=("L97.812",))
    actions = [(r.action, r.rule) for r in results]
    assert actions[1] == ("pay", "none")  # 11042, the higher-valued, in full
    assert actions[0] == ("reduce", "multiple_procedure")
    assert "50%" in results[0].reason
    assert actions[2] == ("pay", "none")


def test_bilateral_indicator_2_makes_50_add_nothing(catalog):
    assert catalog.pfs("73565").bilateral == "2"
    result = replay(catalog, [line("73565", "50")], dx=("M17.0",))[0]
    assert (result.action, result.rule) == ("reduce", "modifier_50")
    assert catalog.pfs("20610").bilateral == "1"
    assert replay(catalog, [line("20610", "50")], dx=("M17.0",))[0].action == "pay"


# ---------------------------------------------------------------- updates and licensed text


def test_cpt_and_hcpcs_2025_updates_come_from_the_files(catalog):
    from trainer.core.content.refresher import updates

    hcpcs = catalog.diff("hcpcs", 2024, 2025)
    # The transaction report: 168 ADD, 91 discontinued, 57 long-description changes.
    assert (len(hcpcs.added), len(hcpcs.deleted), len(hcpcs.revised)) == (168, 91, 57)
    assert "A9615" in {c for c, _ in hcpcs.added}
    cpt = catalog.diff("cpt", 2024, 2025)
    assert (len(cpt.added), len(cpt.deleted)) == (169, 40)  # RVU24C -> RVU25D numbers
    assert "0928T" in {c for c, _ in cpt.added}
    assert catalog.diff("cpt", 2025, 2026).added == ()  # 2026 is 2025's set for now
    slugs = {u.slug for u in updates(catalog)}
    assert {"cpt-2025", "hcpcs-2025"} <= slugs
    assert "cpt-2026" not in slugs


def test_a_licensed_descriptor_file_replaces_every_cpt_title(tmp_path, monkeypatch, catalog):
    from trainer.core.codesets.catalog import Catalog
    from trainer.core.codesets.curated import load_curated

    licensed = tmp_path / "cpt.csv"
    licensed.write_text("code,description\n74330,Licensed text A\n99213,Licensed text B\n")
    monkeypatch.setenv("TRAINER_CPT_DESCRIPTORS", str(licensed))
    own = Catalog(catalog.index_path, load_curated())
    assert own.validate("74330", "cpt", DOS).title == "Licensed text A"
    assert own.title("99213", "cpt") == "Licensed text B"
    assert catalog.validate("74330", "cpt", DOS).title.startswith(LICENSED)
