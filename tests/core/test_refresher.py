"""Code-update refreshers over the real FY2025 to FY2026 ICD-10-CM change."""

from datetime import date
from pathlib import Path

import pytest

from trainer.core.claims import claim_from_dict, key_from_dict
from trainer.core.content.refresher import (
    CodeUpdate,
    chapter_of,
    refresher_items,
    specialty_families,
    updates,
    what_changed,
)
from trainer.core.content.templates import load_library
from trainer.core.grading.grader import grade

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
FY2026 = CodeUpdate("icd10cm", 2026)


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library(EXERCISES)


def test_the_fy2026_update_is_found_with_its_dates(catalog):
    assert FY2026 in updates(catalog)
    assert FY2026.effective == date(2025, 10, 1)
    assert FY2026.window == (date(2025, 10, 1), date(2026, 9, 30))
    assert FY2026.before == (date(2024, 10, 1), date(2025, 9, 30))
    assert CodeUpdate.from_slug("icd10cm-2026") == FY2026
    assert CodeUpdate.from_slug("../etc") is None
    assert CodeUpdate("cpt", 2026).window == (date(2026, 1, 1), date(2026, 12, 31))


def test_what_changed_maps_old_to_new_and_groups_by_chapter(catalog, library):
    changes = what_changed(catalog, FY2026, library)
    assert (changes.count("added"), changes.count("deleted"), changes.count("revised")) == (
        487,
        28,
        38,
    )
    by_code = {c.code: c for c in changes.changes}
    assert by_code["E78.01"].change == "deleted"
    assert set(by_code["E78.01"].mapping) == {"E78.010", "E78.011", "E78.019"}
    assert by_code["E78.011"].mapping == ("E78.01",)  # the added code names what it replaces
    assert by_code["S30.1XXA"].mapping[0] == "S30.11XA"
    assert "Other" not in changes.by_chapter  # every code sits in its chapter (QA0 too)
    assert by_code["E78.011"] in changes.by_chapter["4 Endocrine, nutritional and metabolic"]
    assert chapter_of("QA0.8", "icd10cm") == "17 Congenital malformations"
    # Cardiology keys use E78 (hyperlipidemia): the familial split is listed for cardiology.
    assert "E78.01" in {c.code for c in changes.by_specialty["cardiology"]}


def test_a_chart_after_the_update_coded_from_memory_names_the_new_codes(catalog):
    key = key_from_dict({"diagnoses": [{"code": "E78.011", "rationale": "HeFH documented"}]})
    answer = claim_from_dict({"diagnoses": ["E78.01"], "lines": []})
    result = grade(key, answer, "strict", date(2025, 11, 3), catalog=catalog)
    error = next(e for e in result.errors if e.type == "not_valid_on_dos")
    assert "expanded on 2025-10-01" in error.explanation and "E78.011" in error.explanation
    # The same answer on a chart dated before the update is the right code.
    before = key_from_dict({"diagnoses": [{"code": "E78.01", "rationale": "FH"}]})
    assert grade(before, answer, "strict", date(2025, 9, 30), catalog=catalog).score == 1.0


def test_a_deleted_code_is_graded_with_its_replacement(catalog):
    key = key_from_dict({"diagnoses": ["S30.11XA", "W01.0XXA"]})
    answer = claim_from_dict({"diagnoses": ["S30.1XXA", "W01.0XXA"], "lines": []})
    result = grade(key, answer, "strict", date(2026, 2, 2), catalog=catalog)
    error = next(e for e in result.errors if e.type == "not_valid_on_dos")
    assert "S30.11XA" in error.explanation


def test_the_refresher_set_holds_templates_that_use_what_changed(catalog, library):
    items = {i.template_id: i for i in refresher_items(library, catalog, FY2026)}
    contusion = next(i for i in items.values() if "S30.1XXA" in i.retired_codes)
    assert set(contusion.new_codes) == {"S30.11XA", "S30.12XA", "S30.13XA"}
    # A template untouched by the update is not in the set.
    knee = next(t for t in library.templates.values() if "knee" in t.title.lower())
    assert knee.id not in items


