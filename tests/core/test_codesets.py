"""The versioned catalog over real data: every validation reason, both ICD-10-CM years."""

from datetime import date

import pytest

from trainer.core.codesets.catalog import CodeYearError, fiscal_year
from trainer.core.codesets.codes import guess_kind, normalize

FY2025 = date(2025, 3, 3)
FY2026 = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("typed", "kind", "expected"),
    [
        (" m17.11 ", "icd10cm", "M17.11"),
        ("m1711", "icd10cm", "M17.11"),
        ("t360x1a", "icd10cm", "T36.0X1A"),
        ("M 17.11", "icd10cm", "M17.11"),
        ("rt", "modifier", "RT"),
        ("450", "revenue", "0450"),
        ("99213", "cpt", "99213"),
        ("j3301", "hcpcs", "J3301"),
    ],
)
def test_normalise_as_coders_type(typed, kind, expected):
    assert normalize(typed, kind) == expected


@pytest.mark.parametrize("typed", ["M17.", "M1.711", "M17..11"])
def test_normalise_never_repairs_a_wrong_code(typed, catalog):
    assert not catalog.validate(typed, "icd10cm", FY2026).valid


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("99213", "cpt"),
        ("0001U", "cpt"),
        ("J3301", "hcpcs"),
        ("M17.11", "icd10cm"),
        ("Z7984", "icd10cm"),
        ("RT", "modifier"),
        ("0450", "revenue"),
    ],
)
def test_guess_kind_by_shape(code, kind):
    assert guess_kind(code) == kind


def test_valid_code_has_its_title(catalog):
    result = catalog.validate("M17.11", "icd10cm", FY2026)
    assert result.valid and result.reason is None
    assert result.title == "Unilateral primary osteoarthritis, right knee"


def test_header_lists_billable_children(catalog):
    result = catalog.validate("M17", "icd10cm", FY2026)
    assert result.reason == "header"
    assert "M17.11" in result.suggestions and "M17.9" not in ("",)
    assert all(catalog.validate(c, "icd10cm", FY2026).valid for c in result.suggestions)


def test_missing_seventh_character(catalog):
    result = catalog.validate("S52.531", "icd10cm", FY2026)
    assert result.reason == "seventh_character"
    assert "S52.531A" in result.suggestions and "S52.531D" in result.suggestions


def test_missing_placeholder_x(catalog):
    result = catalog.validate("T36.01A", "icd10cm", FY2026)
    assert result.reason == "placeholder"
    assert result.suggestions == ("T36.0X1A",)
    assert catalog.validate("W01.0A", "icd10cm", FY2026).suggestions == ("W01.0XXA",)


def test_unknown_code(catalog):
    assert catalog.validate("M17.99", "icd10cm", FY2026).reason == "unknown"
    assert catalog.validate("99999", "cpt", FY2026).reason == "unknown"


@pytest.mark.parametrize(
    ("code", "slot", "named"),
    [
        ("99213", "icd10cm", "CPT"),
        ("M17.11", "cpt", "ICD-10-CM"),
        ("J3301", "cpt", "HCPCS"),
        ("20610", "hcpcs", "CPT"),
        ("RT", "pos", "modifier"),
    ],
)
def test_wrong_kind(catalog, code, slot, named):
    result = catalog.validate(code, slot, FY2026)
    assert result.reason == "wrong_kind"
    assert named in result.message


def test_undotted_icd_in_a_diagnosis_slot_is_read_as_icd(catalog):
    assert catalog.validate("E1122", "icd10cm", FY2026).code == "E11.22"


def test_deleted_and_not_yet_effective_codes_follow_the_fiscal_year(catalog):
    diff = catalog.diff("icd10cm", 2025, 2026)
    added = diff.added[0][0]
    assert catalog.validate(added, "icd10cm", FY2026).valid
    before = catalog.validate(added, "icd10cm", FY2025)
    assert before.reason == "not_effective" and "2025-10-01" in before.message
    gone = catalog.validate("S30.1XXA", "icd10cm", FY2026)  # abdominal wall contusion
    assert catalog.validate("S30.1XXA", "icd10cm", FY2025).valid
    assert gone.reason == "deleted" and "deleted on 2025-10-01" in gone.message
    assert gone.replacement == "S30.11XA"


