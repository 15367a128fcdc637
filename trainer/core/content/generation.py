"""Seeded chart variants: the same template and seed always give the same chart and key.

An attempt stores the whole variant (chart text and key) so a later template edit never
changes what a trainee was graded on; the seed and choices are kept for audit and regrading.

The draws from the seeded sequence (choices, date, patient, provider) must keep their order
for a seed to give the same chart: ``_generate`` makes them in that order; the date and
patient draws themselves are in ``patients``.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from jinja2 import StrictUndefined
from jinja2 import Template as JinjaTemplate
from jinja2.environment import TemplateExpression

from trainer.core.claims import AnswerKey, key_from_dict
from trainer.core.codesets.results import fiscal_year
from trainer.core.content.chart_header import HEADER, header_markdown, hide_stored_place_of_service
from trainer.core.content.patients import (
    DOS_WINDOW,
    Patient,
    date_of_service,
    days_before,
    draw_patient,
)
from trainer.core.content.people import FACILITY_KINDS, credentials_for, facility_setting
from trainer.core.content.rendering import render_markdown
from trainer.core.content.templates import Template

from .sandbox import BoundedEnvironment, render_bounded, render_budget

if TYPE_CHECKING:
    from faker import Faker

# Sandboxed: supervisors write templates in the browser, and a template must never reach
# Python internals (no attribute walks to __class__ or __globals__, no mutation of values),
# nor run long or print megabytes (every variant renders within a budget: content.sandbox).
_env = BoundedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_per_thread = threading.local()


def _seeded_faker(seed: int) -> Faker:
    """This thread's Faker, re-seeded for one chart.

    One Faker shared by every thread and re-seeded per call let two charts generated at once
    draw from each other's sequence (names and text mixed; the key was unaffected). A new
    Faker per chart costs ~4 ms (a chart takes ~2 ms), so each thread keeps one and re-seeds
    it: re-seeding resets its sequence completely, so the same seed still gives the same text.
    """
    faker: Faker | None = getattr(_per_thread, "faker", None)
    if faker is None:
        from faker import Faker  # on the first chart: its import slowed every worker's start

        faker = Faker("en_US")
        _per_thread.faker = faker
    faker.seed_instance(seed)
    return faker


@dataclass(frozen=True)
class Variant:
    template_id: str
    template_version: int
    seed: int
    choices: tuple[tuple[str, str], ...]
    specialty: str
    setting: str
    claim_form: str
    title: str
    difficulty: int
    date_of_service: date
    patient: Patient
    provider: str
    facility: str
    place_of_service: str
    chart_markdown: str
    chart_html: str
    key: AnswerKey

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date_of_service"] = self.date_of_service.isoformat()
        data["patient"]["dob"] = self.patient.dob.isoformat()
        data["choices"] = [list(c) for c in self.choices]
        data["key"] = self.key.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Variant:
        patient = dict(data["patient"])
        patient["dob"] = date.fromisoformat(patient["dob"])
        markdown, html = hide_stored_place_of_service(
            data["chart_markdown"], data["chart_html"], data["place_of_service"]
        )
        return cls(
            template_id=data["template_id"],
            template_version=int(data["template_version"]),
            seed=int(data["seed"]),
            choices=tuple((str(a), str(b)) for a, b in data["choices"]),
            specialty=data["specialty"],
            setting=data["setting"],
            claim_form=data["claim_form"],
            title=data["title"],
            difficulty=int(data["difficulty"]),
            date_of_service=date.fromisoformat(data["date_of_service"]),
            patient=Patient(**patient),
            provider=data["provider"],
            facility=data["facility"],
            place_of_service=data["place_of_service"],
            chart_markdown=markdown,
            chart_html=html,
            key=key_from_dict(data["key"], data["setting"]),
        )


@dataclass(frozen=True)
class Encounter:
    """What two charts of one encounter share (the professional and the facility claim of the
    same MRI): the patient, the date of service and the hospital. ``content.pairs`` passes the
    first chart's to the second so both show the same visit."""

    patient: Patient
    date_of_service: date
    facility: str
    # (name, credential) when the same clinician documents both charts (the ED physician, the
    # surgeon); None when the twin's record names someone else (an imaging order's clinician).
    provider: tuple[str, str] | None = None


