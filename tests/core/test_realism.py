"""The realism checks: each catches its defect in chart text and passes the realistic wording."""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer.core.content import realism
from trainer.core.content.generation import chart_heading, generate
from trainer.core.content.people import credentials_for, facility_misfit, facility_setting
from trainer.core.content.rendering import render_markdown
from trainer.core.content.templates import load_library
from trainer.core.content.validation import check_library

ROOT = Path(__file__).resolve().parents[2] / "exercises"
KNEE = ROOT / "orthopaedics" / "knee-oa-injection"


def _check(tmp_path: Path, catalog, meta_edit=None, body_edit=None) -> str:  # type: ignore[no-untyped-def]
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    for name, edit in (("template.toml", meta_edit), ("chart.md.j2", body_edit)):
        if edit:
            path = folder / name
            text = path.read_text()
            assert edit[0] in text, f"the edit must apply: {edit[0]!r}"
            path.write_text(text.replace(*edit))
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    return "\n".join(m for _, _, m in report.problems)


def test_doubled_credential():
    assert realism.doubled_credentials("Signed: Ana Ruiz, MD, MD")
    assert realism.doubled_credentials("Ana Ruiz, PA-C, PA-C")
    assert realism.doubled_credentials("Ana Ruiz, MD, DO") == []
    assert realism.doubled_credentials("Ana Ruiz, MD") == []


def test_british_spellings_in_chart_text():
    found = " ".join(
        realism.british_spellings(
            "Haemoglobin 9.1; pitting oedema; anaemia; paediatric clinic; the infusion centre; "
            "catheterisation; anaesthetised with lidocaine"
        )
    )
    for word in ("Haemoglobin", "oedema", "anaemia", "paediatric", "centre", "catheterisation"):
        assert repr(word) in found
    assert "anaesthetised" in found
    us = "Hemoglobin 9.1; pitting edema; anemia; the infusion center; central line; exercise"
    assert realism.british_spellings(us) == []


def test_spellings_a_clinician_writes_in_a_us_record():
    # "metre" as a word stem caught the drug pemetrexed; orthopnoea, gonorrhoea and
    # personalised were missed (issue 20: found in the HCC, GYN and AWV charts).
    assert realism.british_spellings("carboplatin and pemetrexed; 50 millimeters; 2 liters") == []
    found = " ".join(
        realism.british_spellings(
            "No orthopnoea. NAAT for gonorrhoea. Personalised plan. 5 metres."
        )
    )
    for word in ("orthopnoea", "gonorrhoea", "Personalised", "metres"):
        assert repr(word) in found


def test_a_slug_is_not_chart_text(tmp_path, catalog):
    # The folder is "orthopaedics" (an identifier); only rendered text is checked.
    assert "non-US spelling" not in _check(tmp_path, catalog)


def test_british_spelling_in_a_template_fails(tmp_path, catalog):
    found = _check(tmp_path, catalog, body_edit=("**Exam", "Mild oedema of the ankles.\n\n**Exam"))
    assert "non-US spelling 'oedema' (US: edema)" in found


def test_coding_instructions():
    for text in (
        "Line flushed with saline (flush not separately billable).",
        "Closed with 4-0 nylon (simple closure).",
        "The visit falls within the global period of the fracture care.",
        "**Level 4:** IV medication or advanced imaging.",
        "Hospital ED facility level criteria (applied by coding).",
        "Anesthesia by the anesthesia service (billed separately).",
        "Code the facility claim (UB-04) for this visit.",
        "Use modifier 25 on the visit.",
    ):
        assert realism.coding_instructions(text), text
    documented = (
        "Closed in a single layer with 4-0 nylon interrupted sutures. Line flushed with "
        "saline. Sutures out in 10 days. Return in 2 weeks for a wound check. ESI level 3."
    )
    assert realism.coding_instructions(documented) == []


def test_a_coding_instruction_in_a_template_fails(tmp_path, catalog):
    found = _check(
        tmp_path, catalog, body_edit=("**Exam", "(injection not separately billable)\n\n**Exam")
    )
    assert "tells the coder how to code (billing advice)" in found


def test_raw_table_pipes():
    glued = "**Administration:**\n| Time | Event |\n|---|---|\n| 09:10 | Started |\n"
    assert realism.raw_table_rows(render_markdown(glued))
    separate = "**Administration:**\n\n| Time | Event |\n|---|---|\n| 09:10 | Started |\n"
    html = render_markdown(separate)
    assert "<table>" in html and realism.raw_table_rows(html) == []


def test_the_renderer_turns_a_table_into_a_table():
    html = render_markdown("| Unit | Volume |\n|---|---|\n| 1 | 300 mL |\n")
    assert "<table>" in html and "<td>300 mL</td>" in html


