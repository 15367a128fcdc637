"""The Physician Fee Schedule's payment indicators as edits on a professional claim: the global
surgical package (an E/M on the day of a procedure), multiple-procedure and endoscopy-family
reductions, and the bilateral indicator.

Part of the replay in ``claim_edits``, which merges these findings with the NCCI, MUE,
add-on, modifier and patient findings of each line.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.core.claims import ServiceLine
from trainer.core.grading.edit_facts import (
    MAJOR_GLOBAL,
    MINOR_GLOBAL,
    Finding,
    deny,
    is_add_on,
    is_em,
)
from trainer.core.grading.lookups import Lookups


def global_findings(
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
            deny(
                "modifier_25",
                f"an E/M on the day of {minor[0]} (PFS global {periods[minor[0]]}) is part of its "
                "global package unless it is significant and separately identifiable: modifier "
                "25 (NCCI policy manual ch. I, CMS global surgery rules)",
            )
        ]
    if major and not minor and not mods & {"57", "25", "24"}:
        return [
            deny(
                "modifier_57",
                f"an E/M on the day of {major[0]} (PFS global 090) is part of its global package "
                "unless it was the decision for surgery: modifier 57",
            )
        ]
    return []


def pfs_payment(
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
    standard = [i for i in standard if not is_add_on(lines[i].code, lk)]
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


__all__ = ["global_findings", "pfs_payment"]