def test_a_code_expanded_by_the_update_is_not_valid_after_it(catalog):
    """E78.01 was billable in FY2025; FY2026 split it by type, so it is now only a header."""
    assert catalog.validate("E78.01", "icd10cm", FY2025).valid
    after = catalog.validate("E78.01", "icd10cm", FY2026)
    assert after.reason == "deleted"
    assert "expanded on 2025-10-01" in after.message
    assert set(after.suggestions) == {"E78.010", "E78.011", "E78.019"}
    # A code that was a header in both years is still reported as a header.
    assert catalog.validate("E11", "icd10cm", FY2026).reason == "header"


def test_the_october_boundary(catalog):
    assert fiscal_year(date(2025, 9, 30)) == 2025
    assert fiscal_year(date(2025, 10, 1)) == 2026
    assert catalog.year_for("icd10cm", date(2025, 10, 1)) == 2026
    assert catalog.year_for("cpt", date(2025, 10, 1)) == 2025


def test_dates_outside_the_loaded_years_are_refused(catalog):
    with pytest.raises(CodeYearError):
        catalog.validate("M17.11", "icd10cm", date(2019, 5, 1))


def test_fy2025_to_fy2026_diff_matches_the_release(catalog):
    diff = catalog.diff("icd10cm", 2025, 2026)
    assert len(diff.added) == 487
    assert len(diff.deleted) == 28
    assert len(diff.revised) == 38
    assert diff.to_dict()["counts"] == {"added": 487, "deleted": 28, "revised": 38}


def test_search_ranks_exact_code_then_billable_then_words(catalog):
    hits = catalog.search("M17.1", dos=FY2026)
    assert hits[0].code == "M17.1"
    assert hits[1].billable
    words = catalog.search("osteoarthritis right knee", dos=FY2026)
    assert "M17.11" in [h.code for h in words[:5]]
    assert catalog.search("9921")[0].code.startswith("9921")
    assert catalog.search("colonoscopy snare", kind="cpt")[0].code == "45385"


def test_curated_sets_are_consistent(catalog):
    curated = catalog.curated
    kinds = {k for k, _ in curated.entries}
    assert {"cpt", "hcpcs", "modifier", "revenue", "pos"} <= kinds
    assert sum(1 for k, _ in curated.entries if k == "cpt") >= 300
    assert sum(1 for k, _ in curated.entries if k == "hcpcs") >= 150
    assert sum(1 for k, c in curated.entries if k == "hcpcs" and c.startswith("J")) >= 60
    assert sum(1 for k, _ in curated.entries if k == "revenue") >= 60
    assert all(e.title for e in curated.entries.values())


def test_drug_units_and_department_agreement(catalog):
    assert catalog.drug_unit("J3301") == "10 mg"
    assert "0450" in catalog.revenue_codes_for("99284")
    assert "0636" in catalog.revenue_codes_for("J1885")
    assert catalog.revenue_codes_for("93005") == ("0730",)
    # The real tables (practitioner MUE, NCCI PTP v30.2): 93010 bundles into 93000 with
    # modifier indicator 1, as CMS publishes it (our old teaching subset said 0).
    assert catalog.mue("20610", FY2026) == 2
    assert catalog.ncci_edit("93000", "93010", FY2026).modifier_indicator == 1


def test_code_detail_has_notes_children_and_years(catalog):
    detail = catalog.detail("S52.531", "icd10cm")
    assert "S52.531A" in detail.children
    assert detail.seventh["A"].startswith("initial encounter")
    assert detail.years == (2025, 2026)
    assert catalog.detail("E11", "icd10cm").notes


def test_cpt_deleted_on_1_january_names_its_replacement(catalog):
    # The telephone E/M codes ended with 2024; 2025 brought the audio-only codes 98008-98015.
    result = catalog.validate("99442", "cpt", date(2025, 2, 3))
    assert result.reason == "deleted"
    assert result.replacement == "98013"
    assert catalog.validate("98013", "cpt", date(2025, 2, 3)).valid