@lru_cache(maxsize=4096)
def _compiled(source: str) -> JinjaTemplate:
    return _env.from_string(source)


@lru_cache(maxsize=4096)
def _expression(source: str) -> TemplateExpression:
    return _env.compile_expression(source)


def _render(value: Any, context: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        return render_bounded(_compiled(value), context) if "{" in value else value
    if isinstance(value, list):
        return [_render(v, context) for v in value]
    if isinstance(value, dict):
        return {k: _render(v, context) for k, v in value.items()}
    return value


def _pick(
    template: Template, rng: random.Random, choices: Mapping[str, str] | None
) -> tuple[tuple[tuple[str, str], ...], dict[str, Any]]:
    picked: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    for variable in template.variables:
        wanted = (choices or {}).get(variable.name)
        options = [a for a in variable.alternatives if a.label == wanted] or list(
            variable.alternatives
        )
        alternative = options[0] if wanted and len(options) == 1 else rng.choice(options)
        picked.append((variable.name, alternative.label))
        values.update(alternative.values)
    return tuple(picked), values


def build_key(template: Template, context: Mapping[str, Any], dos: date) -> AnswerKey:
    """The variant's key: strings rendered, entries whose `when` is false dropped."""
    spec = dict(template.key_spec)
    override = spec.pop("by_year", {}).get(str(fiscal_year(dos)), {})
    spec.update(override)
    data: dict[str, Any] = {}
    for section in ("diagnoses", "lines", "reason_for_visit", "procedures"):
        entries = []
        for entry in spec.get(section, []):
            when = entry.get("when")
            if when and not _expression(when)(**context):
                continue
            rendered = _render({k: v for k, v in entry.items() if k != "when"}, context)
            if section == "lines":
                rendered["units"] = int(str(rendered.get("units", 1) or 1))
                rendered["modifiers"] = [m for m in rendered.get("modifiers", []) if m]
                # The UB-04 has no diagnosis pointers: a facility key carries none.
                rendered["pointers"] = (
                    []
                    if template.setting == "facility"
                    else [p for p in rendered.get("pointers", []) if str(p).strip()]
                )
            entries.append(rendered)
        data[section] = entries
    if spec.get("em"):
        em = _render(dict(spec["em"]), context)
        em["total_minutes"] = int(em["total_minutes"]) if str(em.get("total_minutes", "")) else None
        data["em"] = em
    if spec.get("type_of_bill"):
        data["type_of_bill"] = str(_render(str(spec["type_of_bill"]), context)).strip()
    data["alternates"] = _render(spec.get("alternates", []), context)
    data["claim_type"] = template.claim_type
    if template.setting == "professional":  # CMS-1500 box 24B; a UB-04 has no POS
        data["place_of_service"] = str(_render(template.place_of_service, context)).strip()
    data["not_coded"] = [
        _render({k: v for k, v in entry.items() if k != "when"}, context)
        for entry in spec.get("not_coded", [])
        if not entry.get("when") or _expression(entry["when"])(**context)
    ]
    return key_from_dict(data, template.setting)  # type: ignore[arg-type]


def chart_heading(chart_type: str) -> str:
    """The chart's heading: the first letter capitalised, the rest as written (str.title()
    turned "ED record" into "Ed Record")."""
    return chart_type[:1].upper() + chart_type[1:]


def generate(
    template: Template,
    seed: int,
    *,
    choices: Mapping[str, str] | None = None,
    year: int | None = None,
    between: tuple[date, date] | None = None,
    encounter: Encounter | None = None,
) -> Variant:
    """Render one variant of a template, deterministically from the seed.

    ``between`` limits the date of service to a range (inclusive), for refreshers and for
    checking a per-year key. Rendering is metered (``core.sandbox``): a template that loops
    too long or prints too much raises ``RenderLimitError`` with the reason. ``encounter``
    replaces the drawn patient, date and facility (the twin of a paired chart).
    """
    with render_budget():
        return _generate(template, seed, choices, year, between, encounter)


def _generate(
    template: Template,
    seed: int,
    choices: Mapping[str, str] | None,
    year: int | None,
    between: tuple[date, date] | None,
    encounter: Encounter | None = None,
) -> Variant:
    rng = random.Random(seed)
    fake = _seeded_faker(seed)
    picked, values = _pick(template, rng, choices)
    dos = date_of_service(template, rng, year, between)
    patient = draw_patient(template, dos, rng, fake, values)
    # A variant may name who performs it (a psychiatrist's 90792, a social worker's 90791).
    declared = tuple(values.get("provider_credentials", ())) or template.provider_credentials
    credential = rng.choice(credentials_for(template.chart_type, declared))
    # The bare name: charts sign "{{ provider.name }}, {{ provider.credentials }}" (a name that
    # carried the credential printed it twice, "MD, MD").
    provider_name = f"{fake.first_name()} {fake.last_name()}"
    provider = f"{provider_name}, {credential}"
    # A variable may set the place of service (office vs outpatient hospital, for example);
    # the facility's name follows it (no ED sheet from a "Clinic"), unless the template names
    # the kinds of facility itself (an anaesthesia record from a surgery center).
    place_of_service = str(_render(template.place_of_service, {**values, "dos": dos}))
    kinds = (
        template.facility_kinds
        or FACILITY_KINDS[facility_setting(template.setting, place_of_service)]
    )
    facility = f"{fake.last_name()} {rng.choice(kinds)}"
    if encounter is not None:  # drawn above all the same, so the seed's sequence is unchanged
        patient, dos, facility = encounter.patient, encounter.date_of_service, encounter.facility
        if encounter.provider is not None:
            provider_name, credential = encounter.provider
            provider = f"{provider_name}, {credential}"
    he = patient.sex == "M"
    context = {
        **values,
        "patient": {
            **asdict(patient),
            "pronoun": "he" if he else "she",
            "Pronoun": "He" if he else "She",
            "pronoun_obj": "him" if he else "her",
            "possessive": "his" if he else "her",
            "Possessive": "His" if he else "Her",
        },
        "provider": {"name": provider_name, "credentials": credential, "signature": provider},
        "facility": facility,
        "dos": dos,
        "days_before_dos": days_before(dos),
        "payer": patient.payer,
    }
    header = header_markdown(
        name=patient.name,
        dob=patient.dob,
        age=patient.age,
        sex=patient.sex,
        mrn=patient.mrn,
        dos=dos,
        provider=provider,
        facility=facility,
        place_of_service=place_of_service,  # printed as words, never the code (box 24B)
        payer=patient.payer,
        member=patient.member_id,
    )
    title = f"## {chart_heading(template.chart_type)}\n\n" if template.chart_type else ""
    markdown_text = title + header + render_bounded(_compiled(template.body), context)
    return Variant(
        template_id=template.id,
        template_version=template.version,
        seed=seed,
        choices=picked,
        specialty=template.specialty,
        setting=template.setting,
        claim_form=template.claim_form,
        title=template.title,
        difficulty=template.difficulty,
        date_of_service=dos,
        patient=patient,
        provider=provider,
        facility=facility,
        place_of_service=place_of_service,
        chart_markdown=markdown_text,
        chart_html=render_markdown(markdown_text),
        key=build_key(template, context, dos),
    )


# DOS_WINDOW, Patient (``patients``) and fiscal_year (``codesets.results``) import from here too.
__all__ = [
    "DOS_WINDOW",
    "Encounter",
    "HEADER",
    "Patient",
    "Variant",
    "build_key",
    "chart_heading",
    "fiscal_year",
    "generate",
]
