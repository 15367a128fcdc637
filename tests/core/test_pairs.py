"""One encounter, two claims: the pair declaration, the one-seed generation, and what differs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from trainer.core.content.pairs import (
    declaration_problems,
    differences,
    generate_pair,
    pair_problems,
    paired_professionals,
    slug_of,
    twin_of,
)
from trainer.core.content.templates import TemplateError, TemplateLibrary, parse_template

MRI = "radiology/mri-knee-laterality"
MRI_FACILITY = "hospital_outpatient/mri-knee-hospital-study"


def _by_slug(library, slug):  # type: ignore[no-untyped-def]
    return next(t for t in library.templates.values() if slug_of(t) == slug)


def test_every_shipped_pair_declaration_holds_both_ways(library):
    assert pair_problems(library) == []
    offered = paired_professionals(library)
    assert MRI in {slug_of(t) for t in offered}
    for professional in offered:
        twin = twin_of(library, professional)
        assert twin is not None and twin.setting == "facility"
        assert twin.pair == slug_of(professional)


@pytest.mark.parametrize("seed", [0, 7, 123456])
def test_one_seed_gives_both_charts_the_same_patient_date_hospital_and_finding(library, seed):
    pro, fac = _by_slug(library, MRI), _by_slug(library, MRI_FACILITY)
    charts = generate_pair(pro, fac, seed)
    a, b = charts.professional, charts.facility
    assert a.patient == b.patient and a.date_of_service == b.date_of_service
    assert a.facility == b.facility and a.choices == b.choices
    assert a.patient.name in b.chart_markdown and a.facility in b.chart_markdown
    # The same finding reaches both keys: the diagnosis codes agree.
    assert [d.code for d in a.key.diagnoses] == [d.code for d in b.key.diagnoses]
    assert generate_pair(pro, fac, seed) == charts  # deterministic


def test_the_mri_pair_differs_by_modifier_26_revenue_code_and_type_of_bill(library):
    pro, fac = _by_slug(library, MRI), _by_slug(library, MRI_FACILITY)
    charts = generate_pair(pro, fac, 3, {"side": "left knee", "finding": "osteoarthritis"})
    assert [(k.line.code, k.line.modifiers) for k in charts.professional.key.lines] == [
        ("73721", ("26",))
    ]
    facility_line = charts.facility.key.lines[0].line
    assert (facility_line.code, facility_line.modifiers, facility_line.revenue_code) == (
        "73721",
        (),
        "0610",
    )
    found = differences(charts.professional.key, charts.facility.key)
    (row,) = found.lines
    assert (row.code, row.professional, row.facility) == ("73721", "73721-26", "rev 0610 73721")
    assert "26 on the professional line" in row.note and "revenue code 0610" in row.note
    assert found.diagnoses_same and found.professional_diagnoses == ("M17.12",)
    assert found.facility_only_fields == ("FL 4 type of bill 0131",)


def test_lines_on_one_claim_only_are_named(library):
    from trainer.core.claims import AnswerKey, KeyedLine, ServiceLine

    pro = AnswerKey(lines=(KeyedLine(ServiceLine("93010")),))
    fac = AnswerKey(
        lines=(KeyedLine(ServiceLine("93005", revenue_code="0730")),), setting="facility"
    )
    rows = {r.code: r for r in differences(pro, fac).lines}
    assert rows["93010"].facility == "" and "Only on the professional claim" in rows["93010"].note
    assert rows["93005"].professional == "" and "revenue code 0730" in rows["93005"].note


def test_a_declaration_is_checked_both_ways(library):
    pro, fac = _by_slug(library, MRI), _by_slug(library, MRI_FACILITY)
    assert declaration_problems(pro, fac, MRI_FACILITY) == []
    assert "no template" in declaration_problems(pro, None, "radiology/none")[0]
    one_way = replace(fac, pair="")
    assert any("does not name" in p for p in declaration_problems(pro, one_way, MRI_FACILITY))
    same_kind = replace(fac, setting="professional", pair=MRI)
    assert any("one of each" in p for p in declaration_problems(pro, same_kind, MRI_FACILITY))
    fewer = replace(fac, variables=fac.variables[:1])
    assert any("same labels" in p for p in declaration_problems(pro, fewer, MRI_FACILITY))
    older = replace(fac, patient=replace(fac.patient, min_age=18))
    assert any("another patient" in p for p in declaration_problems(pro, older, MRI_FACILITY))
    other_years = replace(fac, code_years=(2025,))
    assert any("code years" in p for p in declaration_problems(pro, other_years, MRI_FACILITY))
    office = replace(pro, place_of_service="11")
    assert any("POS" in p for p in declaration_problems(office, fac, MRI_FACILITY))


def test_a_broken_pair_in_a_library_is_reported_against_its_template(library):
    pro, fac = _by_slug(library, MRI), _by_slug(library, MRI_FACILITY)
    broken = TemplateLibrary({pro.id: pro, fac.id: replace(fac, pair="radiology/other")})
    found = pair_problems(broken)
    assert any(p == pro.path / "template.toml" for p, _ in found)
    assert any("does not name" in m for _, m in found)


def test_a_pair_value_that_is_not_specialty_slug_does_not_load():
    text = (Path(__file__).resolve().parents[2] / "exercises" / MRI / "template.toml").read_text()
    bad = text.replace(f'pair = "{MRI_FACILITY}"', 'pair = "MRI knee"')
    with pytest.raises(TemplateError, match="specialty/slug"):
        parse_template(bad, "x", Path("exercises/radiology/mri-knee-laterality"))


def test_a_surgery_center_pair_is_done_in_the_center(library):
    pro = _by_slug(library, "general_surgery_asc/inguinal-hernia-repair")
    fac = _by_slug(library, "general_surgery_asc/inguinal-hernia-asc-facility")
    assert declaration_problems(pro, fac, fac.pair) == []
    in_hospital = replace(pro, place_of_service="22")
    assert any("surgery center's (POS 24)" in p for p in declaration_problems(in_hospital, fac, ""))
    charts = generate_pair(pro, fac, 11)
    assert "Surgery Center" in charts.facility.facility
    assert charts.facility.key.type_of_bill == "0831"
    assert {k.line.revenue_code for k in charts.facility.key.lines} == {"0490"}


def test_the_type_of_bill_reads_back_a_surgery_center():
    from trainer.core.grading.ub04 import describe_type_of_bill

    assert describe_type_of_bill("0831") == (
        "0831 (a specialty facility, an ambulatory surgery center, frequency 1)"
    )


def test_the_implant_pair_puts_the_mesh_device_code_only_on_the_hospital_claim(library):
    pro = _by_slug(library, "general_surgery_asc/ventral-hernia-mesh-surgeon")
    fac = _by_slug(library, "general_surgery_asc/ventral-hernia-mesh-hospital")
    choices = {
        "hernia": "incisional, recurrent after mesh repair",
        "size": "defect 4.5 cm",
        "state": "incarcerated",
    }
    charts = generate_pair(pro, fac, 5, choices)
    assert [k.line.code for k in charts.professional.key.lines] == ["49616"]
    assert [(k.line.code, k.line.revenue_code) for k in charts.facility.key.lines] == [
        ("49616", "0360"),
        ("C1781", "0278"),
    ]
    assert [d.code for d in charts.facility.key.diagnoses] == ["K43.0"]
    rows = {r.code: r for r in differences(charts.professional.key, charts.facility.key).lines}
    assert rows["C1781"].professional == "" and "revenue code 0278" in rows["C1781"].note


def test_the_clinician_who_did_the_service_signs_both_charts_a_reader_does_not(library):
    ed = generate_pair(
        _by_slug(library, "emergency_professional/leg-cellulitis-ed-physician"),
        _by_slug(library, "emergency_facility/leg-cellulitis-ed-facility"),
        21,
    )
    assert ed.professional.provider == ed.facility.provider
    name = ed.professional.provider.rpartition(", ")[0]
    assert f"Attending: {name}" in ed.facility.chart_markdown
    mri = generate_pair(_by_slug(library, MRI), _by_slug(library, MRI_FACILITY), 21)
    # The imaging record names the ordering clinician, not the radiologist who read it.
    assert mri.professional.provider != mri.facility.provider


def test_the_check_counts_the_pairs_and_fails_a_twin_that_does_not_answer(library, catalog):
    from trainer.core.content.validation import check_library

    pro, fac = _by_slug(library, MRI), _by_slug(library, MRI_FACILITY)
    report = check_library(TemplateLibrary({pro.id: pro, fac.id: fac}), catalog, 1)
    assert report.pairs == 1 and report.problems == []
    assert "1 professional + facility pairs" in report.render()
    lone = check_library(TemplateLibrary({pro.id: pro}), catalog, 1)
    assert lone.pairs == 0
    assert any("no template has that specialty/slug" in m for _, _, m in lone.problems)


def test_the_ed_visit_is_one_row_whatever_level_each_claim_reports():
    from trainer.core.claims import AnswerKey, KeyedLine, ServiceLine

    pro = AnswerKey(lines=(KeyedLine(ServiceLine("99283")),))
    fac = AnswerKey(
        lines=(KeyedLine(ServiceLine("99284", ("25",), revenue_code="0450")),),
        setting="facility",
    )
    (row,) = differences(pro, fac).lines
    assert (row.code, row.professional, row.facility) == ("ED visit", "99283", "rev 0450 99284-25")
    assert "medical decision making" in row.note and "facility level criteria" in row.note
    assert "Modifier 25 only on the facility line" in row.note


def test_every_pair_lists_every_line_of_both_keys(library):
    for professional in paired_professionals(library):
        twin = twin_of(library, professional)
        assert twin is not None
        for choice in professional.choices():
            charts = generate_pair(professional, twin, 0, choice)
            found = differences(charts.professional.key, charts.facility.key)
            shown_pro = " ".join(r.professional for r in found.lines)
            shown_fac = " ".join(r.facility for r in found.lines)
            for keyed in charts.professional.key.lines:
                assert keyed.line.code in shown_pro, (professional.slug, choice)
            for keyed in charts.facility.key.lines:
                assert f"rev {keyed.line.revenue_code} {keyed.line.code}" in shown_fac
            assert found.facility_only_fields[0].startswith("FL 4 type of bill 0")
