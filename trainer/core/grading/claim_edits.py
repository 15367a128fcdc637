"""Claim-edit replay: what a payer's editor would do with each line the trainee entered.

A trainee learns as much from "this line would be denied" as from "this code is wrong",
so the trainee's own claim is run through the edits payers apply, from the real CMS tables in
the code-set index: NCCI procedure-to-procedure pairs (practitioner table on professional
claims, outpatient hospital table on facility claims), Medically Unlikely Edits by MAI,
add-on code edits, the PFS global-surgery, multiple-procedure, bilateral and PC/TC indicators,
modifier rules, revenue code and HCPCS agreement on facility claims, and age/sex conflicts.
Each line gets one verdict (pay, reduce, deny) with every reason found, the most severe
deciding.

The sex- and age-specific ranges below are deliberately narrow: only code ranges that are
unambiguously maternity, female- or male-genital or newborn, so that a correct claim is
never flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

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


def _is_add_on(code: str, lk: Lookups) -> bool:
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


def _deny(rule: str, reason: str) -> Finding:
    return ("deny", rule, reason)


def _modifier_findings(line: ServiceLine, setting: str = "professional") -> list[Finding]:
    """Modifier combinations no payer accepts. RT with LT on one line is such a combination on
    a practitioner claim, but the DME MACs require it for a pair of items of one code (two
    shoes, two inserts): one line, RT and LT, 2 units (DME MAC supplier manuals)."""
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
            {"LT", "RT"} <= mods and setting != "dme",
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


def is_fqhc_claim(lines: Sequence[ServiceLine]) -> bool:
    return any(line.code in FQHC_PAYMENT_CODES for line in lines)


def _table(edit: Any) -> str:
    kind = "outpatient hospital" if edit.claim_type == "outpatient_hospital" else "practitioner"
    release = f"{edit.release}, " if edit.release else ""
    return f"{release}{kind} PTP table; rationale: {edit.rationale}"


def _ncci_findings(
    i: int, lines: Sequence[ServiceLine], dos: date, lk: Lookups, setting: str
) -> list[Finding]:
    """Column 2 lines of a PTP pair: indicator 0 always denied, 1 unless a bypass modifier."""
    line = lines[i]
    mods = set(line.modifiers)
    found: list[Finding] = []
    for j, other in enumerate(lines):
        if j == i or other.code == line.code:
            continue
        edit = lk.ncci(other.code, line.code, dos, setting)
        if edit is None:
            continue
        indicator = str(edit.modifier_indicator)
        if indicator == "0":
            found.append(
                _deny(
                    "ncci_ptp",
                    f"NCCI bundles {line.code} into {other.code} (modifier indicator 0: no "
                    f"modifier allows both; {_table(edit)})",
                )
            )
        elif indicator == "1" and not bypassed(mods, set(other.modifiers)):
            found.append(
                _deny(
                    "ncci_ptp",
                    f"NCCI bundles {line.code} into {other.code}; modifier indicator 1: a "
                    "distinct-service modifier (59/XE/XS/XP/XU) is needed if the services were "
                    f"truly separate ({_table(edit)})",
                )
            )
    return found


def _mue_findings(
    i: int,
    lines: Sequence[ServiceLine],
    dos: date,
    lk: Lookups,
    setting: str,
    patient: PatientFacts | None,
) -> list[Finding]:
    """MAI 1 judges each line on its own; MAI 2 and 3 add up the code's units for the day.

    An MUE of 0 is no unit limit: CMS gives it to services Medicare does not pay on that
    claim type (preventive visits 99381-99397, IUDs). It is a denial only for a Medicare
    patient; a commercial or Medicaid claim for the same service is not judged by it.
    """
    line = lines[i]
    edit = lk.mue_edit(line.code, dos, setting)
    if edit is None:
        return []
    if edit.value == 0:
        if patient is None or "medicare" not in patient.payer.lower():
            return []
        return [
            _deny(
                "mue",
                f"{line.code} has an MUE of 0 on this claim type ({_mue_where(edit)}): Medicare "
                "does not "
                "pay it",
            )
        ]
    if edit.per_day:
        total = sum(o.units for o in lines[: i + 1] if o.code == line.code)
        if total > edit.value:
            appeal = (
                " (MAI 2 is absolute: no appeal pays more)"
                if edit.mai == 2
                else " (MAI 3: units above it may be paid on appeal with documentation)"
            )
            return [
                _deny(
                    "mue",
                    f"{total} units of {line.code} on one date exceed its MUE of {edit.value} "
                    f"({_mue_where(edit)}){appeal}",
                )
            ]
        return []
    if line.units > edit.value:
        return [
            _deny(
                "mue",
                f"{line.units} units of {line.code} on one line exceed its MUE of {edit.value} "
                f"({_mue_where(edit)})",
            )
        ]
    return []


def _mue_where(edit: Any) -> str:
    table = "outpatient hospital" if edit.claim_type == "outpatient_hospital" else "practitioner"
    return f"{table} MUE, MAI {edit.mai}: {edit.mai_text}; rationale: {edit.rationale}"


def _add_on_findings(i: int, lines: Sequence[ServiceLine], lk: Lookups) -> list[Finding]:
    """A type 1 add-on code is paid only with one of its listed primary codes on the claim.

    Types 2 and 3 list no or not all primaries (the contractor decides), so they are not
    denied here: the replay claims only what the CMS file says.
    """
    code = lines[i].code
    edit = lk.add_on(code)
    if edit is None or edit.edit_type != 1 or not edit.primaries:
        return []
    if any(other.code in edit.primaries for other in lines):
        return []
    listed = ", ".join(sorted(edit.primaries)[:6]) + (", ..." if len(edit.primaries) > 6 else "")
    return [
        _deny(
            "addon_without_primary",
            f"{code} is an add-on code (NCCI add-on edit type 1): it is paid only with one of "
            f"its primary codes ({listed}) on the same claim",
        )
    ]


def _line_findings(
    i: int,
    lines: Sequence[ServiceLine],
    dos: date,
    lk: Lookups,
    setting: str,
    patient: PatientFacts | None = None,
) -> list[Finding]:
    line = lines[i]
    found: list[Finding] = []
    check = lk.check(line.code, proc_kind(line.code), dos)
    if not check.valid:
        reason = check.message or check.reason
        found.append(_deny("invalid_code", f"{line.code} is not payable on this date: {reason}"))
    found.extend(_modifier_findings(line, setting))
    for modifier in ("26", "TC"):
        if modifier in line.modifiers and not has_pc_tc_split(line.code, lk, modifier):
            facts = lk.pfs(line.code)
            why = f" (PFS PC/TC indicator {facts.pctc})" if facts is not None else ""
            found.append(
                _deny(
                    "modifier_26_tc",
                    f"{line.code} takes no {modifier}: it has no professional/technical split{why}",
                )
            )
    if not (setting == "facility" and is_fqhc_claim(lines)):
        found.extend(_ncci_findings(i, lines, dos, lk, setting))
    found.extend(_mue_findings(i, lines, dos, lk, setting, patient))
    found.extend(_add_on_findings(i, lines, lk))
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


def _global_findings(
    line: ServiceLine, periods: dict[str, str] | None, lk: Lookups
) -> list[Finding]:
    """An E/M on the day of a procedure with a global package (PFS global days).

    0- and 10-day globals include the day's E/M unless it is significant and separately
    identifiable (25); a 90-day global includes it unless it was the decision for surgery (57)
    (or, with 25, a separate problem). No global (XXX: 36415, 93000) includes nothing.
    """
    if not periods or not is_em(line.code):
        return []
    mods = set(line.modifiers)
    minor = sorted(c for c, g in periods.items() if g in MINOR_GLOBAL)
    major = sorted(c for c, g in periods.items() if g == MAJOR_GLOBAL)
    if minor and not mods & {"25", "24"}:
        return [
            _deny(
                "modifier_25",
                f"an E/M on the day of {minor[0]} (PFS global {periods[minor[0]]}) is part of its "
                "global package unless it is significant and separately identifiable: modifier "
                "25 (NCCI policy manual ch. I, CMS global surgery rules)",
            )
        ]
    if major and not minor and not mods & {"57", "25", "24"}:
        return [
            _deny(
                "modifier_57",
                f"an E/M on the day of {major[0]} (PFS global 090) is part of its global package "
                "unless it was the decision for surgery: modifier 57",
            )
        ]
    return []


def _pfs_payment(
    lines: Sequence[ServiceLine], denied: set[int], lk: Lookups
) -> dict[int, list[Finding]]:
    """Multiple-procedure and bilateral adjustments from the PFS indicators (professional).

    Indicator 2: the highest-valued procedure is paid in full and the others at 50%;
    indicator 3: endoscopies of one family share their base code, paid once. Bilateral
    indicator 1 pays 150% with 50; 0, 2 and 9 make 50 add nothing (2: already bilateral).
    """
    found: dict[int, list[Finding]] = {}
    facts = {i: lk.pfs(line.code) for i, line in enumerate(lines) if i not in denied}
    standard = sorted(
        (i for i, f in facts.items() if f is not None and f.mult_proc == "2"),
        key=lambda i: -(facts[i].nonfacility_total or 0.0),
    )
    standard = [i for i in standard if not _is_add_on(lines[i].code, lk)]
    for i in standard[1:]:
        found.setdefault(i, []).append(
            (
                "reduce",
                "multiple_procedure",
                f"{lines[i].code} is a second procedure (PFS multiple-procedure indicator 2): "
                f"{lines[standard[0]].code}, the highest-valued, is paid in full and this one at "
                "50% (modifier 51)",
            )
        )
    endoscopies = [(i, f) for i, f in facts.items() if f is not None and f.mult_proc == "3"]
    for n, (i, f) in enumerate(endoscopies):
        family = f.endo_base or lines[i].code
        for j, g in endoscopies[:n]:
            if (g.endo_base or lines[j].code) == family:
                found.setdefault(i, []).append(
                    (
                        "reduce",
                        "multiple_procedure",
                        f"{lines[i].code} and {lines[j].code} are endoscopies of one family "
                        f"(PFS indicator 3, base {family}): the base value is paid once",
                    )
                )
                break
    for i, f in facts.items():
        if f is not None and "50" in lines[i].modifiers and f.bilateral in ("0", "2", "9"):
            why = (
                "its value already covers both sides"
                if f.bilateral == "2"
                else "the bilateral adjustment does not apply to it"
            )
            found.setdefault(i, []).append(
                (
                    "reduce",
                    "modifier_50",
                    f"{lines[i].code} has PFS bilateral indicator {f.bilateral}: {why}, so 50 "
                    "is paid at 100%",
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
    per_line: list[list[Finding]] = []
    periods = (
        {code: global_days(code, lk) for code in {o.code for o in lines} if not is_em(code)}
        if any(is_em(o.code) for o in lines)
        else None
    )
    for i, line in enumerate(lines):
        # The global-package finding first: it names the rule behind the E/M/procedure PTP
        # edit (20610/99213, indicator 1) that usually accompanies it.
        found = _global_findings(line, periods, lk)
        found.extend(_line_findings(i, lines, dos, lk, setting, patient))
        if patient is not None:
            found.extend(_patient_findings(line, diagnoses, patient))
        per_line.append(found)
    if setting == "professional":
        denied = {i for i, f in enumerate(per_line) if any(a == "deny" for a, _, _ in f)}
        for i, extra in _pfs_payment(lines, denied, lk).items():
            per_line[i].extend(extra)
    results: list[EditResult] = []
    for i, found in enumerate(per_line):
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
    "global_days",
    "is_em",
    "is_surgical",
    "replay_edits",
    "sex_conflict",
]
