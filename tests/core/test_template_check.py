"""The template validator catches each defect it promises to, with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer.core.content.templates import load_library
from trainer.core.content.validation import check_library

ROOT = Path(__file__).resolve().parents[2] / "exercises"
KNEE = ROOT / "orthopaedics" / "knee-oa-injection"


def _check(tmp_path: Path, catalog, meta_edit=None, body_edit=None):  # type: ignore[no-untyped-def]
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    if meta_edit:
        meta = folder / "template.toml"
        meta.write_text(meta.read_text().replace(*meta_edit))
    if body_edit:
        body = folder / "chart.md.j2"
        body.write_text(body.read_text().replace(*body_edit))
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    return "\n".join(m for _, _, m in report.problems)


def test_every_shipped_template_passes(catalog):
    report = check_library(load_library(ROOT), catalog, seeds_per_variant=2)
    assert report.problems == [], report.render()
    # Issue 20's content targets, as the check reports them.
    assert report.specialties >= 20
    assert report.templates >= 200
    assert report.distinct_keys == report.variants >= 1200
    assert report.smallest_specialty[1] >= 8, report.smallest_specialty
    assert report.certification_level * 4 >= report.templates  # a quarter at difficulty 4-5
    assert report.pairs >= 10
    assert "smallest specialty:" in report.render()
    library = load_library(ROOT)
    thin = [t.path.name for t in library.templates.values() if t.variant_count() < 4]
    assert thin == [], f"templates with fewer than 4 variants: {thin}"


def test_clean_copy_passes(tmp_path, catalog):
    assert _check(tmp_path, catalog) == ""


def test_a_key_the_payer_replay_denies_fails(tmp_path, catalog):
    # 26 on 20610 (PFS PC/TC indicator 0): every variant's correct claim would be denied.
    edit = ('modifiers = ["{{ side_mod }}"]', 'modifiers = ["{{ side_mod }}", "26"]')
    found = _check(tmp_path, catalog, edit)
    assert "payer replay denies the key's line 1 (20610)" in found
    assert "[modifier_26_tc]" in found


def test_a_declared_denial_is_allowed(tmp_path, catalog):
    edit = (
        'modifiers = ["{{ side_mod }}"]',
        'modifiers = ["{{ side_mod }}", "26"]',
    )
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    text = meta.read_text().replace(*edit)
    meta.write_text(
        text.replace("chart_type =", 'intended_denials = ["modifier_26_tc"]\nchart_type =', 1)
    )
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    assert not any("payer replay" in m for _, _, m in report.problems), report.render()


def test_key_code_not_valid_on_the_date(tmp_path, catalog):
    found = _check(tmp_path, catalog, ('oa_code = "M17.11"', 'oa_code = "M17.1"'))
    assert "M17.1" in found and "header" in found


def test_variants_with_the_same_key(tmp_path, catalog):
    found = _check(
        tmp_path,
        catalog,
        ('oa_code = "M17.12", side_mod = "LT"', 'oa_code = "M17.11", side_mod = "RT"'),
    )
    assert "same key" in found


def test_chart_that_prints_a_code(tmp_path, catalog):
    found = _check(
        tmp_path, catalog, body_edit=("**Assessment:**", "**Assessment:** {{ oa_code }}")
    )
    assert "the chart prints" in found


def test_undefined_variable(tmp_path, catalog):
    found = _check(tmp_path, catalog, body_edit=("**Plan:**", "**Plan:** {{ no_such_value }}"))
    assert "undefined variable" in found


def test_facility_template_needs_revenue_codes(tmp_path, catalog):
    found = _check(
        tmp_path,
        catalog,
        (
            'setting = "professional"\nclaim_form = "CMS-1500"',
            'setting = "facility"\nclaim_form = "UB-04"',
        ),
    )
    assert "no revenue code" in found


TITLE = 'title = "Knee osteoarthritis: corticosteroid injection"'


def test_title_that_names_a_key_code(tmp_path, catalog):
    found = _check(tmp_path, catalog, (TITLE, 'title = "Knee injection (20610) of the knee"'))
    assert "the title names key code 20610" in found


def test_title_that_names_a_category_of_the_key(tmp_path, catalog):
    found = _check(tmp_path, catalog, (TITLE, 'title = "Knee osteoarthritis (M17) injection"'))
    assert "the title names M17, the category of key code M17.11" in found


def test_title_that_names_a_key_modifier(tmp_path, catalog):
    found = _check(tmp_path, catalog, (TITLE, 'title = "Knee injection with the RT modifier"'))
    assert "the title names key modifier RT" in found


def test_title_words_and_numbers_that_are_no_key_code_pass(tmp_path, catalog):
    # "40 mg", a year and an unrelated code-shaped word are not the key.
    title = 'title = "Knee injection of 40 mg in 2026, not an E11 visit"'
    assert _check(tmp_path, catalog, (TITLE, title)) == ""


def test_a_decoy_that_is_also_keyed(tmp_path, catalog):
    decoy = '[[key.not_coded]]\ncode = "{{ oa_code }}"\nreason = "not_documented"\n\n'
    found = _check(tmp_path, catalog, ("[[key.lines]]", decoy + "[[key.lines]]"))
    assert "M17.11 is both keyed and listed as not coded" in found


def test_a_documented_fact_the_key_ignores(tmp_path, catalog):
    found = _check(
        tmp_path,
        catalog,
        body_edit=(
            "**Assessment:**",
            "Urine pregnancy test in the office: negative.\n\n**Assessment:**",
        ),
    )
    assert "documents urine pregnancy test" in found and "81025" in found
