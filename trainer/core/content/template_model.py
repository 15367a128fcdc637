"""What a loaded chart template is: its specialty, setting and claim form, its variables and
their alternatives, its patient rules, and the library of templates that loaded (with the
errors of those that did not).

Plain frozen dataclasses; ``templates`` reads the folders into them (and re-exports them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any

SPECIALTIES: dict[str, str] = {
    "primary_care": "Primary care office E/M",
    "emergency_professional": "Emergency department (professional)",
    "emergency_facility": "Emergency department (facility)",
    "radiology": "Radiology",
    "orthopaedics": "Orthopaedics",
    "cardiology": "Cardiology",
    "gastroenterology": "Gastroenterology",
    "general_surgery_asc": "General surgery / ASC",
    "dermatology": "Dermatology and wound repair",
    "obgyn": "Obstetrics and gynecology",
    "behavioral_health": "Behavioral health",
    "hospital_outpatient": "Hospital outpatient (facility)",
    "fqhc": "FQHC",
    "hcc_risk_adjustment": "HCC risk adjustment",
    "anesthesia": "Anesthesia",
    "pathology_laboratory": "Pathology and laboratory",
    "pediatrics": "Pediatrics: vaccines and well-child care",
    "care_management": "Care management and telehealth",
    "dme_supplies": "DME and supplies (HCPCS Level II)",
    "inpatient": "Inpatient facility (ICD-10-PCS, POA, MS-DRG)",
    "urology": "Urology",
    "ophthalmology": "Ophthalmology",
    "otolaryngology": "Otolaryngology (ENT)",
}
SETTINGS = ("professional", "facility", "inpatient")
CLAIM_FORMS = {"professional": "CMS-1500", "facility": "UB-04", "inpatient": "UB-04"}


class TemplateError(ValueError):
    """A template that cannot be used, with the file and line to fix."""

    def __init__(self, file: Path, message: str, line: int | None = None) -> None:
        self.file = Path(file)
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Alternative:
    label: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Variable:
    name: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class PatientRules:
    min_age: int = 18
    max_age: int = 90
    sex: str = "any"
    payer: str = "any"


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    slug: str
    title: str
    specialty: str
    setting: str
    claim_form: str
    difficulty: int
    skills: tuple[str, ...]
    code_years: tuple[int, ...]
    place_of_service: str
    chart_type: str
    patient: PatientRules
    variables: tuple[Variable, ...]
    key_spec: Mapping[str, Any]
    body: str
    path: Path
    notes: str = ""
    # Claim-edit rules (claim_edits slugs, e.g. "ncci_ptp") the chart means to teach as a
    # denial of its own correct claim; any other denial of the key fails the validator.
    intended_denials: tuple[str, ...] = ()
    # Who signs and where: an anaesthesia record is signed by an anaesthesiologist or a CRNA,
    # a pathology report by a pathologist, so a template may narrow the header's random
    # credential and facility kind (empty: the generator's defaults).
    provider_credentials: tuple[str, ...] = ()
    facility_kinds: tuple[str, ...] = ()
    # "dme": a DMEPOS supplier claim, edited against the CMS DME supplier MUE/PTP tables.
    claim_type: str = ""
    # "specialty/slug" of the same encounter written as the other claim (the radiologist's
    # read and the hospital's MRI): the pair practice mode draws both from one seed.
    pair: str = ""
    # The first date of service the chart may carry (a key with a code new on that date, such
    # as an April ICD-10-PCS addendum code); None: the generator's window alone.
    dos_from: date | None = None

    def variant_count(self) -> int:
        count = 1
        for variable in self.variables:
            count *= len(variable.alternatives)
        return count

    def choices(self) -> list[dict[str, str]]:
        """Every combination of alternatives, by label."""
        names = [v.name for v in self.variables]
        labels = [[a.label for a in v.alternatives] for v in self.variables]
        return [dict(zip(names, combo, strict=True)) for combo in product(*labels)]


@dataclass
class TemplateLibrary:
    templates: dict[str, Template] = field(default_factory=dict)
    errors: list[TemplateError] = field(default_factory=list)

    def by_specialty(self) -> dict[str, list[Template]]:
        grouped: dict[str, list[Template]] = {}
        for template in self.templates.values():
            grouped.setdefault(template.specialty, []).append(template)
        return grouped

    def specialties(self) -> list[str]:
        return sorted(self.by_specialty())

    def get(self, template_id: str) -> Template | None:
        return self.templates.get(template_id)


__all__ = [
    "Alternative",
    "CLAIM_FORMS",
    "PatientRules",
    "SETTINGS",
    "SPECIALTIES",
    "Template",
    "TemplateError",
    "TemplateLibrary",
    "Variable",
]
