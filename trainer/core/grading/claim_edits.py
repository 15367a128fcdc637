"""Claim-edit replay: what a payer's editor would do with each line the trainee entered.

A trainee learns as much from "this line would be denied" as from "this code is wrong",
so the trainee's own claim is run through the edits payers apply: NCCI procedure-to-
procedure pairs, Medically Unlikely Edits, modifier rules, revenue code and HCPCS agreement
on facility claims, and age/sex conflicts. Each line gets one verdict (pay, reduce, deny)
with every reason found, the most severe deciding.

The sex- and age-specific ranges below are deliberately narrow: only code ranges that are
unambiguously maternity, female- or male-genital or newborn, so that a correct claim is
never flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from trainer.core.claims import ServiceLine
from trainer.core.grading.lookups import Lookups, proc_kind
from trainer.core.grading.types import Action, EditResult, PatientFacts
from trainer.core.integers import is_ascii_digits

DISTINCT = frozenset({"59", "XE", "XS", "XP", "XU"})
X_MODIFIERS = frozenset({"XE", "XS", "XP", "XU"})
# Modifiers that may bypass an NCCI edit with modifier indicator 1 (NCCI policy manual ch. I).
# Distinct-service and global-surgery/repeat modifiers bypass from either line; anatomic
# modifiers (sides, eyelids, digits, coronary arteries) only when both lines carry them and
# they name different sites (20610-RT with 20605-LT), since one side alone shows no separate
# site.
ANATOMIC = frozenset(
    "LT RT E1 E2 E3 E4 FA F1 F2 F3 F4 F5 F6 F7 F8 F9 TA T1 T2 T3 T4 T5 T6 T7 T8 T9 "
    "LC LD RC LM RI".split()
)
BYPASS = DISTINCT | frozenset("24 25 27 57 58 78 79 91".split())
# An E/M on the day of a procedure is in its global package unless one of these says otherwise.
GLOBAL_EM = frozenset({"24", "25", "57"})
GLOBAL_REASON = (
    "an E/M on the day of a procedure is part of its global package unless it is significant "
    "and separately identifiable (25) or the decision for surgery (57)"
)
_SEVERITY: dict[str, int] = {"pay": 0, "reduce": 1, "deny": 2}

# ICD-10-CM prefixes that are clearly one sex: maternity, female or male genital organs and
# their cancers and benign neoplasms, prostate screening.
FEMALE_DX = tuple(
    "O Z33 Z34 Z3A Z39 N7 N8 N90 N91 N92 N93 N94 N95 N96 N97 N98 "
    "C51 C52 C53 C54 C55 C56 C57 C58 D25 D26 D27 D28".split()
)
MALE_DX = tuple(
    "N40 N41 N42 N43 N44 N45 N46 N47 N48 N49 N50 N51 N52 N53 C60 C61 C62 C63 D29 Z12.5".split()
)
# CPT ranges: female genital system and maternity, obstetric ultrasound; male genital system.
FEMALE_CPT = ((56405, 59899), (76801, 76828))
MALE_CPT = ((54000, 55899),)
FEMALE_HCPCS = frozenset({"G0101", "Q0091"})
MALE_HCPCS = frozenset({"G0102", "G0103"})
# Professional/technical split where the catalog gives no indicator: diagnostic radiology,
# nuclear medicine, ultrasound, surgical pathology and cardiac diagnostics (not the ECG and
# stress-test codes, whose components have their own codes).
PC_TC_RANGES = ((70010, 79999), (88300, 88399), (93303, 93356), (93880, 93998))
# Surgical-range add-on codes (reported with a primary code, exempt from multiple-procedure
# reduction) for when the catalog carries no add-on flag.
ADD_ON = frozenset(
    "11001 11008 11045 11046 11047 11103 11105 11107 15272 15274 15276 15278 17003 20985 "
    "22614 22632 29826 64480 64484 64491 64492 64494 64495".split()
)
PC_TC_NONE = frozenset({"93000", "93005", "93010", "93015", "93016", "93017", "93018"})


def _numeric(code: str) -> int | None:
    return int(code) if len(code) == 5 and is_ascii_digits(code) else None


def _in(code: str, ranges: Sequence[tuple[int, int]]) -> bool:
    n = _numeric(code)
    return n is not None and any(lo <= n <= hi for lo, hi in ranges)


def is_em(code: str) -> bool:
    """Evaluation and management codes (and the eye exam codes that take 25 the same way)."""
    return _in(code, ((99202, 99499), (92002, 92014)))


def is_surgical(code: str) -> bool:
    return _in(code, ((10004, 69990),))


def has_pc_tc_split(code: str, lk: Lookups) -> bool:
    """Whether 26/TC may be appended: the catalog's split flag when it has one, else ranges."""
    marked = lk.split(code)
    if marked is not None:
        return marked
    return code not in PC_TC_NONE and _in(code, PC_TC_RANGES)


