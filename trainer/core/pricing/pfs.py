"""Medicare Physician Fee Schedule pricing of a professional claim, from the PFS RVU file.

The amount is the national, unadjusted Medicare allowed amount unless a locality's GPCIs are
given: ``(work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI) x conversion factor``,
rounded to the cent, with the practice expense of the setting (facility PE for a facility
place of service, non-facility PE otherwise). It is what coding managers quote as "what the
error cost", not what a given payer pays: no deductible, coinsurance, sequestration or
participation differential, and payer contracts differ.

Payment rules applied, as the RVU file's indicators define them:

- status: A, R and T rows are paid from their RVUs; C is priced by the contractor (no national
  amount); every other status (B bundled, I not valid for Medicare, N non-covered, E/X
  excluded, P, M, J, ...) pays nothing separately;
- modifier 26 / TC: the professional or technical row of the file;
- multiple procedures, indicator 2: the procedures are ranked by fee, the highest paid at 100%
  and the others at 50% (extra units of one code rank as further procedures); indicator 3
  (endoscopies): within one family the highest is paid in full and each other one at its fee
  less its base endoscopy's fee, and the family then ranks as one procedure under the
  indicator-2 rule;
- bilateral (modifier 50), indicator 1: 150% of the fee; 3: 100% per side (200%); 0, 2, 9:
  100% (2: the value already covers both sides);
- assistant at surgery (80, 81, 82: 16% of the fee; AS: 85% of that, 13.6%), paid when the
  assistant indicator is 0 or 2 and not when it is 1 (assistant not paid) or 9;
- co-surgeons (62): 62.5% of the fee each when the co-surgeon indicator is 1 or 2; not paid on 0.

Not applied (the amount is the fee before them, and the line says so): the diagnostic
imaging (4), therapy (5), cardiovascular (6) and ophthalmology (7) multiple-procedure
reductions, team surgery (66, contractor-priced) and modifiers 52/53.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from trainer.core.claims import ServiceLine
from trainer.core.codesets.cms_catalog import NATIONAL, Gpci, PfsRvu

CENT = Decimal("0.01")
PAID_STATUSES = frozenset({"A", "R", "T"})
# CMS place-of-service codes paid at the facility PE (hospital, ASC, SNF and the like).
FACILITY_POS = frozenset("02 19 21 22 23 24 26 31 34 41 42 51 52 53 56 61".split())
ASSISTANT_MODIFIERS = {"80": Decimal("0.16"), "81": Decimal("0.16"), "82": Decimal("0.16")}
ASSISTANT_AS = Decimal("0.136")  # 85% of 16%: a non-physician assistant (AS)
CO_SURGEON = Decimal("0.625")
BILATERAL_FACTOR = {"1": Decimal("1.5"), "3": Decimal("2")}
SECOND_PROCEDURE = Decimal("0.5")
NOT_APPLIED_REDUCTIONS = {
    "4": "diagnostic imaging",
    "5": "therapy",
    "6": "cardiovascular",
    "7": "ophthalmology",
}
ESTIMATE_NOTE = (
    "National unadjusted Medicare estimate (PFS CY2025, conversion factor 32.3465) unless a "
    "locality is chosen: the allowed amount before deductible and coinsurance, not any payer's "
    "contract."
)


class RvuSource(Protocol):
    """Where RVU rows come from (the catalog, or a test's table)."""

    def pfs_rvu(self, code: str, modifier: str = "") -> PfsRvu | None: ...


@dataclass(frozen=True, slots=True)
class LinePrice:
    """One line's estimated allowed amount and how it was reached."""

    index: int
    code: str
    fee: Decimal  # the fee schedule amount of one unit, before the payment rules
    allowed: Decimal
    priced: bool
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "code": self.code,
            "fee": str(self.fee),
            "allowed": str(self.allowed),
            "priced": self.priced,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class ClaimPrice:
    lines: tuple[LinePrice, ...]
    locality: str
    facility: bool

    @property
    def total(self) -> Decimal:
        return sum((p.allowed for p in self.lines), Decimal("0.00"))


def is_facility_pos(place_of_service: str) -> bool:
    """True when the place of service is paid at the facility practice expense."""
    return place_of_service.strip()[:2] in FACILITY_POS


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fee_amount(row: PfsRvu, facility: bool, gpci: Gpci = NATIONAL) -> tuple[Decimal, str]:
    """One unit's fee schedule amount, and a note when the setting's PE is "NA"."""
    use_facility = facility
    note = ""
    if facility and row.facility_na and not row.nonfacility_na:
        use_facility, note = False, "facility PE is NA in the RVU file: non-facility PE used"
    elif not facility and row.nonfacility_na and not row.facility_na:
        use_facility, note = True, "non-facility PE is NA in the RVU file: facility PE used"
    pe = row.facility_pe if use_facility else row.nonfacility_pe
    d = Decimal
    rvus = (
        d(str(row.work)) * d(str(gpci.work))
        + d(str(pe)) * d(str(gpci.pe))
        + d(str(row.mp)) * d(str(gpci.mp))
    )
    return cents(rvus * d(str(row.conversion_factor))), note


def _row(line: ServiceLine, source: RvuSource) -> PfsRvu | None:
    for component in ("26", "TC"):
        if component in line.modifiers:
            found = source.pfs_rvu(line.code, component)
            if found is not None:
                return found
    return source.pfs_rvu(line.code, "")


def _modifier_factor(line: ServiceLine, row: PfsRvu, notes: list[str]) -> Decimal:
    """Bilateral, assistant-at-surgery and co-surgeon percentages of the fee."""
    factor = Decimal(1)
    mods = set(line.modifiers)
    if "50" in mods:
        bilateral = BILATERAL_FACTOR.get(row.bilateral)
        if bilateral is not None:
            factor *= bilateral
            notes.append(f"bilateral indicator {row.bilateral}: 50 paid at {bilateral * 100:.0f}%")
        else:
            notes.append(f"bilateral indicator {row.bilateral}: 50 paid at 100%")
    assistant = next(
        (ASSISTANT_MODIFIERS[m] for m in line.modifiers if m in ASSISTANT_MODIFIERS), None
    )
    if assistant is None and "AS" in mods:
        assistant = ASSISTANT_AS
    if assistant is not None:
        if row.assistant in ("0", "2"):
            factor *= assistant
            notes.append(f"assistant at surgery: {assistant * 100:.1f}% of the fee")
        else:
            factor = Decimal(0)
            notes.append(
                f"assistant-at-surgery indicator {row.assistant}: an assistant is not paid"
            )
    if "62" in mods:
        if row.co_surgeons in ("1", "2"):
            factor *= CO_SURGEON
            notes.append("co-surgeon (62): 62.5% of the fee")
        else:
            factor = Decimal(0)
            notes.append(f"co-surgeon indicator {row.co_surgeons}: co-surgeons are not paid")
    if "66" in mods:
        notes.append("team surgery (66) is priced by the contractor: fee shown unadjusted")
    return factor


@dataclass
class _Procedure:
    """A unit of a multiple-procedure line waiting to be ranked."""

    index: int
    amount: Decimal
    family: str  # the endoscopic base code for indicator 3, else ""
    base_fee: Decimal


def price_claim(
    lines: Sequence[ServiceLine],
    source: RvuSource,
    *,
    facility: bool,
    gpci: Gpci = NATIONAL,
    paid: Sequence[bool] | None = None,
) -> ClaimPrice:
    """Every line's estimated allowed amount; ``paid[i]`` False prices line i at $0 (denied)."""
    prices: dict[int, tuple[Decimal, Decimal, bool, list[str]]] = {}
    procedures: list[_Procedure] = []
    for i, line in enumerate(lines):
        notes: list[str] = []
        if paid is not None and not paid[i]:
            prices[i] = (Decimal("0.00"), Decimal("0.00"), True, ["denied by the claim edits: $0"])
            continue
        row = _row(line, source)
        if row is None:
            prices[i] = (Decimal("0.00"), Decimal("0.00"), False, ["not on the PFS: not priced"])
            continue
        if row.status not in PAID_STATUSES:
            why = (
                "priced by the contractor (status C): no national amount"
                if row.status == "C"
                else f"PFS status {row.status}: not paid separately under the PFS"
            )
            prices[i] = (Decimal("0.00"), Decimal("0.00"), row.status != "C", [why])
            continue
        fee, na_note = fee_amount(row, facility, gpci)
        if na_note:
            notes.append(na_note)
        if row.modifier:
            notes.append(f"{row.modifier} row of the RVU file")
        amount = cents(fee * _modifier_factor(line, row, notes))
        units = max(1, line.units)
        if row.mult_proc in ("2", "3"):
            base_fee = Decimal("0.00")
            if row.mult_proc == "3" and row.endo_base:
                base_row = source.pfs_rvu(row.endo_base, "")
                base_fee = fee_amount(base_row, facility, gpci)[0] if base_row else base_fee
            for _ in range(units):
                procedures.append(
                    _Procedure(i, amount, row.endo_base if row.mult_proc == "3" else "", base_fee)
                )
            prices[i] = (fee, Decimal("0.00"), True, notes)
            continue
        if row.mult_proc in NOT_APPLIED_REDUCTIONS:
            notes.append(
                f"the {NOT_APPLIED_REDUCTIONS[row.mult_proc]} multiple-procedure reduction "
                f"(indicator {row.mult_proc}) is not applied"
            )
        prices[i] = (fee, cents(amount * units), True, notes)
    for index, allowed, note in _rank(procedures):
        fee, so_far, priced, notes = prices[index]
        if note:
            notes.append(note)
        prices[index] = (fee, so_far + allowed, priced, notes)
    return ClaimPrice(
        tuple(
            LinePrice(i, line.code, prices[i][0], prices[i][1], prices[i][2], tuple(prices[i][3]))
            for i, line in enumerate(lines)
        ),
        gpci.locality,
        facility,
    )


def _rank(procedures: list[_Procedure]) -> list[tuple[int, Decimal, str]]:
    """Apply the endoscopy (3) then the standard (2) multiple-procedure rules."""
    # Endoscopy families first: highest in full, each other one less its base's fee.
    ranked: list[list[tuple[int, Decimal, str]]] = []  # groups that rank as one procedure
    families: dict[str, list[_Procedure]] = {}
    for proc in procedures:
        if proc.family:
            families.setdefault(proc.family, []).append(proc)
        else:
            ranked.append([(proc.index, proc.amount, "")])
    for family, members in families.items():
        members.sort(key=lambda p: -p.amount)
        group = [(members[0].index, members[0].amount, "")]
        for other in members[1:]:
            value = max(Decimal("0.00"), other.amount - other.base_fee)
            group.append(
                (other.index, value, f"endoscopy of the {family} family: fee less the base's fee")
            )
        ranked.append(group)
    ranked.sort(key=lambda g: -sum(a for _, a, _ in g))
    result: list[tuple[int, Decimal, str]] = []
    for n, group in enumerate(ranked):
        for index, amount, note in group:
            if n == 0:
                result.append(
                    (
                        index,
                        amount,
                        note or ("highest-valued procedure: 100%" if len(ranked) > 1 else ""),
                    )
                )
            else:
                reduced = cents(amount * SECOND_PROCEDURE)
                result.append(
                    (
                        index,
                        reduced,
                        "; ".join(filter(None, [note, "multiple procedure (indicator 2): 50%"])),
                    )
                )
    return result


__all__ = [
    "ESTIMATE_NOTE",
    "FACILITY_POS",
    "ClaimPrice",
    "LinePrice",
    "RvuSource",
    "fee_amount",
    "is_facility_pos",
    "price_claim",
]
