"""Claim-edit replay: what a payer's editor would do with each line the trainee entered.

A trainee learns as much from "this line would be denied" as from "this code is wrong",
so the trainee's own claim is run through the edits payers apply, from the real CMS tables in
the code-set index: NCCI procedure-to-procedure pairs (practitioner table on professional
claims, outpatient hospital table on facility claims), Medically Unlikely Edits by MAI,
add-on code edits, the PFS global-surgery, multiple-procedure, bilateral and PC/TC indicators,
modifier rules, revenue code and HCPCS agreement on facility claims, and age/sex conflicts.
Each line gets one verdict (pay, reduce, deny) with every reason found, the most severe
deciding.

What the edits know of one code or patient (E/M range, global period, PC/TC split, bypass
modifiers, sex- and age-specific codes) is in ``edit_facts``; the PFS payment-indicator edits
(global package, multiple procedure, bilateral) in ``pfs_edits``; names used elsewhere are
re-exported from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from trainer.core.claims import ServiceLine
from trainer.core.grading.edit_facts import (
    ANATOMIC,
    BYPASS,
    DISTINCT,
    FQHC_PAYMENT_CODES,
    X_MODIFIERS,
    Finding,
    age_conflict,
    bypassed,
    deny,
    global_days,
    has_pc_tc_split,
    is_em,
    is_surgical,
    sex_conflict,
)
from trainer.core.grading.lookups import Lookups, proc_kind
from trainer.core.grading.pfs_edits import global_findings, pfs_payment
from trainer.core.grading.types import EditResult, PatientFacts

_SEVERITY: dict[str, int] = {"pay": 0, "reduce": 1, "deny": 2}


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
    return [deny(rule, reason) for applies, rule, reason in rules if applies]


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
                deny(
                    "ncci_ptp",
                    f"NCCI bundles {line.code} into {other.code} (modifier indicator 0: no "
                    f"modifier allows both; {_table(edit)})",
                )
            )
        elif indicator == "1" and not bypassed(mods, set(other.modifiers)):
            found.append(
                deny(
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
            deny(
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
                deny(
                    "mue",
                    f"{total} units of {line.code} on one date exceed its MUE of {edit.value} "
                    f"({_mue_where(edit)}){appeal}",
                )
            ]
        return []
    if line.units > edit.value:
        return [
            deny(
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
        deny(
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
        found.append(deny("invalid_code", f"{line.code} is not payable on this date: {reason}"))
    found.extend(_modifier_findings(line, setting))
    for modifier in ("26", "TC"):
        if modifier in line.modifiers and not has_pc_tc_split(line.code, lk, modifier):
            facts = lk.pfs(line.code)
            why = f" (PFS PC/TC indicator {facts.pctc})" if facts is not None else ""
            found.append(
                deny(
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
        return [deny("revenue_code", "a facility line needs a revenue code (UB-04 FL42)")]
    if not lk.check(rev, "revenue", dos).valid:
        return [deny("revenue_code", f"{rev} is not a revenue code")]
    allowed = lk.revenue_codes(line.code)
    if allowed and rev not in allowed:
        expected = "/".join(allowed)
        return [
            deny(
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
        found.append(deny("age_sex", f"{line.code} is for the other sex (patient: {sex})"))
    pointed = [p - 1 for p in line.pointers if 1 <= p <= len(diagnoses)]
    for k in pointed or range(len(diagnoses)):
        code = diagnoses[k]
        if code and sex_conflict(code, sex):
            found.append(deny("age_sex", f"diagnosis {code} is for the other sex (patient: {sex})"))
        if code and age_conflict(code, patient.age):
            found.append(
                deny(
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
    per_line: list[list[Finding]] = []
    periods = (
        {code: global_days(code, lk) for code in {o.code for o in lines} if not is_em(code)}
        if any(is_em(o.code) for o in lines)
        else None
    )
    for i, line in enumerate(lines):
        # The global-package finding first: it names the rule behind the E/M/procedure PTP
        # edit (20610/99213, indicator 1) that usually accompanies it.
        found = global_findings(line, periods, lk)
        found.extend(_line_findings(i, lines, dos, lk, setting, patient))
        if patient is not None:
            found.extend(_patient_findings(line, diagnoses, patient))
        per_line.append(found)
    if setting == "professional":
        denied = {i for i, f in enumerate(per_line) if any(a == "deny" for a, _, _ in f)}
        for i, extra in pfs_payment(lines, denied, lk).items():
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
    "FQHC_PAYMENT_CODES",
    "age_conflict",
    "bypassed",
    "has_pc_tc_split",
    "global_days",
    "is_em",
    "is_surgical",
    "replay_edits",
    "sex_conflict",
]