def test_the_per_year_key_is_checked_in_each_fiscal_year(catalog, library):
    from trainer.core.content.generation import generate
    from trainer.core.content.validation import CheckReport, check_template

    template = next(
        t for t in library.templates.values() if t.slug == "trunk-contusion-code-update"
    )
    choice = {"site": "groin", "workup": "examination only"}
    before = generate(template, 1, choices=choice, between=FY2026.before).key
    after = generate(template, 1, choices=choice, between=FY2026.window).key
    assert before.diagnoses[0].code == "S30.1XXA" and after.diagnoses[0].code == "S30.12XA"
    report = CheckReport()
    check_template(template, catalog, report, seeds=1)
    assert report.problems == []
    # Each of the 6 variants is rendered once per fiscal year on top of the seeds.
    assert report.charts_rendered == 6 * (1 + 2)


def test_the_validator_rejects_a_per_year_key_invalid_in_its_year(catalog, tmp_path):
    import shutil

    from trainer.core.content.validation import check_library

    source = EXERCISES / "emergency_professional" / "trunk-contusion-code-update"
    target = tmp_path / "emergency_professional" / "contusion"
    shutil.copytree(source, target)
    meta = target / "template.toml"
    # Key the new code for FY2025 too: before 1 October 2025 it did not exist.
    meta.write_text(meta.read_text().replace('code = "S30.1XXA"', 'code = "S30.11XA"'))
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    assert any(
        "S30.11XA" in message and "2025-10-01" in message for _, _, message in report.problems
    )


PCS_APRIL = CodeUpdate("icd10pcs", 2026)


def test_the_april_2026_pcs_addenda_are_an_update_with_their_own_dates(catalog):
    """ICD-10-PCS is loaded for FY2026 only; its update is the April addenda (CMS), which
    govern discharges from 1 April 2026, the October codes those before."""
    assert PCS_APRIL in updates(catalog)
    assert PCS_APRIL.window == (date(2026, 4, 1), date(2026, 9, 30))
    assert PCS_APRIL.before == (date(2025, 10, 1), date(2026, 3, 31))
    assert CodeUpdate.from_slug("icd10pcs-2026") == PCS_APRIL
    assert "April 2026 ICD-10-PCS" in PCS_APRIL.label


def test_what_changed_in_april_lists_the_addenda_by_section_and_specialty(catalog, library):
    changes = what_changed(catalog, PCS_APRIL, library)
    assert (changes.count("added"), changes.count("deleted")) == (80, 2)
    by_code = {c.code: c for c in changes.changes}
    assert by_code["30233AZ"].change == "deleted" and by_code["3E033AZ"].change == "added"
    assert by_code["02HM3JZ"] in changes.by_chapter["PCS section 0 Medical and Surgical"]
    assert by_code["3E033AZ"] in changes.by_chapter["PCS section 3 Administration"]
    # The thrombolysis stay keys 3E0 (Introduction into a vein): the inpatient specialty is
    # shown the April codes of the same section, body system and root operation.
    assert "3E033AZ" in {c.code for c in changes.by_specialty["inpatient"]}


def test_a_code_the_addenda_deleted_is_graded_by_discharge_date(catalog):
    key = key_from_dict(
        {"diagnoses": [{"code": "D57.1", "poa": "Y"}], "procedures": [{"code": "3E033AZ"}]},
        "inpatient",
    )
    answer = claim_from_dict(
        {"diagnoses": ["D57.1"], "poa": ["Y"], "procedures": ["30233AZ"], "lines": []}
    )
    result = grade(key, answer, "strict", date(2026, 4, 20), catalog=catalog)
    assert "not_valid_on_dos" in result.error_types()
    assert catalog.validate("30233AZ", "icd10pcs", date(2026, 3, 31)).valid
    assert not catalog.validate("30233AZ", "icd10pcs", date(2026, 4, 1)).valid
    assert not catalog.validate("3E033AZ", "icd10pcs", date(2026, 3, 31)).valid


def test_a_stays_procedures_count_as_pcs_even_when_shaped_like_icd10cm(tmp_path):
    """The key says which set a code is from: B2111ZZ (PCS imaging, section B) has the shape
    of an undotted ICD-10-CM code, and read by shape it was left out of the PCS families."""
    import shutil

    source = EXERCISES / "inpatient" / "gi-bleed-gastric-ulcer"
    target = tmp_path / "inpatient" / "gi-bleed"
    shutil.copytree(source, target)
    meta = target / "template.toml"
    meta.write_text(meta.read_text().replace('code = "0DJ08ZZ"', 'code = "B2111ZZ"'))
    families = specialty_families(load_library(tmp_path), PCS_APRIL)
    assert {"B21", "302"} <= families["inpatient"]
    assert "K25" not in families["inpatient"]  # the diagnoses are not PCS families
