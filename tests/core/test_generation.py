"""The chart generator: deterministic, realistic demographics, sanitised, history-proof."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from trainer.core.content.generation import DOS_WINDOW, Variant, generate
from trainer.core.content.rendering import render_markdown
from trainer.core.content.templates import load_library, load_template

ROOT = Path(__file__).resolve().parents[2] / "exercises"
KNEE = ROOT / "orthopaedics" / "knee-oa-injection"
FRACTURE = ROOT / "orthopaedics" / "distal-radius-fracture"


def test_same_seed_same_chart_and_key():
    template = load_template(KNEE)
    assert generate(template, 42) == generate(template, 42)
    assert generate(template, 42).chart_markdown != generate(template, 43).chart_markdown


def test_same_seed_same_chart_when_two_threads_generate_at_once():
    """Each generation draws names and text from its own seeded Faker: two threads generating
    different seeds concurrently get exactly what generating them one after the other gives."""
    import sys
    import threading

    template = load_template(KNEE)
    seeds = {"a": list(range(0, 60)), "b": list(range(1000, 1060))}
    expected = {name: [generate(template, s) for s in run] for name, run in seeds.items()}
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to interleave the draws
    try:
        start = threading.Barrier(2)
        got: dict[str, list[Variant]] = {}

        def run(name: str) -> None:
            start.wait()
            got[name] = [generate(template, s) for s in seeds[name]]

        threads = [threading.Thread(target=run, args=(name,)) for name in seeds]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(previous)
    assert got == expected


def test_choices_decide_the_key():
    template = load_template(KNEE)
    right = generate(template, 1, choices={"side": "right knee", "drug": "triamcinolone 40 mg"})
    left = generate(template, 1, choices={"side": "left knee", "drug": "triamcinolone 40 mg"})
    assert right.key.diagnoses[0].code == "M17.11" and right.key.lines[0].line.modifiers == ("RT",)
    assert left.key.diagnoses[0].code == "M17.12" and left.key.lines[0].line.modifiers == ("LT",)
    assert right.key.lines[1].line.units == 4  # 40 mg of a per-10-mg J-code


def test_demographics_agree_with_the_case():
    template = load_template(FRACTURE)  # women 55-85
    for seed in range(40):
        variant = generate(template, seed)
        dos, patient = variant.date_of_service, variant.patient
        assert patient.sex == "F"
        assert 55 <= patient.age <= 85
        age = (
            dos.year
            - patient.dob.year
            - ((dos.month, dos.day) < (patient.dob.month, patient.dob.day))
        )
        assert age == patient.age
        assert DOS_WINDOW[0] <= dos <= DOS_WINDOW[1] and dos.year in template.code_years
        assert dos.weekday() < 5


def test_medicare_templates_get_a_medicare_payer():
    template = load_template(ROOT / "gastroenterology" / "screening-colonoscopy-medicare")
    assert all(generate(template, s).patient.payer.startswith("Medicare") for s in range(10))


def test_a_variant_round_trips_exactly():
    variant = generate(load_template(FRACTURE), 7)
    assert Variant.from_dict(variant.to_dict()) == variant


def test_stored_variant_survives_template_edits(tmp_path):
    folder = tmp_path / "orthopaedics" / "knee-oa-injection"
    shutil.copytree(KNEE, folder)
    choice = {"side": "right knee", "drug": "triamcinolone 40 mg"}
    stored = generate(load_template(folder), 5, choices=choice).to_dict()
    meta = folder / "template.toml"
    meta.write_text(meta.read_text().replace('oa_code = "M17.11"', 'oa_code = "M17.10"'))
    regenerated = generate(load_template(folder), 5, choices=choice)
    assert regenerated.key.diagnoses[0].code == "M17.10"  # the edit changes new charts
    assert Variant.from_dict(stored).key.diagnoses[0].code == "M17.11"  # not the stored one


def test_markdown_is_sanitised():
    html = render_markdown(
        "**ok** <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    )
    assert "<strong>ok</strong>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_the_library_loads_every_shipped_template():
    library = load_library(ROOT)
    assert library.errors == []
    assert len(library.specialties()) >= 12


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('id = "5b1f5c8e-3c1e-4b8e-9d7e-2f0a6c1b9e11"', 'id = "not-a-uuid"'), "uuid4"),
        (('setting = "professional"', 'setting = "outpatient"'), "setting"),
        (('claim_form = "CMS-1500"', 'claim_form = "UB-04"'), "CMS-1500"),
        (("title = ", 'title = "twice"\ntitle = '), "not valid TOML"),  # a key given twice
    ],
)
def test_format_errors_name_file_and_line(tmp_path, edit, message):
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    meta.write_text(meta.read_text().replace(*edit))
    library = load_library(tmp_path)
    assert len(library.errors) == 1
    error = library.errors[0]
    assert message in str(error) and "template.toml" in str(error)


def test_dates_stay_inside_the_declared_code_year(tmp_path):
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    meta.write_text(meta.read_text().replace("code_years = [2025, 2026]", "code_years = [2026]"))
    template = load_template(folder)
    assert all(generate(template, s).date_of_service >= date(2026, 1, 1) for s in range(20))


def test_a_single_specialty_folder_loads_too():
    library = load_library(ROOT / "orthopaedics")
    assert library.errors == [] and library.specialties() == ["orthopaedics"]


def test_a_template_can_narrow_the_signer_and_the_facility(tmp_path):
    """An anaesthesia record is signed by an anaesthesiologist, never by a random NP; the
    narrowing changes nothing else: the same seed keeps its patient, date and key."""
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    plain = load_template(folder)
    meta.write_text(
        meta.read_text().replace(
            'chart_type = "procedure note"',
            'chart_type = "procedure note"\nprovider_credentials = ["CRNA"]\n'
            'facility_kinds = ["Surgery Center"]',
        )
    )
    narrowed = load_template(folder)
    for seed in range(30):
        a, b = generate(plain, seed), generate(narrowed, seed)
        assert b.provider.endswith(", CRNA") and b.facility.endswith(" Surgery Center")
        assert (a.patient, a.date_of_service, a.key) == (b.patient, b.date_of_service, b.key)
        assert a.provider.split(",")[0] == b.provider.split(",")[0]


def test_a_bad_credential_list_names_the_field(tmp_path):
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    meta.write_text(
        meta.read_text().replace("difficulty = 2", 'difficulty = 2\nprovider_credentials = "MD"')
    )
    library = load_library(tmp_path)
    assert "provider_credentials" in str(library.errors[0])


def test_the_old_provider_table_is_refused_with_the_field_to_use(tmp_path):
    """Signers are named once, by ``provider_credentials``: a left-over ``[provider]`` table
    must fail loudly (naming its line and the field to use) rather than be ignored."""
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    text = meta.read_text() + '\n[provider]\ncredentials = ["MD", "DO"]\n'
    meta.write_text(text)
    library = load_library(tmp_path)
    assert len(library.errors) == 1
    message = str(library.errors[0])
    assert "[provider]" in message and "provider_credentials" in message
    assert library.errors[0].line == text.splitlines().index("[provider]") + 1


def test_the_migrated_signer_lists_still_choose_the_signer():
    """The psychotherapy templates moved from ``[provider]`` to ``provider_credentials``: a
    psychotherapy note is still signed by a therapist of the template's list, never an MD."""
    template = load_template(ROOT / "behavioral_health" / "psychotherapy-by-time")
    assert template.provider_credentials == ("LCSW", "PhD", "PsyD", "LMFT")
    signers = {generate(template, seed).provider.rsplit(", ", 1)[1] for seed in range(40)}
    assert signers <= {"LCSW", "PhD", "PsyD", "LMFT"} and len(signers) > 1