def _is_add_on(code: str, lk: Lookups) -> bool:
    """Add-on codes are never reduced as a "second procedure": flag, known list or title."""
    if code in ADD_ON:
        return True
    detail = lk.detail(code, "cpt") if _numeric(code) is not None else None
    if detail is None:
        return False
    if getattr(detail, "add_on", False):
        return True
    title = (getattr(detail, "title", "") or "").lower()
    return "each added" in title or "add-on" in title or "each additional" in title


def bypassed(mods: set[str], other: set[str]) -> bool:
    """Whether the modifiers on a PTP pair allow both codes (modifier indicator 1)."""
    if (mods | other) & BYPASS:
        return True
    sites, other_sites = mods & ANATOMIC, other & ANATOMIC
    return bool(sites and other_sites and sites != other_sites)


def _is_icd(code: str) -> bool:
    """Normalised ICD-10-CM codes carry a dot after 3 characters; categories are 3 long."""
    return "." in code or len(code) == 3


def sex_conflict(code: str, sex: str) -> bool:
    """A code clearly for the other sex (maternity, genital organs, sex-specific screening)."""
    if _is_icd(code):
        return code.startswith(FEMALE_DX if sex == "M" else MALE_DX)
    if sex == "M":
        return code in FEMALE_HCPCS or _in(code, FEMALE_CPT)
    return code in MALE_HCPCS or _in(code, MALE_CPT)


def age_conflict(code: str, age: int) -> bool:
    """Newborn codes on an older patient (the Medicare Code Editor's newborn edit)."""
    if not _is_icd(code):
        return False
    if code.startswith("Z38"):
        return age > 0
    return code.startswith("P") and age >= 18


Finding = tuple[Action, str, str]  # (action, rule slug, reason)


def _deny(rule: str, reason: str) -> Finding:
    return ("deny", rule, reason)


def _modifier_findings(line: ServiceLine) -> list[Finding]:
    if not line.modifiers:
        return []
    mods, code = set(line.modifiers), line.code
    rules: tuple[tuple[bool, str, str], ...] = (
        (
            "59" in mods and bool(mods & X_MODIFIERS),
            "modifier_59",
            "59 is never reported with an X{EPSU} modifier on one line; use the X modifier",
        ),
        (
            "59" in mods and is_em(code),
            "modifier_59",
            "59 is not appended to an E/M; a separate E/M on a procedure day takes 25",
        ),
        ("25" in mods and not is_em(code), "modifier_25", f"25 belongs on an E/M, not {code}"),
        (
            "50" in mods and line.units != 1,
            "modifier_50",
            "a bilateral procedure (50) is one line with one unit",
        ),
        (
            "50" in mods and bool(mods & {"LT", "RT"}),
            "modifier_50",
            "50 already means both sides; never add LT/RT",
        ),
        (
            {"LT", "RT"} <= mods,
            "modifier_lt_rt",
            "LT and RT on one line contradict each other; report 50 or one line per side",
        ),
        (
            {"26", "TC"} <= mods,
            "modifier_26_tc",
            "26 and TC together are the global service: report the code without either",
        ),
    )
    return [_deny(rule, reason) for applies, rule, reason in rules if applies]


def _ncci_findings(i: int, lines: Sequence[ServiceLine], dos: date, lk: Lookups) -> list[Finding]:
    """Column 2 lines of a PTP pair: indicator 0 always denied, 1 unless a bypass modifier."""
    line = lines[i]
    mods = set(line.modifiers)
    found: list[Finding] = []
    for j, other in enumerate(lines):
        if j == i or other.code == line.code:
            continue
        edit = lk.ncci(other.code, line.code, dos)
        if edit is None:
            continue
        indicator = str(edit.modifier_indicator)
        if indicator == "0":
            found.append(
                _deny(
                    "ncci_ptp",
                    f"NCCI bundles {line.code} into {other.code} (modifier indicator 0: no "
                    "modifier allows both)",
                )
            )
        elif indicator == "1" and not bypassed(mods, set(other.modifiers)):
            found.append(
                _deny(
                    "ncci_ptp",
                    f"NCCI bundles {line.code} into {other.code}; a distinct-service modifier "
                    "(59/XE/XS/XP/XU) is needed if the services were truly separate",
                )
            )
    return found


