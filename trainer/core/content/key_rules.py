"""A key's codes checked against their own codes' rules, beyond "the code exists on the date".

``validation`` already checks that each keyed code is valid and billable on the date of
service, that the key grades 100% against itself, and replays the key through the payer
edits (NCCI, MUE, add-on, PC/TC, age/sex) for the variant's own patient. What it does not
see, and a key can still get wrong, is checked here:

- every code the key *accepts* (alternates, whole alternative claims, FL 70 reasons) is a
  valid, billable code on the date: an accepted header code teaches a wrong answer as right;
- modifiers their definitions restrict: 25, 57 and 24 describe an E/M service (CPT modifier
  definitions), 59 and X{EPSU} are not used on an E/M (NCCI Policy Manual ch. I), and a
  hospital's UB-04 carries neither 26 nor TC (the facility bills the technical service under
  the full code; the professional component is the physician's claim);
- an E/M line is one visit: one unit;
- a diagnosis for one sex, or for newborns, on a template whose patients can be otherwise
  (the payer replay only sees the few patients the check draws; the template's own age range
  and sex decide what any variant can be);
- first-listed diagnosis rules: an external cause code is never first-listed (ICD-10-CM
  I.C.20), nor a manifestation code "in diseases classified elsewhere" (I.A.13);
- the same code keyed twice (a line code may repeat only with other modifiers: a JW line);
- the UB-04's own fields: a facility key states FL 4 (013x for a hospital outpatient claim,
  077x for an FQHC visit paid under the FQHC PPS), a professional key has neither FL 4 nor
  FL 70, and a facility line carries no diagnosis pointers.

Each problem is a sentence naming the code and the rule; ``validation`` adds the template
and variant to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from trainer.core.claims import AnswerKey
from trainer.core.codesets.codes import guess_kind
from trainer.core.grading.claim_edits import (
    FQHC_PAYMENT_CODES,
    age_conflict,
    is_em,
    sex_conflict,
)

# E/M-range codes reported per time increment, with units (CPT "each additional"): prolonged
# services, critical care beyond the first hour, and care management add-on minutes.
PER_INCREMENT_EM = frozenset(
    {
        "99292",
        "99415",
        "99416",
        "99417",
        "99418",
        "99427",
        "99437",
        "99439",
        "99458",
        "99489",
        "G2212",
    }
)

EM_ONLY_MODIFIERS = {
    "25": "a significant, separately identifiable E/M",
    "57": "the decision for surgery made at an E/M visit",
    "24": "an unrelated E/M in a postoperative period",
}
NOT_ON_EM = ("59", "XE", "XS", "XP", "XU")
NOT_ON_FACILITY = ("26", "TC")


def _accepted_codes(key: AnswerKey) -> Iterator[tuple[str, str, str]]:
    """(code, kind, where) for every code a trainee may enter and be counted right."""
    for d in key.diagnoses:
        for alt in d.alternates:
            yield alt, "icd10cm", f"alternate of {d.code}"
    for k in key.lines:
        for alt in k.alternates:
            yield alt, guess_kind(alt) or "cpt", f"alternate of line {k.line.code}"
    for n, claim in enumerate(key.alternate_sets, 1):
        for code in claim.diagnoses:
            yield code, "icd10cm", f"alternative claim {n}"
        for line in claim.lines:
            yield line.code, guess_kind(line.code) or "cpt", f"alternative claim {n}"
    for r in key.reason_for_visit:
        yield r.code, "icd10cm", "FL 70 reason for visit"
        for alt in r.alternates:
            yield alt, "icd10cm", f"FL 70 alternate of {r.code}"


def _validity(key: AnswerKey, catalog: Any, dos: date) -> list[str]:
    found = []
    for code, kind, where in dict.fromkeys(_accepted_codes(key)):
        result = catalog.validate(code, kind, dos)
        if not result.valid:
            found.append(f"{code} ({where}) is accepted but not valid on {dos}: {result.message}")
    return found


def _modifiers(key: AnswerKey) -> list[str]:
    found = []
    for k in key.lines:
        line = k.line
        em = is_em(line.code)
        for mod in line.modifiers:
            if mod in EM_ONLY_MODIFIERS and not em:
                found.append(
                    f"line {line.code}-{mod}: modifier {mod} reports "
                    f"{EM_ONLY_MODIFIERS[mod]}, and {line.code} is not an E/M code (CPT "
                    "modifier definitions)"
                )
            if mod in NOT_ON_EM and em:
                found.append(
                    f"line {line.code}-{mod}: {mod} is not appended to an E/M code; an E/M "
                    "separate from a procedure takes 25 or 57 (NCCI Policy Manual ch. I)"
                )
            if mod in NOT_ON_FACILITY and key.setting == "facility":
                found.append(
                    f"line {line.code}-{mod}: a hospital's UB-04 reports the technical service "
                    f"under the full code, without {mod}; the professional component is billed "
                    "on the physician's claim"
                )
        if em and line.units != 1 and line.code not in PER_INCREMENT_EM:
            found.append(f"line {line.code}: an E/M line is one visit, keyed {line.units} units")
    return found


def _patients(key: AnswerKey, sex_rule: str, min_age: int, max_age: int) -> list[str]:
    sexes = ("F", "M") if sex_rule not in ("F", "M") else (sex_rule,)
    found = []
    codes = [d.code for d in key.diagnoses] + [k.line.code for k in key.lines]
    for code in codes:
        for sex in sexes:
            if sex_conflict(code, sex):
                found.append(
                    f"{code} is for one sex only, and this template's patient may be "
                    f"{'female' if sex == 'F' else 'male'} (set [patient] sex)"
                )
        for age in {min_age, max_age}:
            if age_conflict(code, age):
                found.append(
                    f"{code} is a newborn/perinatal code and this template's patient may be "
                    f"{age} (ICD-10-CM I.C.16)"
                )
    return found


def _sequence(key: AnswerKey, catalog: Any) -> list[str]:
    found = []
    if key.diagnoses:
        first = key.diagnoses[0].code
        if first[:1] in ("V", "W", "X", "Y"):
            found.append(
                f"{first} is first-listed, but an external cause code is never first-listed "
                "(ICD-10-CM I.C.20)"
            )
        title = (catalog.title(first, "icd10cm") or "").lower()
        if "in diseases classified elsewhere" in title:
            found.append(
                f"{first} is first-listed, but a manifestation code 'in diseases classified "
                "elsewhere' follows its etiology (ICD-10-CM I.A.13)"
            )
    # A procedure code may repeat on lines whose modifiers differ (the drug discarded from a
    # single-dose vial goes on its own line with JW, CMS JW/JZ policy); the same line twice may not.
    seen: set[tuple[str, tuple[str, ...]]] = set()
    entries: list[tuple[str, tuple[str, ...]]] = [(d.code, ()) for d in key.diagnoses]
    entries += [(k.line.code, tuple(sorted(k.line.modifiers))) for k in key.lines]
    for code, modifiers in entries:
        if (code, modifiers) in seen:
            found.append(f"{code} is keyed twice (each code is reported once, with its units)")
        seen.add((code, modifiers))
    return found


def _ub04(key: AnswerKey, asc: bool = False) -> list[str]:
    """FL 4 by who bills: a hospital outpatient claim 013x, an FQHC PPS visit 077x, and an
    ambulatory surgery center's UB-04 (a commercial payer's; Medicare takes ASC claims on the
    CMS-1500) 083x."""
    if key.setting != "facility":
        if key.type_of_bill or key.reason_for_visit:
            return ["a professional (CMS-1500) key has no FL 4 type of bill or FL 70 reason"]
        return []
    found = []
    fqhc = any(k.line.code in FQHC_PAYMENT_CODES for k in key.lines)
    wanted = "077" if fqhc else "083" if asc else "013"
    if not key.type_of_bill:
        found.append(f"a facility key states the UB-04 FL 4 type of bill ({wanted}x)")
    elif not key.type_of_bill.startswith(wanted):
        kind = (
            "an FQHC PPS visit"
            if fqhc
            else "an ambulatory surgery center's claim"
            if asc
            else "a hospital outpatient claim"
        )
        found.append(f"FL 4 {key.type_of_bill}: {kind} is type of bill {wanted}x")
    for k in key.lines:
        if k.line.pointers:
            found.append(f"facility line {k.line.code} has diagnosis pointers (UB-04 has none)")
    return found


def key_rule_problems(template: Any, variant: Any, catalog: Any) -> list[str]:
    """Everything in one variant's key that breaks its own codes' rules."""
    key: AnswerKey = variant.key
    rules = template.patient
    return [
        *_validity(key, catalog, variant.date_of_service),
        *_modifiers(key),
        *_patients(key, rules.sex, rules.min_age, rules.max_age),
        *_sequence(key, catalog),
        *_ub04(key, str(getattr(template, "place_of_service", "")).strip() == "24"),
    ]


__all__ = ["key_rule_problems"]
