"""What the payer edits know about a code and a patient, before any pair of lines is looked at:
the E/M range, the PFS global period, whether 26/TC may be appended, which modifiers bypass an
NCCI pair, and the codes that are clearly one sex or for a newborn.

The sex- and age-specific ranges below are deliberately narrow: only code ranges that are
unambiguously maternity, female- or male-genital or newborn, so that a correct claim is
never flagged. ``claim_edits`` (the replay) and ``key_rules`` (the template audit) read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from trainer.core.grading.lookups import Lookups
from trainer.core.grading.types import Action
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
# Professional/technical split where the fee schedule has no row for a code (not a PFS code):
# diagnostic radiology, nuclear medicine, ultrasound, surgical pathology and cardiac
# diagnostics. Codes the PFS carries use its PC/TC indicator instead.
PC_TC_RANGES = ((70010, 79999), (88300, 88399), (93303, 93356), (93880, 93998))
PC_TC_NONE = frozenset({"93000", "93005", "93010", "93015", "93016", "93017", "93018"})
# PFS PC/TC indicators (RVU file): 26 may be appended for 1 (diagnostic tests with a split) and
# 6 (laboratory physician interpretation); TC only for 1.
PROFESSIONAL_OK = frozenset({"1", "6"})
TECHNICAL_OK = frozenset({"1"})
MINOR_GLOBAL = frozenset({"000", "010"})
# FQHC PPS payment codes: a facility claim carrying one is an FQHC claim (type of bill 77x).
# CMS applies the outpatient-hospital PTP edits to OPPS hospitals and types of bill 22x, 23x,
# 34x, 74x and 75x, not to FQHC claims, so the replay does not apply them there.
FQHC_PAYMENT_CODES = frozenset({"G0466", "G0467", "G0468", "G0469", "G0470"})
MAJOR_GLOBAL = "090"


def _numeric(code: str) -> int | None:
    return int(code) if len(code) == 5 and is_ascii_digits(code) else None


def _in(code: str, ranges: Sequence[tuple[int, int]]) -> bool:
    n = _numeric(code)
    return n is not None and any(lo <= n <= hi for lo, hi in ranges)


@lru_cache(maxsize=8192)
def is_em(code: str) -> bool:
    """Evaluation and management codes (and the eye exam codes that take 25 the same way)."""
    return _in(code, ((99202, 99499), (92002, 92014)))


def global_days(code: str, lk: Lookups) -> str:
    """The PFS global period of a code ("000", "010", "090", "XXX", "ZZZ", ...), or ""."""
    facts = lk.pfs(code)
    return str(facts.global_days) if facts is not None else ""


def is_surgical(code: str, lk: Lookups) -> bool:
    """A procedure with a global surgical package (PFS global days 000, 010 or 090)."""
    return global_days(code, lk) in MINOR_GLOBAL or global_days(code, lk) == MAJOR_GLOBAL


def has_pc_tc_split(code: str, lk: Lookups, modifier: str = "26") -> bool:
    """Whether 26 (or TC) may be appended: the PFS PC/TC indicator; the curated split flag or
    the imaging/pathology ranges only for a code the fee schedule does not carry."""
    facts = lk.pfs(code)
    if facts is not None:
        return facts.pctc in (PROFESSIONAL_OK if modifier == "26" else TECHNICAL_OK)
    marked = lk.split(code)
    if marked is not None:
        return marked
    return code not in PC_TC_NONE and _in(code, PC_TC_RANGES)


def is_add_on(code: str, lk: Lookups) -> bool:
    """Add-on codes (NCCI add-on edit file, or PFS global ZZZ) are never reduced."""
    return lk.add_on(code) is not None or global_days(code, lk) == "ZZZ"


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


def deny(rule: str, reason: str) -> Finding:
    return ("deny", rule, reason)


__all__ = [
    "ANATOMIC",
    "BYPASS",
    "DISTINCT",
    "FEMALE_CPT",
    "FEMALE_DX",
    "FEMALE_HCPCS",
    "FQHC_PAYMENT_CODES",
    "Finding",
    "MAJOR_GLOBAL",
    "MALE_CPT",
    "MALE_DX",
    "MALE_HCPCS",
    "MINOR_GLOBAL",
    "PC_TC_NONE",
    "PC_TC_RANGES",
    "PROFESSIONAL_OK",
    "TECHNICAL_OK",
    "X_MODIFIERS",
    "age_conflict",
    "bypassed",
    "deny",
    "global_days",
    "has_pc_tc_split",
    "is_add_on",
    "is_em",
    "is_surgical",
    "sex_conflict",
]
