"""The date of service and the synthetic patient of a chart.

The date falls in the template's code years within ``DOS_WINDOW`` (a weekday); the patient's
sex, age and date of birth fall within the template's rules (narrowed by the variant's own
values), with a Faker name, an MRN and a payer whose member id has the right shape (a
Medicare MBI, a Medicaid number, a commercial plan's id). ``generation`` calls
``date_of_service`` and ``draw_patient`` at their fixed places in the seeded sequence, with
the chart's ``random.Random`` and Faker, so the same seed still gives the same chart. No real
person's data: every value is drawn.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from trainer.core.content.templates import PatientRules, Template
from trainer.core.grading.types import Sex

if TYPE_CHECKING:
    from faker import Faker  # only for the annotations: generation imports it on first use

# Dates of service the catalog covers: ICD-10-CM FY2025-FY2026, CPT/HCPCS 2025-2026.
DOS_WINDOW = (date(2024, 10, 1), date(2026, 9, 30))


@dataclass(frozen=True)
class Patient:
    name: str
    first_name: str
    last_name: str
    sex: Sex
    dob: date
    age: int
    mrn: str
    payer: str
    member_id: str


def date_of_service(
    template: Template,
    rng: random.Random,
    year: int | None,
    between: tuple[date, date] | None = None,
) -> date:
    low, high = DOS_WINDOW
    if template.dos_from is not None:
        low = max(low, template.dos_from)
    if between is not None:
        # A refresher dates its charts after the update it drills (and the validator renders
        # each code year's key on a date in that year).
        low, high = max(low, between[0]), min(high, between[1])
        if low > high:
            raise ValueError(f"no date of service between {between[0]} and {between[1]}")
    years = [y for y in template.code_years if year is None or y == year] or list(
        template.code_years
    )
    spans = []
    for y in years:
        start, end = max(low, date(y, 1, 1)), min(high, date(y, 12, 31))
        if start <= end:
            spans.append((start, end))
    if not spans:
        spans = [(low, high)]
    start, end = rng.choice(spans)
    dos = start + timedelta(days=rng.randrange((end - start).days + 1))
    if dos.weekday() >= 5:  # scheduled care happens on weekdays: move to Friday or Monday
        friday = dos - timedelta(days=dos.weekday() - 4)
        monday = dos + timedelta(days=7 - dos.weekday())
        dos = friday if friday >= start else monday if monday <= end else dos
    return dos


MAX_STAY_DAYS = 60


def days_before(dos: date) -> Callable[[int], date]:
    """``days_before_dos(n)``: the date ``n`` days before the date of service, for the dated
    notes of an inpatient stay (the date of service is the discharge date; an operation on
    hospital day 1 of a stay that ends on day 4 is ``days_before_dos(3)``), so a procedure note
    and the key's FL 74 date come from one expression."""

    def before(days: int) -> date:
        if not isinstance(days, int) or not 0 <= days <= MAX_STAY_DAYS:
            raise ValueError(f"days_before_dos takes 0 to {MAX_STAY_DAYS} days")
        return dos - timedelta(days=days)

    return before


def _payer(rule: str, age: int, rng: random.Random, fake: Faker) -> tuple[str, str]:
    if rule == "medicare" or (rule == "any" and age >= 65):
        letters = "ACDEFGHJKMNPQRTUVWXY"
        mbi = (
            f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}{rng.randint(0, 9)}"
            f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(0, 9)}"
            f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(10, 99)}"
        )
        return "Medicare Part B", mbi
    if rule == "medicaid" or (rule == "any" and rng.random() < 0.25):
        return "State Medicaid", f"MCD{rng.randint(10**8, 10**9 - 1)}"
    plan = rng.choice(
        [
            "Blue Ridge Health Plan",
            "Summit Commercial PPO",
            "Lakeside HMO",
            "Northstar Health Insurance",
        ]
    )
    return plan, f"{fake.bothify('???#########').upper()}"


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def draw_patient(
    template: Template,
    dos: date,
    rng: random.Random,
    fake: Faker,
    values: Mapping[str, Any] | None = None,
) -> Patient:
    """The patient, within the template's rules narrowed by the variant's own
    ``patient_min_age``/``patient_max_age``/``patient_sex``/``patient_payer`` values (a
    well-child visit whose code depends on the age band, a 99100 that needs a patient over
    70, a VFC vaccine for a Medicaid child) and, for an infant (age 0), ``patient_min_days``/
    ``patient_max_days`` (a 2-month visit, a newborn's first week)."""
    rules = narrowed(template.patient, values or {})
    sexes: tuple[Sex, Sex] = ("F", "M")
    sex: Sex = "F" if rules.sex == "F" else "M" if rules.sex == "M" else rng.choice(sexes)
    age = rng.randint(rules.min_age, rules.max_age)
    latest = _years_before(dos, age)  # birthday on the date of service at the latest
    earliest = _years_before(dos, age + 1) + timedelta(days=1)
    if values and "patient_max_days" in values:  # an infant's visit: age in days
        latest = dos - timedelta(days=int(values.get("patient_min_days", 0)))
        earliest = max(earliest, dos - timedelta(days=int(values["patient_max_days"])))
    dob = earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))
    first = fake.first_name_female() if sex == "F" else fake.first_name_male()
    last = fake.last_name()
    payer, member = _payer(rules.payer, age, rng, fake)
    return Patient(
        f"{first} {last}",
        first,
        last,
        sex,
        dob,
        age,
        f"{rng.randint(10**7, 10**8 - 1)}",
        payer,
        member,
    )


def narrowed(rules: PatientRules, values: Mapping[str, Any]) -> PatientRules:
    low = int(values.get("patient_min_age", rules.min_age))
    high = int(values.get("patient_max_age", rules.max_age))
    if low > high:
        raise ValueError(f"the variant's patient age {low}-{high} is outside the template's")
    sex = str(values.get("patient_sex", rules.sex))
    payer = str(values.get("patient_payer", rules.payer))
    return replace(rules, min_age=low, max_age=high, sex=sex, payer=payer)


__all__ = ["DOS_WINDOW", "Patient", "date_of_service", "draw_patient", "narrowed"]
