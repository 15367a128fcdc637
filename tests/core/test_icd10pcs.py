"""ICD-10-PCS FY2026 in the catalog: dates, billable codes, search, the axis builder."""

from __future__ import annotations

from datetime import date

import pytest

from trainer.core.codesets.catalog import Catalog, CodeYearError
from trainer.core.codesets.icd10pcs_source import read_pcs

OCTOBER = date(2026, 2, 2)  # FY2026 October release in force
APRIL = date(2026, 5, 4)  # after the April 2026 update


def test_shipped_files_hold_the_fy2026_counts() -> None:
    rows = read_pcs()
    valid = [r for r in rows if r.valid]
    assert len(valid) == 79_193 + 2  # the April file plus the two codes April deleted
    assert sum(1 for r in valid if r.start == "2025-10-01" and not r.end) == 79_113
    assert sum(1 for r in valid if r.start == "2026-04-01") == 80
    assert {r.code for r in valid if r.end} == {"30233AZ", "30243AZ"}


def test_valid_seven_character_code(catalog: Catalog) -> None:
    found = catalog.validate("0srb0j9", "icd10pcs", APRIL)
    assert found.valid
    assert found.code == "0SRB0J9"
    assert "Left Hip Joint" in found.title


@pytest.mark.parametrize("partial", ["0SR", "0SRB0J", "0FT4"])
def test_only_a_complete_code_is_billable(catalog: Catalog, partial: str) -> None:
    found = catalog.validate(partial, "icd10pcs", APRIL)
    assert not found.valid
    assert found.reason == "header"
    assert all(len(s) == 7 and s.startswith(partial) for s in found.suggestions)


def test_april_addition_is_not_valid_before_april(catalog: Catalog) -> None:
    assert not catalog.validate("02HM3JZ", "icd10pcs", OCTOBER).valid
    assert catalog.validate("02HM3JZ", "icd10pcs", OCTOBER).reason == "not_effective"
    assert catalog.validate("02HM3JZ", "icd10pcs", date(2026, 4, 1)).valid


def test_april_deletion_is_valid_only_before_april(catalog: Catalog) -> None:
    assert catalog.validate("30233AZ", "icd10pcs", date(2026, 3, 31)).valid
    later = catalog.validate("30233AZ", "icd10pcs", date(2026, 4, 1))
    assert (later.valid, later.reason) == (False, "deleted")


def test_pcs_is_loaded_for_fy2026_discharges_only(catalog: Catalog) -> None:
    with pytest.raises(CodeYearError):
        catalog.validate("0SRB0J9", "icd10pcs", date(2025, 9, 30))
    assert catalog.validate("0SRB0J9", "icd10pcs", date(2025, 10, 1)).valid


def test_a_diagnosis_code_is_not_a_procedure(catalog: Catalog) -> None:
    found = catalog.validate("J18.9", "icd10pcs", APRIL)
    assert (found.valid, found.reason) == (False, "wrong_kind")
    assert catalog.validate("0SRB0JI", "icd10pcs", APRIL).reason == "unknown"  # no I in PCS


def test_title_search_and_lay_terms(catalog: Catalog) -> None:
    assert "0FT44ZZ" in [h.code for h in catalog.search("resection gallbladder", "icd10pcs", APRIL)]
    lap = [h.code for h in catalog.search("laparoscopic cholecystectomy", "icd10pcs", APRIL)]
    assert "0FT44ZZ" in lap
    assert "0FT40ZZ" not in lap[:2]  # open approach is not what was asked
    assert catalog.search("0SRS0", "icd10pcs", APRIL)[0].code.startswith("0SRS0")


def test_a_code_added_in_april_is_marked_on_an_earlier_date(catalog: Catalog) -> None:
    hits = catalog.search("02HM3JZ", "icd10pcs", OCTOBER)
    assert hits[0].code == "02HM3JZ"
    assert "not valid" in hits[0].note


def test_builder_walks_the_axes_from_the_codes(catalog: Catalog) -> None:
    pcs = catalog.pcs
    sections = {o.char: o.label for o in pcs.options("")}
    assert sections["0"] == "Medical and Surgical" and sections["1"] == "Obstetrics"
    assert "I" not in sections and "O" not in sections
    assert {o.char: o.label for o in pcs.options("0")}["S"] == "Lower Joints"
    assert {o.char: o.label for o in pcs.options("0S")}["R"] == "Replacement"
    parts = {o.char: o.label for o in pcs.options("0SR")}
    assert parts["B"] == "Left Hip Joint"
    assert parts["S"] == "Left Hip Joint, Femoral Surface"
    assert [o.label for o in pcs.options("0SRB")] == ["Open"]
    devices = {o.char: o.label for o in pcs.options("0SRB0")}
    assert devices["J"] == "Synthetic Substitute"
    last = {o.char: o for o in pcs.options("0SRB0J")}
    assert (last["9"].label, last["9"].code) == ("Cemented", "0SRB0J9")
    assert last["Z"].label == "No Qualifier"
    assert pcs.options("0SRB0J9") == ()


def test_builder_on_a_date_hides_codes_not_yet_valid(catalog: Catalog) -> None:
    before = {o.char for o in catalog.pcs.options("02HM3", OCTOBER)}
    after = {o.char for o in catalog.pcs.options("02HM3", APRIL)}
    assert "J" in after - before


def test_detail_names_every_axis_and_the_root_operation(catalog: Catalog) -> None:
    found = catalog.detail("0FT44ZZ", "icd10pcs")
    assert found is not None and found.billable
    axes = found.notes["axes"]
    assert "root operation: T = Resection" in axes
    assert "approach: 4 = Percutaneous Endoscopic" in axes
    assert "all of a body part" in str(found.notes["root_operation"])