def test_a_variant_can_narrow_the_patient(tmp_path):
    """A well-child code depends on the age band: the variant's own patient_min_age /
    patient_max_age / patient_sex narrow the template's rules for that variant only."""
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    meta.write_text(
        meta.read_text().replace(
            'side_mod = "LT" }',
            'side_mod = "LT", patient_min_age = 80, patient_max_age = 81, patient_sex = "F" }',
        )
    )
    template = load_template(folder)
    for seed in range(30):
        left = generate(template, seed, choices={"side": "left knee"})
        right = generate(template, seed, choices={"side": "right knee"})
        assert 80 <= left.patient.age <= 81 and left.patient.sex == "F"
        assert 52 <= right.patient.age <= 84
    assert {
        generate(template, s, choices={"side": "right knee"}).patient.age for s in range(30)
    } - {80, 81}


def test_a_variant_can_set_the_payer_and_an_infants_age_in_days(tmp_path):
    """A 2-month visit needs a 2-month-old; a VFC vaccine needs a Medicaid child."""
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    text = meta.read_text().replace("min_age = 52", "min_age = 0")
    text = text.replace(
        'side_mod = "LT" }',
        'side_mod = "LT", patient_max_age = 0, patient_min_days = 56, patient_max_days = 70, '
        'patient_payer = "medicaid" }',
    )
    meta.write_text(text)
    template = load_template(folder)
    for seed in range(30):
        v = generate(template, seed, choices={"side": "left knee"})
        assert 56 <= (v.date_of_service - v.patient.dob).days <= 70
        assert v.patient.age == 0 and v.patient.payer == "State Medicaid"
