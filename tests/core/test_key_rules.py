"""The validator fails a key whose codes break their own codes' rules (core.content.key_rules).

Each case edits a copy of the shipped knee-injection template (its clean copy passes, see
test_template_check) so that one rule is broken, with real codes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer.core.content.templates import load_library
from trainer.core.content.validation import check_library

KNEE = Path(__file__).resolve().parents[2] / "exercises" / "orthopaedics" / "knee-oa-injection"
DX = 'code = "{{ oa_code }}"\n'
INJECTION = 'code = "20610"\nmodifiers = ["{{ side_mod }}"]\n'


def _found(tmp_path: Path, catalog, *edits: tuple[str, str]) -> str:  # type: ignore[no-untyped-def]
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    text = meta.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    meta.write_text(text)
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    return "\n".join(m for _, _, m in report.problems)


def test_an_accepted_header_code_fails(tmp_path, catalog):
    """M17.1 has children: accepting it would count a header as right."""
    found = _found(tmp_path, catalog, (DX, DX + 'alternates = ["M17.1"]\n'))
    assert "M17.1 (alternate of M17.1" in found and "is accepted but not valid" in found


def test_modifier_25_on_a_procedure_code_fails(tmp_path, catalog):
    found = _found(
        tmp_path, catalog, (INJECTION, 'code = "20610"\nmodifiers = ["{{ side_mod }}", "25"]\n')
    )
    assert "modifier 25 reports a significant, separately identifiable E/M" in found
    assert "20610 is not an E/M code" in found


def test_modifier_59_on_an_e_m_and_units_on_a_visit_fail(tmp_path, catalog):
    visit = (
        '[[key.lines]]\ncode = "99213"\nmodifiers = ["59"]\nunits = 2\npointers = [1]\n'
        'rationale = "visit"\n\n'
    )
    found = _found(
        tmp_path, catalog, ("[[key.lines]]\n" + INJECTION, visit + "[[key.lines]]\n" + INJECTION)
    )
    assert "line 99213-59: 59 is not appended to an E/M code" in found
    assert "an E/M line is one visit, keyed 2 units" in found


def test_a_one_sex_code_on_a_template_for_either_sex_fails(tmp_path, catalog):
    """N40.0 (prostate) keyed where the patient may be female: the replay draws few patients."""
    extra = '[[key.diagnoses]]\ncode = "N40.0"\nrationale = "BPH"\n\n[[key.lines]]\n'
    found = _found(tmp_path, catalog, ("[[key.lines]]\n" + INJECTION, extra + INJECTION))
    assert "N40.0 is for one sex only, and this template's patient may be female" in found
    fixed = _found(
        tmp_path / "m",
        catalog,
        ("[[key.lines]]\n" + INJECTION, extra + INJECTION),
        ('sex = "any"', 'sex = "M"'),
    )
    assert "N40.0 is for one sex only" not in fixed


def test_an_external_cause_first_listed_fails(tmp_path, catalog):
    first = '[[key.diagnoses]]\ncode = "W01.0XXA"\nrationale = "fall"\n\n[[key.diagnoses]]\n'
    found = _found(tmp_path, catalog, ("[[key.diagnoses]]\n", first))
    assert "W01.0XXA is first-listed, but an external cause code is never first-listed" in found


def test_a_code_keyed_twice_fails(tmp_path, catalog):
    twice = '[[key.diagnoses]]\ncode = "I10"\nrationale = "htn"\n\n'
    found = _found(
        tmp_path,
        catalog,
        ("[[key.lines]]\n" + INJECTION, twice + twice + "[[key.lines]]\n" + INJECTION),
    )
    assert "I10 is keyed twice" in found


DRUG = 'code = "{{ j_code }}"\nunits = "{{ j_units }}"\npointers = [1]\n'


def test_a_drug_line_repeated_with_the_same_modifiers_fails(tmp_path, catalog):
    again = DRUG + 'rationale = "x"\n\n[[key.lines]]\n' + DRUG
    found = _found(tmp_path, catalog, (DRUG, again))
    assert "J3301 is keyed twice" in found


def test_a_discarded_drug_line_with_jw_is_not_a_duplicate(tmp_path, catalog):
    """The wasted amount of a single-dose vial is its own line with JW (CMS JW/JZ policy)."""
    waste = (
        DRUG
        + 'rationale = "x"\n\n[[key.lines]]\n'
        + DRUG.replace("pointers", 'modifiers = ["JW"]\npointers')
    )
    found = _found(tmp_path, catalog, (DRUG, waste))
    assert "keyed twice" not in found


def test_a_facility_key_without_a_type_of_bill_and_with_26_fails(tmp_path, catalog):
    found = _found(
        tmp_path,
        catalog,
        (
            'setting = "professional"\nclaim_form = "CMS-1500"',
            'setting = "facility"\nclaim_form = "UB-04"',
        ),
        (INJECTION, 'code = "20610"\nmodifiers = ["{{ side_mod }}", "26"]\n'),
    )
    assert "a facility key states the UB-04 FL 4 type of bill (013x)" in found
    assert (
        "a hospital's UB-04 reports the technical service under the full code, without 26" in found
    )


def test_a_professional_key_with_ub04_fields_fails(tmp_path, catalog):
    found = _found(
        tmp_path,
        catalog,
        ("[[key.diagnoses]]\n", '[key]\ntype_of_bill = "0131"\n\n[[key.diagnoses]]\n'),
    )
    assert "a professional (CMS-1500) key has no FL 4" in found


ASC_CHOLE = KNEE.parents[1] / "general_surgery_asc" / "laparoscopic-cholecystectomy-asc-facility"


def _asc_found(tmp_path: Path, catalog, old: str, new: str) -> str:  # type: ignore[no-untyped-def]
    folder = tmp_path / "general_surgery_asc" / "hernia"
    shutil.copytree(ASC_CHOLE, folder)
    meta = folder / "template.toml"
    text = meta.read_text()
    assert old in text, old
    meta.write_text(text.replace(old, new).replace('pair = "general_surgery_asc/', "# "))
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    return "\n".join(m for _, _, m in report.problems)


def test_a_surgery_center_ub04_is_083x_and_a_hospital_one_013x(tmp_path, catalog):
    assert _asc_found(tmp_path / "a", catalog, "", "") == ""
    found = _asc_found(tmp_path / "b", catalog, 'type_of_bill = "0831"', 'type_of_bill = "0131"')
    assert "FL 4 0131: an ambulatory surgery center's claim is type of bill 083x" in found
    found = _asc_found(tmp_path / "c", catalog, 'place_of_service = "24"', 'place_of_service = ""')
    assert "FL 4 0831: a hospital outpatient claim is type of bill 013x" in found
