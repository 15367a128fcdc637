"""One encounter, two claims: a professional template and its facility twin.

The same MRI is billed twice: the radiologist's read on the CMS-1500 (73721-26) and the
hospital's study on the UB-04 (revenue code 0610, 73721, no modifier). A template names its
twin with ``pair = "specialty/slug"``; this module checks the declaration both ways, draws
both charts from one seed (same patient, date of service and hospital) and lists what differs
between the two keys, which the pair's result page shows beside the two grades.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from trainer.core.claims import AnswerKey, KeyedLine
from trainer.core.content.generation import Encounter, Variant, generate
from trainer.core.content.people import HOSPITAL_POS
from trainer.core.content.templates import Template, TemplateLibrary


def slug_of(template: Template) -> str:
    """The name a ``pair`` declaration uses: ``specialty/slug``."""
    return f"{template.specialty}/{template.slug}"


def twin_of(library: TemplateLibrary, template: Template) -> Template | None:
    """The template's declared twin, when it is in the library."""
    if not template.pair:
        return None
    for other in library.templates.values():
        if slug_of(other) == template.pair:
            return other
    return None


def paired_professionals(library: TemplateLibrary) -> list[Template]:
    """Professional templates whose facility twin declares them back (the pairs on offer)."""
    found = []
    for template in library.templates.values():
        twin = twin_of(library, template)
        if (
            template.setting == "professional"
            and twin is not None
            and twin.setting == "facility"
            and twin.pair == slug_of(template)
        ):
            found.append(template)
    return sorted(found, key=lambda t: t.id)


# Professional charts whose signer only reads the study: the facility's record names the
# ordering clinician instead, someone else.
_READER = re.compile(r"radiology|imaging|echocardiograph|interpretation|patholog")


def _twin_seed(seed: int) -> int:
    """The facility chart's own seed: its free text (the names it draws) differs from the
    professional chart's, while everything the encounter shares is imposed on it."""
    return (seed * 2654435761 + 1) % 2**31


@dataclass(frozen=True)
class PairedCharts:
    professional: Variant
    facility: Variant


def generate_pair(
    professional: Template,
    facility: Template,
    seed: int,
    choices: Mapping[str, str] | None = None,
) -> PairedCharts:
    """Both charts of one encounter from one seed: the facility chart takes the professional
    chart's choices (the same finding, side, drug), its patient, date and hospital, and, when
    the physician who did the service also documents the facility's record (the ED physician,
    the surgeon), its signer; a radiologist's read leaves the imaging record to the ordering
    clinician."""
    first = generate(professional, seed, choices=choices)
    name, _, credential = first.provider.rpartition(", ")
    shared = None if _READER.search(professional.chart_type.lower()) else (name, credential)
    second = generate(
        facility,
        _twin_seed(seed),
        choices=dict(first.choices),
        encounter=Encounter(first.patient, first.date_of_service, first.facility, shared),
    )
    return PairedCharts(first, second)


def _patient_values(template: Template) -> dict[str, dict[str, object]]:
    """Per alternative label, the values that narrow the patient (age band, sex, payer)."""
    found: dict[str, dict[str, object]] = {}
    for variable in template.variables:
        for alternative in variable.alternatives:
            found[f"{variable.name}={alternative.label}"] = {
                k: v for k, v in alternative.values.items() if k.startswith("patient_")
            }
    return found


def _shape(template: Template) -> dict[str, tuple[str, ...]]:
    return {v.name: tuple(a.label for a in v.alternatives) for v in template.variables}


def declaration_problems(template: Template, twin: Template | None, wanted: str) -> list[str]:
    """Why a ``pair`` declaration does not describe one encounter written as two claims."""
    if twin is None:
        return [f"pair {wanted!r}: no template has that specialty/slug"]
    problems = []
    if twin.pair != slug_of(template):
        problems.append(f"pair {wanted!r} does not name {slug_of(template)!r} back")
    if twin.setting == template.setting:
        problems.append(f"pair {wanted!r} is also a {twin.setting} claim: one of each is needed")
    if _shape(twin) != _shape(template):
        problems.append(
            f"pair {wanted!r} has other variables or alternatives: the twin must offer the same "
            "labels, so one seed picks the same finding in both charts"
        )
    if twin.patient != template.patient:
        problems.append(f"pair {wanted!r} draws another patient ({twin.patient})")
    elif _patient_values(twin) != _patient_values(template):
        problems.append(f"pair {wanted!r}: an alternative narrows the patient differently")
    if set(twin.code_years) != set(template.code_years):
        problems.append(f"pair {wanted!r} covers other code years")
    professional = template if template.setting == "professional" else twin
    facility = twin if professional is template else template
    pos = professional.place_of_service.strip()
    asc = facility.place_of_service.strip() == "24"
    if asc and pos != "24":
        problems.append(
            f"the facility chart is a surgery center's (POS 24), so the professional chart is "
            f"done there too, not POS {pos or 'n/a'!r}"
        )
    if not asc and pos not in HOSPITAL_POS:
        problems.append(
            f"the professional chart of a pair is done in the hospital (POS 19/22/23), not POS "
            f"{pos or 'n/a'!r}: the facility claim is the hospital's"
        )
    return problems


def rendered_problems(charts: PairedCharts) -> list[str]:
    """What the two rendered charts of a pair must share."""
    a, b = charts.professional, charts.facility
    problems = []
    if a.patient != b.patient or a.date_of_service != b.date_of_service:
        problems.append("the two charts show another patient or date of service")
    if a.patient.name not in b.chart_markdown:
        problems.append("the facility chart does not name the professional chart's patient")
    if a.key.setting != "professional" or b.key.setting != "facility":
        problems.append("the pair's keys are not one professional and one facility claim")
    return problems


