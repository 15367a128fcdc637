"""A record of each type carries the sections of its type (issue 20), and the validator says
which are missing; a template without decoys is counted and warned about (issue 17)."""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer.core.content.record_sections import missing_sections
from trainer.core.content.templates import load_library
from trainer.core.content.validation import check_library

ROOT = Path(__file__).resolve().parents[2] / "exercises"
DIABETES = ROOT / "primary_care" / "diabetes-follow-up"

OFFICE_NOTE = """\
**Chief complaint:** Cough.
**HPI:** Three days of cough.
**Review of systems:** No fever.
**Past medical history:** Hypertension.
**Social history:** Never smoker.
**Medications:** Lisinopril 10 mg daily.
**Allergies:** No known drug allergies.
**Exam:** BP 128/78, HR 74. Lungs clear.
**Results:** None today.
**Assessment and plan:** Acute bronchitis.
"""


def test_a_full_office_note_lacks_nothing():
    assert missing_sections("office note", OFFICE_NOTE) == []


def test_an_office_note_without_allergies_and_ros_is_named_so():
    text = OFFICE_NOTE.replace("**Allergies:** No known drug allergies.\n", "").replace(
        "**Review of systems:** No fever.\n", ""
    )
    assert missing_sections("office note", text) == ["review of systems", "allergies"]


def test_inline_labels_count_as_the_record_prints_them():
    # ED physician narratives run sections together on one line.
    text = OFFICE_NOTE.replace(
        "**Past medical history:** Hypertension.\n**Social history:** Never smoker.\n", ""
    ).replace(
        "**HPI:** Three days of cough.", "**HPI:** Cough. Past history: asthma. Social: no alcohol."
    )
    assert missing_sections("ED record", text) == []


def test_the_hpi_label_is_not_the_past_history():
    text = OFFICE_NOTE.replace("**Past medical history:** Hypertension.\n", "").replace(
        "**HPI:**", "**History of present illness:**"
    )
    assert missing_sections("office note", text) == ["past history"]


def test_vitals_recorded_in_the_exam_line_count_but_an_exam_without_them_does_not():
    assert "vitals" not in missing_sections("office note", OFFICE_NOTE)
    text = OFFICE_NOTE.replace("BP 128/78, HR 74. ", "")
    assert missing_sections("office note", text) == ["vitals"]


def test_an_operative_report_needs_ebl_and_specimens():
    report = """\
**Preoperative diagnosis:** Right inguinal hernia.
**Postoperative diagnosis:** Same.
**Anesthesia:** General.
**Findings:** Indirect sac.
**Description of procedure:** Open repair with mesh.
"""
    assert missing_sections("operative report", report) == ["estimated blood loss", "specimens"]
    full = report + "**Estimated blood loss:** 10 mL. **Specimens:** None.\n"
    assert missing_sections("operative report", full) == []


def test_a_radiology_report_needs_its_comparison():
    report = """\
**Clinical indication:** Cough.
**Technique:** PA and lateral views.
**Findings:** Clear lungs.
**Impression:** Normal chest.
"""
    assert missing_sections("radiology report", report) == ["comparison"]
    assert missing_sections("radiology report", report + "**Comparison:** None.\n") == []


PROGRESS_NOTE = """\
**Interval history:** No melena overnight.
**Medications:** Pantoprazole 40 mg IV twice daily.
**Vitals:** BP 124/78, HR 82.
**Exam:** Abdomen soft.
**Results:** Hemoglobin 8.8.
**Assessment and plan:** Duodenal ulcer with hemorrhage, healing.
"""


def test_a_hospital_progress_note_needs_no_past_or_social_history_but_its_results():
    # A patient already known: the admission note holds the past, family and social history.
    assert missing_sections("progress note", PROGRESS_NOTE) == []
    assert missing_sections("critical care note", PROGRESS_NOTE) == []
    assert missing_sections(
        "progress note", PROGRESS_NOTE.replace("**Results:** Hemoglobin 8.8.\n", "")
    ) == ["results"]
    # The same text is not a full history and physical or consultation note.
    for chart_type in ("history and physical", "consultation note", "nursing facility note"):
        assert missing_sections(chart_type, PROGRESS_NOTE)[:2] == [
            "chief complaint",
            "review of systems",
        ]


def test_a_discharge_summary_needs_its_hospital_course():
    summary = """\
**Hospital course:** Treated with ceftriaxone; afebrile by day 2.
**Discharge exam:** Lungs with a few crackles.
**Discharge medications:** Amoxicillin.
**Discharge diagnoses:** Pneumococcal pneumonia.
"""
    assert missing_sections("discharge summary", summary) == []
    no_course = summary.replace(
        "**Hospital course:** Treated with ceftriaxone; afebrile by day 2.\n", ""
    )
    assert missing_sections("discharge summary", no_course) == ["hospital course"]


def test_an_observation_record_is_held_to_the_facility_record():
    record = (
        "**Arrival:** 07:50.\n**Orders and results:** troponin 4.\n"
        "**Final diagnosis:** Chest pressure.\n"
    )
    assert missing_sections("observation record", record) == []
    assert missing_sections("observation record", record.replace("**Arrival:** 07:50.\n", "")) == [
        "triage"
    ]


def test_a_chart_type_with_its_own_shape_is_not_held_to_another():
    assert missing_sections("anesthesia record", "Induction 08:02.") == []


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "primary_care" / "diabetes"
    shutil.copytree(DIABETES, folder)
    return folder


def test_the_validator_fails_an_office_note_that_loses_its_allergies(tmp_path, catalog):
    folder = _copy(tmp_path)
    chart = folder / "chart.md.j2"
    chart.write_text(chart.read_text().replace("**Allergies:** No known drug allergies.\n", ""))
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    messages = [m for _, _, m in report.problems]
    assert any("lacks what a record of its type carries: allergies" in m for m in messages)


def test_a_template_without_decoys_is_counted_as_a_warning_not_a_problem(tmp_path, catalog):
    folder = _copy(tmp_path)
    meta = folder / "template.toml"
    assert "[[key.not_coded]]" in meta.read_text()
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    assert report.without_decoys == 0 and report.problems == []
    text = meta.read_text()
    meta.write_text(text[: text.index("[[key.not_coded]]")] + text[text.index("[key.em]") :])
    report = check_library(load_library(tmp_path), catalog, seeds_per_variant=1)
    assert report.without_decoys == 1 and report.problems == []
    assert "no [[key.not_coded]] decoys" in report.render()
    assert "1 template(s) without [[key.not_coded]] decoys" in report.render()
