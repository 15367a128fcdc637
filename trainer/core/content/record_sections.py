"""The sections a record of each type carries, and which of them a rendered chart lacks.

Issue 20: a coder reads a whole record, not the three lines the key rests on. An office or ED
note without ROS, history, medications or allergies, an operative report without its pre- and
post-operative diagnoses, anesthesia, EBL or specimens, or a radiology report without its
comparison does not look like what a coder is handed, and it hides the noise (copied-forward
history, negatives, problems not addressed) a coder must learn to read past. The check looks
for each section's label the way records print it (a bold label or a heading, any of the
usual names), so the template author keeps the wording of the specialty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A section of a record and the labels records print it under (regular expressions)."""

    name: str
    labels: tuple[str, ...]
    # What the section records, for a section records often print without a label (vitals
    # inside the exam line: "BP 128/78, HR 74").
    content: str = ""

    def found_in(self, text: str) -> bool:
        if self.content and re.search(self.content, text):
            return True
        return any(_LABELLED[label].search(text) for label in self.labels)


def _label_pattern(label: str) -> re.Pattern[str]:
    # A label is a word or phrase followed by a colon, as records print it: at the start of a
    # line ("**Allergies:** NKDA", "- ROS: negative") or inline after another section
    # ("... Past history: hypertension. Medications: ..."); a heading line ("### Findings")
    # counts too.
    return re.compile(
        rf"(?<![\w-])(?:{label})(?![\w-])[^\n:.]{{0,40}}?(?:\*\*|__)?\s*:"
        rf"|^#+\s*(?:{label})\b.*$",
        re.IGNORECASE | re.MULTILINE,
    )


CC = Section("chief complaint", (r"chief complaint", r"CC", r"reason for (?:visit|encounter)"))
HPI = Section("HPI", (r"HPI", r"history of (?:the )?present illness", r"interval history"))
ROS = Section("review of systems", (r"ROS", r"review of systems"))
PAST_HISTORY = Section(
    "past history",
    (
        r"PMH",
        r"PSH",
        r"past (?:medical |surgical |psychiatric )?history",
        r"past medical(?:/surgical)? history",
        r"(?:medical|surgical|psychiatric) history",
        r"problem list",
        r"birth history",
        r"medical and family history",
    ),
)
SOCIAL_FAMILY = Section(
    "family and social history", (r"social history", r"family history", r"social", r"family")
)
MEDICATIONS = Section(
    "medications", (r"(?:current |home )?medications?", r"meds", r"medication list")
)
ALLERGIES = Section("allergies", (r"allerg(?:y|ies)", r"NKDA"))
VITALS = Section(
    "vitals",
    (r"vitals?", r"vital signs", r"triage vitals"),
    content=r"\b(?:BP|blood pressure)\s*\d{2,3}/\d{2,3}",
)
EXAM = Section(
    "exam", (r"(?:physical )?exam(?:ination)?", r"PE", r"mental status(?: exam)?", r"objective")
)
RESULTS = Section(
    "results",
    (
        r"results?",
        r"data(?: reviewed)?",
        r"labs?",
        r"laboratory",
        r"studies",
        r"ED course",
        r"diagnostics?",
        r"screening(?: results)?",
        r"tests?",
        r"testing",
        r"point[- ]of[- ]care",
        r"in-office (?:tests?|results)",
        r"ECG",
        r"imaging",
    ),
)
ASSESSMENT_PLAN = Section(
    "assessment and plan",
    (
        r"assessment(?: and plan)?",
        r"A/P",
        r"(?:clinical )?impression(?: and plan)?",
        r"medical decision",
        r"(?:final |ED |clinical )?diagnos[ie]s",
        r"(?:assessment and )?personali[sz]ed prevention plan",
    ),
)

PRE_OP = Section(
    "pre-operative diagnosis",
    (r"pre-?(?:operative|procedure) diagnos[ie]s", r"preoperative diagnos[ie]s", r"indications?"),
)
POST_OP = Section(
    "post-operative diagnosis",
    (r"post-?(?:operative|procedure) diagnos[ie]s", r"postoperative diagnos[ie]s"),
)
ANESTHESIA = Section("anesthesia", (r"anesthesia", r"sedation", r"anesthetic"))
FINDINGS = Section("findings", (r"findings",))
TECHNIQUE = Section(
    "technique",
    (
        r"technique",
        r"(?:description of |details of )?(?:the )?(?:procedure|operation)(?: in detail)?",
        r"procedure note",
        r"operative (?:note|description|procedure)",
    ),
)
EBL = Section("estimated blood loss", (r"EBL", r"estimated blood loss", r"blood loss"))
SPECIMENS = Section("specimens", (r"specimens?", r"pathology"))

INDICATION = Section(
    "indication", (r"(?:clinical )?indications?", r"clinical history", r"history", r"reason")
)
COMPARISON = Section("comparison", (r"comparisons?", r"prior studies"))
IMPRESSION = Section("impression", (r"impression", r"conclusions?"))