def test_signer_whose_licence_cannot_bill_the_service():
    assert realism.signer_misfit("LCSW", ["99214", "90836"], "psychotherapy note")
    assert realism.signer_misfit("PhD", ["90792"], "psychiatric evaluation")
    assert realism.signer_misfit("NP", ["47562"], "operative report")
    assert realism.signer_misfit("PA-C", ["00790"], "anesthesia record")
    assert realism.signer_misfit("LCSW", ["90837"], "psychotherapy note") == []
    assert realism.signer_misfit("MD", ["99214", "90836"], "office note") == []
    assert realism.signer_misfit("CRNA", ["00790"], "anesthesia record") == []
    assert realism.signer_misfit("DO", ["47562"], "operative report") == []


def test_signature_must_be_the_header_provider():
    body = "Plan as above.\n\nElectronically signed by Ana Ruiz, MD, 2026-03-02."
    assert realism.signature_misfit(body, "Ana Ruiz") == []
    assert realism.signature_misfit(body, "Tom Lee")  # another name signs, and Tom never does
    assert realism.signature_misfit("Plan as above.", "Ana Ruiz")  # unsigned


def test_sex_specific_findings():
    assert realism.sex_misfit("LMP 2 weeks ago; not pregnant.", "M")
    assert realism.sex_misfit("PSA 2.1 last year.", "F")
    assert realism.sex_misfit("LMP 2 weeks ago.", "F") == []
    assert realism.sex_misfit("Cervical spine nontender.", "M") == []


def test_facility_fits_the_setting():
    assert facility_setting("facility", "") == "hospital"
    assert facility_setting("professional", "23") == "hospital"
    assert facility_setting("professional", "24") == "asc"
    assert facility_setting("professional", "11") == "office"
    assert facility_misfit("Davis Clinic", "hospital")
    assert facility_misfit("Davis Regional Hospital", "office")
    assert facility_misfit("Davis Medical Center", "hospital") is None
    assert facility_misfit("Davis Family Practice", "office") is None


def test_generated_facility_and_signer_fit_the_template(library):
    ed = next(t for t in library.templates.values() if t.specialty == "emergency_facility")
    office = next(t for t in library.templates.values() if t.place_of_service == "11")
    for seed in range(25):
        assert facility_misfit(generate(ed, seed).facility, "hospital") is None
        assert facility_misfit(generate(office, seed).facility, "office") is None
    assert credentials_for("operative report", ()) == ("MD", "DO")
    assert credentials_for("psychotherapy note", ("LCSW", "PhD")) == ("LCSW", "PhD")


def test_an_inpatient_stay_is_signed_by_a_physician_as_attending(library):
    """The discharge summary says "attending physician": an NP or PA never signs it as one
    (the visit mix did, for templates that declare no credentials)."""
    assert credentials_for("inpatient record", ()) == ("MD", "DO")
    for template in library.templates.values():
        if template.setting == "inpatient":
            for seed in range(6):
                signer = generate(template, seed).provider
                assert signer.endswith((", MD", ", DO")), (template.slug, signer)


def test_the_chart_heading_keeps_acronyms():
    # str.title() printed "Ed Record".
    assert chart_heading("ED record") == "ED record"
    assert chart_heading("office note") == "Office note"


def test_the_signature_names_the_credential_once(library):
    for template in library.templates.values():
        variant = generate(template, 0)
        assert realism.doubled_credentials(variant.chart_markdown) == [], template.path


def test_identical_variants():
    assert realism.identical_charts([("a", "same"), ("b", "same")])
    assert realism.identical_charts([("a", "one"), ("b", "two")]) == []


def test_variants_whose_chart_reads_the_same_fail(tmp_path, catalog):
    # The knee chart names the side; printing a fixed side makes the two variants identical.
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    body = folder / "chart.md.j2"
    body.write_text(
        body.read_text().replace("{{ side }}", "right").replace("{{ side|capitalize }}", "Right")
    )
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    found = "\n".join(m for _, _, m in report.problems)
    assert "render the same chart text" in found


def test_a_per_variant_sex_narrows_the_patient(tmp_path):
    folder = tmp_path / "orthopaedics" / "knee"
    shutil.copytree(KNEE, folder)
    meta = folder / "template.toml"
    meta.write_text(
        meta.read_text().replace('side = "left",', 'side = "left", patient_sex = "M",', 1)
    )
    template = next(iter(load_library(tmp_path).templates.values()))
    left = next(c for c in template.choices() if c["side"] == "left knee")
    assert {generate(template, s, choices=left).patient.sex for s in range(12)} == {"M"}


def test_a_variant_names_who_signs_it(library):
    """90792 (medical services) is signed by a physician, 90791 by the social worker."""
    evaluation = next(t for t in library.templates.values() if t.slug == "diagnostic-evaluation")
    for seed in range(10):
        for choice in evaluation.choices():
            variant = generate(evaluation, seed, choices=choice)
            credential = variant.provider.rpartition(", ")[2]
            medical = choice["clinician"].startswith("psychiatrist")
            assert credential in (("MD", "DO") if medical else ("LCSW",)), variant.provider
            assert realism.signer_misfit(credential, ["90792" if medical else "90791"], "") == []
