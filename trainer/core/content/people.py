"""Who signs a chart and where it was written: credentials and facility names that fit a service.

A chart's header names a provider and a facility. Drawn at random from one list they gave an ED
facility sheet from a "Clinic" and a psychotherapy note signed by a PA-C; a coder reads both as
documentation (the rendering provider's licence decides which codes may be billed at all), so
the generator draws them from lists that fit the template's setting, and the validator
(``content.realism``) checks what it rendered against the same rules.
"""

from __future__ import annotations

import re

# Drawn for an office or ED visit when the template names no credentials (MD twice: the usual mix).
VISIT_CREDENTIALS = ("MD", "DO", "MD", "NP", "PA-C")
# Operative, procedure, imaging and pathology reports are signed by the physician who did them.
PHYSICIAN_CREDENTIALS = ("MD", "DO")
# Every credential the checks recognise, so a doubled one ("MD, MD") can be seen.
KNOWN_CREDENTIALS = (
    "MD",
    "DO",
    "NP",
    "PA-C",
    "PA",
    "APRN",
    "FNP-C",
    "PMHNP-BC",
    "DNP",
    "CNM",
    "CRNA",
    "CAA",
    "DPM",
    "OD",
    "AuD",
    "LCSW",
    "LICSW",
    "LPC",
    "LMFT",
    "PhD",
    "PsyD",
    "RN",
    "PT",
    "DPT",
    "OT",
    "RD",
)
# Licences that may bill psychotherapy and diagnostic evaluation (90791, 90832-90853) but not
# E/M: Medicare pays clinical social workers and clinical psychologists for their own services,
# which do not include E/M visits (42 CFR 410.71 and 410.73).
NON_EM_CREDENTIALS = frozenset({"LCSW", "LICSW", "LPC", "LMFT", "PhD", "PsyD", "RN"})
ANESTHESIA_CREDENTIALS = frozenset({"MD", "DO", "CRNA", "CAA"})
SURGEON_CREDENTIALS = frozenset({"MD", "DO", "DPM"})

_PHYSICIAN_REPORTS = re.compile(
    r"operative|procedure|radiology|imaging|patholog|interpretation|inpatient record"
)  # an inpatient record is signed by its attending physician (the discharge summary)

HOSPITAL_KINDS = ("Medical Center", "Regional Hospital", "Memorial Hospital", "General Hospital")
OFFICE_KINDS = ("Family Practice", "Medical Group", "Clinic", "Physicians")
ASC_KINDS = ("Surgery Center", "Ambulatory Surgery Center")
FQHC_KINDS = ("Community Health Center", "Family Health Center")
# Places of service (CMS POS codes) inside a hospital: 19/22 outpatient, 21 inpatient, 23 ED.
HOSPITAL_POS = frozenset({"19", "21", "22", "23"})
OFFICE_WORDS = re.compile(r"\b(Clinic|Family Practice|Medical Group|Physicians)\b")
HOSPITAL_WORDS = re.compile(r"\b(Hospital|Medical Center)\b")


def credentials_for(chart_type: str, declared: tuple[str, ...]) -> tuple[str, ...]:
    """The credentials a chart's signer is drawn from: the template's own list, else
    physicians for reports of a physician's procedure or reading, else the usual visit mix."""
    if declared:
        return declared
    if _PHYSICIAN_REPORTS.search(chart_type.lower()):
        return PHYSICIAN_CREDENTIALS
    return VISIT_CREDENTIALS


def facility_setting(setting: str, place_of_service: str) -> str:
    """hospital | asc | fqhc | office: where the chart was written, from the claim setting and
    the place of service (a facility claim without a POS is a hospital's)."""
    pos = place_of_service.strip()
    if pos == "24":
        return "asc"
    if pos == "50":
        return "fqhc"
    if pos in HOSPITAL_POS or (setting == "facility" and pos in ("", "n/a")):
        return "hospital"
    return "office"


FACILITY_KINDS = {
    "hospital": HOSPITAL_KINDS,
    "asc": ASC_KINDS,
    "fqhc": FQHC_KINDS,
    "office": OFFICE_KINDS,
}


def facility_misfit(facility: str, where: str) -> str | None:
    """Why a facility name does not fit the setting, or None."""
    if where == "hospital" and OFFICE_WORDS.search(facility):
        return f"a hospital chart comes from {facility!r}, which reads as a physician office"
    if where == "office" and re.search(r"\bHospital\b", facility):
        return f"an office chart (POS 11) comes from {facility!r}, which reads as a hospital"
    if where == "asc" and not re.search(r"Surgery Center", facility):
        return f"an ASC chart (POS 24) comes from {facility!r}, not a surgery center"
    if where == "fqhc" and not re.search(r"Health Center", facility):
        return f"an FQHC chart (POS 50) comes from {facility!r}, not a health center"
    return None
