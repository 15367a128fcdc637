"""Code-update refreshers over the real FY2025 to FY2026 ICD-10-CM change."""

from datetime import date
from pathlib import Path

import pytest

from trainer.core.claims import claim_from_dict, key_from_dict
from trainer.core.exercises import load_library
from trainer.core.grading import grade
from trainer.core.refresher import CodeUpdate, chapter_of, refresher_items, updates, what_changed

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