def pair_problems(library: TemplateLibrary) -> list[tuple[Path, str]]:
    """Every pair declaration checked both ways, and every variant drawn as a pair once."""
    found: list[tuple[Path, str]] = []
    for template in sorted(library.templates.values(), key=lambda t: str(t.path)):
        if not template.pair:
            continue
        meta = template.path / "template.toml"
        twin = twin_of(library, template)
        problems = declaration_problems(template, twin, template.pair)
        found.extend((meta, p) for p in problems)
        if problems or twin is None or template.setting != "professional":
            continue
        for choice in template.choices():
            try:
                charts = generate_pair(template, twin, 0, choice)
            except (ValueError, KeyError, TypeError) as exc:
                found.append((meta, f"[{', '.join(choice.values())}] pair cannot render: {exc}"))
                continue
            for problem in rendered_problems(charts):
                found.append((meta, f"[{', '.join(choice.values())}] {problem}"))
    return found


# ------------------------------------------------------------------ what differs between claims


@dataclass(frozen=True)
class LineDifference:
    """One procedure as the two claims report it (empty side: not on that claim)."""

    code: str
    professional: str
    facility: str
    note: str


@dataclass(frozen=True)
class PairDifferences:
    lines: tuple[LineDifference, ...]
    diagnoses_same: bool
    professional_diagnoses: tuple[str, ...]
    facility_diagnoses: tuple[str, ...]
    facility_only_fields: tuple[str, ...]
    revenue_codes: tuple[str, ...] = ()  # the facility lines' FL 42 codes, for their titles


def _shown(keyed: KeyedLine, facility: bool) -> str:
    line = keyed.line
    text = line.code + "".join(f"-{m}" for m in line.modifiers)
    if line.units != 1:
        text += f" x{line.units}"
    return f"rev {line.revenue_code} {text}" if facility and line.revenue_code else text


def _note(pro: KeyedLine | None, fac: KeyedLine | None) -> str:
    if pro is None and fac is not None:
        return (
            "Only on the facility claim: the facility's own resources (room, staff, supplies, "
            f"drugs, devices, technical services), on revenue code {fac.line.revenue_code}."
        )
    if fac is None and pro is not None:
        return "Only on the professional claim: the physician's own service."
    assert pro is not None and fac is not None
    notes = []
    only_pro = [m for m in pro.line.modifiers if m not in fac.line.modifiers]
    only_fac = [m for m in fac.line.modifiers if m not in pro.line.modifiers]
    if "26" in only_pro:
        notes.append(
            "26 on the professional line: the physician bills the interpretation; the hospital "
            "reports the same code with no 26/TC, its technical service"
        )
        only_pro = [m for m in only_pro if m != "26"]
    if only_pro:
        notes.append(f"modifier {', '.join(only_pro)} only on the professional line")
    if only_fac:
        notes.append(f"modifier {', '.join(only_fac)} only on the facility line")
    if pro.line.units != fac.line.units:
        notes.append(f"units differ ({pro.line.units} and {fac.line.units})")
    notes.append(f"the facility line carries revenue code {fac.line.revenue_code}")
    return "; ".join(notes)[:1].upper() + "; ".join(notes)[1:] + "."


ED_VISITS = frozenset({"99281", "99282", "99283", "99284", "99285"})
ED_LEVELS = (
    "The same visit, levelled two ways: the physician's level from medical decision making "
    "(CPT E/M guidelines), the hospital's from its own facility level criteria (OPPS lets each "
    "hospital set them)"
)


def _family(code: str) -> str:
    """The row a line belongs to: its code, or one row for the ED visit whatever its level
    (the physician's 99283 and the hospital's 99284 are the same visit)."""
    return "ED visit" if code in ED_VISITS else code


def differences(professional: AnswerKey, facility: AnswerKey) -> PairDifferences:
    """What the two keys of one encounter report differently, line by line (by code)."""
    pro_by_code = {_family(k.line.code): k for k in professional.lines}
    fac_by_code = {_family(k.line.code): k for k in facility.lines}
    order = list(pro_by_code) + [c for c in fac_by_code if c not in pro_by_code]
    rows = []
    for code in order:
        pro, fac = pro_by_code.get(code), fac_by_code.get(code)
        note = _note(pro, fac)
        if code == "ED visit" and pro and fac:
            note = f"{ED_LEVELS}. {note}"
        rows.append(
            LineDifference(
                code,
                _shown(pro, False) if pro else "",
                _shown(fac, True) if fac else "",
                note,
            )
        )
    fields = []
    if facility.type_of_bill:
        fields.append(f"FL 4 type of bill {facility.type_of_bill}")
    if facility.reason_for_visit:
        reasons = ", ".join(d.code for d in facility.reason_for_visit)
        fields.append(f"FL 70 patient's reason for visit {reasons}")
    pro_dx = tuple(d.code for d in professional.diagnoses)
    fac_dx = tuple(d.code for d in facility.diagnoses)
    revenue = tuple(
        dict.fromkeys(k.line.revenue_code for k in facility.lines if k.line.revenue_code)
    )
    return PairDifferences(
        tuple(rows), set(pro_dx) == set(fac_dx), pro_dx, fac_dx, tuple(fields), revenue
    )