VISIT_NOTE = (
    CC,
    HPI,
    ROS,
    PAST_HISTORY,
    SOCIAL_FAMILY,
    MEDICATIONS,
    ALLERGIES,
    VITALS,
    EXAM,
    RESULTS,
    ASSESSMENT_PLAN,
)
# A Medicare wellness visit (IPPE, AWV) is not problem-oriented: no chief complaint, HPI or
# exam of a complaint, but the history, medicines, measurements and the prevention plan.
WELLNESS_VISIT = (PAST_HISTORY, MEDICATIONS, ALLERGIES, VITALS, ASSESSMENT_PLAN)
# The facility's ED record (what the hospital codes its level and charges from): arrival and
# triage, the orders and their results, the diagnosis; the physician's own note is apart.
TRIAGE = Section("triage", (r"triage(?: \(RN\))?", r"arrival", r"nursing assessment"))
ED_FACILITY_RECORD = (TRIAGE, RESULTS, ASSESSMENT_PLAN)
# A nurse visit (99211 under a standing order) records the reason, vitals and what was done.
NURSE_VISIT = (VITALS,)
_NURSE_VISIT_HEADING = re.compile(r"^#+[^\n]*\bnurse visit\b", re.IGNORECASE | re.MULTILINE)
OPERATIVE_REPORT = (PRE_OP, POST_OP, ANESTHESIA, FINDINGS, TECHNIQUE, EBL, SPECIMENS)
RADIOLOGY_REPORT = (INDICATION, TECHNIQUE, COMPARISON, FINDINGS, IMPRESSION)
# A hospital or nursing facility progress note (and a critical care note) follows a patient
# already known: the interval history, today's medicines, vitals, exam, results and plan; the
# past, family and social history stay in the admission note.
PROGRESS_NOTE = (HPI, MEDICATIONS, VITALS, EXAM, RESULTS, ASSESSMENT_PLAN)
HOSPITAL_COURSE = Section("hospital course", (r"hospital course", r"course(?: in the hospital)?"))
# A discharge summary: the stay, the exam on the day, the medicines going home, the diagnoses.
DISCHARGE_SUMMARY = (HOSPITAL_COURSE, EXAM, MEDICATIONS, ASSESSMENT_PLAN)

# Chart types (lower case) and the record each is; a type not listed is checked for the
# signature only (anesthesia records, pathology and laboratory reports, DME and care
# management logs have shapes of their own).
RECORD_OF_TYPE: dict[str, tuple[Section, ...]] = {
    "office note": VISIT_NOTE,
    "clinic note": VISIT_NOTE,
    "ed record": VISIT_NOTE,
    "ed physician record": VISIT_NOTE,
    "ed and observation record": VISIT_NOTE,
    "ed facility record": ED_FACILITY_RECORD,
    "observation record": ED_FACILITY_RECORD,
    "preventive visit note": VISIT_NOTE,
    "wellness visit note": WELLNESS_VISIT,
    "well-child visit note": VISIT_NOTE,
    "newborn visit note": VISIT_NOTE,
    "telehealth visit note": VISIT_NOTE,
    "psychiatry note": VISIT_NOTE,
    "history and physical": VISIT_NOTE,
    "consultation note": VISIT_NOTE,
    "nursing facility note": VISIT_NOTE,
    "home visit note": VISIT_NOTE,
    "progress note": PROGRESS_NOTE,
    "critical care note": PROGRESS_NOTE,
    "discharge summary": DISCHARGE_SUMMARY,
    "operative report": OPERATIVE_REPORT,
    "radiology report": RADIOLOGY_REPORT,
    "ultrasound report": RADIOLOGY_REPORT,
}


def missing_sections(chart_type: str, text: str) -> list[str]:
    """The sections a record of ``chart_type`` carries that ``text`` lacks (in record order)."""
    sections = RECORD_OF_TYPE.get(chart_type.strip().lower(), ())
    if sections is VISIT_NOTE and _NURSE_VISIT_HEADING.search(text):
        sections = NURSE_VISIT
    return [section.name for section in sections if not section.found_in(text)]


def record_problems(chart_type: str, text: str) -> list[str]:
    missing = missing_sections(chart_type, text)
    if not missing:
        return []
    return [f"the {chart_type} lacks what a record of its type carries: {', '.join(missing)}"]


_LABELLED: dict[str, re.Pattern[str]] = {
    label: _label_pattern(label)
    for sections in RECORD_OF_TYPE.values()
    for section in sections
    for label in section.labels
}


__all__ = [
    "OPERATIVE_REPORT",
    "RADIOLOGY_REPORT",
    "RECORD_OF_TYPE",
    "ED_FACILITY_RECORD",
    "NURSE_VISIT",
    "VISIT_NOTE",
    "WELLNESS_VISIT",
    "Section",
    "missing_sections",
    "record_problems",
]
