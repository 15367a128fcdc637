"""The answer types of the CMS tables (NCCI PTP and MUE edits, add-on edits, PFS indicators and
relative values, GPCIs, HCPCS rows) and the names CMS gives each indicator value.

Plain frozen dataclasses, read by the grader's claim-edit replay and by pricing; the queries
that fill them are in ``cms_catalog``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

LICENSED = "CPT description licensed by the AMA (not included)"
FAR_FUTURE = date(9999, 12, 31)
GLOBAL_DAYS = {
    "000": "0-day global",
    "010": "10-day global",
    "090": "90-day global",
    "XXX": "no global period",
    "YYY": "global period set by the contractor",
    "ZZZ": "add-on code in another service's global period",
    "MMM": "maternity global",
}
PCTC = {
    "0": "no professional/technical split",
    "1": "26 and TC may be reported",
    "2": "professional component only",
    "3": "technical component only",
    "4": "global test only (the components have their own codes)",
    "5": "incident-to service",
    "6": "laboratory physician interpretation (26 only)",
    "7": "physical therapy service",
    "8": "physician interpretation code",
    "9": "PC/TC concept does not apply",
}
MAI = {
    1: "line edit (per claim line)",
    2: "date-of-service edit, policy (absolute)",
    3: "date-of-service edit, clinical",
}


@dataclass(frozen=True, slots=True)
class NcciEdit:
    """One NCCI PTP edit in force on a date: column 2 is denied when billed with column 1.

    ``modifier_indicator``: 0 no modifier allows the pair; 1 an NCCI-associated modifier may
    (9, not applicable, is never returned: such an edit does not apply).
    ``terminated`` is the CMS deletion date (the last date of service it applies to).
    """

    column1: str
    column2: str
    modifier_indicator: int
    rationale: str
    effective: date = date(2000, 1, 1)
    terminated: date = FAR_FUTURE
    claim_type: str = "practitioner"
    release: str = ""


@dataclass(frozen=True, slots=True)
class Mue:
    """A Medically Unlikely Edit: ``value`` units at most, per line (MAI 1) or per day (2, 3)."""

    code: str
    value: int
    mai: int
    rationale: str
    claim_type: str

    @property
    def per_day(self) -> bool:
        return self.mai in (2, 3)

    @property
    def mai_text(self) -> str:
        return MAI.get(self.mai, f"MAI {self.mai}")


@dataclass(frozen=True, slots=True)
class AddOn:
    """An add-on code's NCCI edit: type 1 lists its only primaries; 2 has none; 3 lists some."""

    code: str
    edit_type: int
    primaries: frozenset[str]


@dataclass(frozen=True, slots=True)
class PfsFacts:
    """What the Medicare Physician Fee Schedule says of a code (RVU file indicators)."""

    code: str
    status: str
    global_days: str
    pctc: str
    mult_proc: str
    bilateral: str
    endo_base: str
    imaging_family: str
    work_rvu: float
    nonfacility_total: float
    facility_total: float
    modifiers: tuple[str, ...]

    def summary(self, year: int) -> str:
        glob = GLOBAL_DAYS.get(self.global_days, self.global_days)
        split = PCTC.get(self.pctc, f"PC/TC {self.pctc}")
        return f"PFS {year}: status {self.status}, {glob} ({self.global_days}), {split}"


@dataclass(frozen=True, slots=True)
class PfsRvu:
    """One row of the PFS relative value file (a code, or its 26/TC row): what pricing needs.

    ``*_na``: the file marks the practice expense "NA" in that setting (the service is not
    usually furnished there). Indicators are the file's own one-character codes.
    """

    code: str
    modifier: str
    status: str
    work: float
    nonfacility_pe: float
    facility_pe: float
    mp: float
    nonfacility_na: bool
    facility_na: bool
    global_days: str
    pctc: str
    mult_proc: str
    bilateral: str
    assistant: str
    co_surgeons: str
    team_surgery: str
    endo_base: str
    conversion_factor: float


@dataclass(frozen=True, slots=True)
class Gpci:
    """A Medicare locality's geographic practice cost indices (work with the 1.0 floor)."""

    locality: str  # "MAC-number", e.g. "01112-05"
    state: str
    name: str
    work: float
    pe: float
    mp: float


NATIONAL = Gpci("national", "", "National (unadjusted)", 1.0, 1.0, 1.0)


@dataclass(frozen=True, slots=True)
class HcpcsRow:
    code: str
    record_type: str
    long_description: str
    short_description: str
    added: date
    terminated: date
    action: str
    unit: str

    def active_on(self, dos: date) -> bool:
        return self.added <= dos <= self.terminated


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """A CPT/HCPCS/modifier validity answer; the catalog turns it into its ``Validation``."""

    valid: bool
    reason: str | None
    message: str
    title: str = ""
    note: str = ""


def gpci_from_row(row: Any) -> Gpci:
    return Gpci(str(row[0]), str(row[1]), str(row[2]), float(row[3]), float(row[4]), float(row[5]))


def ymd_date(value: int) -> date:
    return date(value // 10000, value // 100 % 100, value % 100) if value < 99991231 else FAR_FUTURE


__all__ = [
    "AddOn",
    "CodeCheck",
    "FAR_FUTURE",
    "GLOBAL_DAYS",
    "Gpci",
    "HcpcsRow",
    "LICENSED",
    "MAI",
    "Mue",
    "NATIONAL",
    "NcciEdit",
    "PCTC",
    "PfsFacts",
    "PfsRvu",
    "gpci_from_row",
    "ymd_date",
]