def _line_findings(
    i: int, lines: Sequence[ServiceLine], dos: date, lk: Lookups, setting: str
) -> list[Finding]:
    line = lines[i]
    found: list[Finding] = []
    check = lk.check(line.code, proc_kind(line.code), dos)
    if not check.valid:
        reason = check.message or check.reason
        found.append(_deny("invalid_code", f"{line.code} is not payable on this date: {reason}"))
    found.extend(_modifier_findings(line))
    if {"26", "TC"} & set(line.modifiers) and not has_pc_tc_split(line.code, lk):
        found.append(_deny("modifier_26_tc", f"{line.code} has no professional/technical split"))
    found.extend(_ncci_findings(i, lines, dos, lk))
    cap = lk.mue(line.code, dos)
    if cap is not None:
        total = sum(o.units for o in lines[: i + 1] if o.code == line.code)
        if total > cap:
            found.append(
                _deny("mue", f"{total} units of {line.code} on one date exceed its MUE of {cap}")
            )
    if setting == "facility":
        found.extend(_revenue_findings(line, dos, lk))
    return found


def _revenue_findings(line: ServiceLine, dos: date, lk: Lookups) -> list[Finding]:
    rev = line.revenue_code
    if not rev:
        return [_deny("revenue_code", "a facility line needs a revenue code (UB-04 FL42)")]
    if not lk.check(rev, "revenue", dos).valid:
        return [_deny("revenue_code", f"{rev} is not a revenue code")]
    allowed = lk.revenue_codes(line.code)
    if allowed and rev not in allowed:
        expected = "/".join(allowed)
        return [
            _deny(
                "revenue_code",
                f"revenue code {rev} does not match {line.code} (expected {expected}); the "
                "claim is returned to the provider",
            )
        ]
    return []


def _patient_findings(
    line: ServiceLine, diagnoses: Sequence[str], patient: PatientFacts
) -> list[Finding]:
    """Age/sex conflicts of the line's code and of the diagnoses it points at (all if none)."""
    found: list[Finding] = []
    sex = patient.sex
    if sex_conflict(line.code, sex):
        found.append(_deny("age_sex", f"{line.code} is for the other sex (patient: {sex})"))
    pointed = [p - 1 for p in line.pointers if 1 <= p <= len(diagnoses)]
    for k in pointed or range(len(diagnoses)):
        code = diagnoses[k]
        if code and sex_conflict(code, sex):
            found.append(
                _deny("age_sex", f"diagnosis {code} is for the other sex (patient: {sex})")
            )
        if code and age_conflict(code, patient.age):
            found.append(
                _deny(
                    "age_sex",
                    f"diagnosis {code} is a newborn/perinatal code on a patient aged "
                    f"{patient.age}; later in life a P-code needs a documented perinatal origin",
                )
            )
    return found


def replay_edits(
    lines: Sequence[ServiceLine],
    diagnoses: Sequence[str],
    dos: date,
    lk: Lookups,
    setting: str = "professional",
    patient: PatientFacts | None = None,
) -> tuple[EditResult, ...]:
    """One EditResult per entered line (codes already normalised), in entry order."""
    results: list[EditResult] = []
    surgical_paid = 0
    procedure_day = any(is_surgical(other.code) for other in lines)
    for i, line in enumerate(lines):
        found = _line_findings(i, lines, dos, lk, setting)
        if procedure_day and is_em(line.code) and not GLOBAL_EM & set(line.modifiers):
            found.append(_deny("modifier_25", GLOBAL_REASON))
        if patient is not None:
            found.extend(_patient_findings(line, diagnoses, patient))
        denied = any(action == "deny" for action, _, _ in found)
        if not denied and is_surgical(line.code) and not _is_add_on(line.code, lk):
            surgical_paid += 1
            if surgical_paid > 1:
                reason = "second and later surgical procedures on a date are paid at a reduced "
                found.append(("reduce", "multiple_procedure", reason + "rate (modifier 51)"))
        if not found:
            results.append(EditResult(i, "pay", "no edit applies", "none"))
            continue
        worst = max(found, key=lambda f: _SEVERITY[f[0]])
        reason = "; ".join(dict.fromkeys(text for _, _, text in found))
        results.append(EditResult(i, worst[0], reason, worst[1]))
    return tuple(results)


__all__ = [
    "ANATOMIC",
    "BYPASS",
    "DISTINCT",
    "age_conflict",
    "bypassed",
    "has_pc_tc_split",
    "is_em",
    "is_surgical",
    "replay_edits",
    "sex_conflict",
]
