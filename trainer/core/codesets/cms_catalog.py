"""The query side of the CMS tables in the code-set index: CPT/HCPCS validity, PFS facts,
NCCI PTP edits, MUEs and add-on code edits.

Every question is a point look-up on the read-only index (no table is loaded into memory) and
each answer is memoised, so a grader asking "is 93010 bundled into 93000" a million times
reads the file once. CPT and HCPCS years are calendar years; a year the manifest carries
forward (2026 -> 2025 until a 2026 file is added) is answered from the older set, and the
answer says so.

CPT descriptors are the AMA's: a CPT code outside our own wording is described as
"CPT description licensed by the AMA (not included)" plus what the fee schedule says of it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from trainer.core.codesets.cms_tables import CLAIM_TYPES, EPOCH, ptp_key

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


def _gpci(row: Any) -> Gpci:
    return Gpci(str(row[0]), str(row[1]), str(row[2]), float(row[3]), float(row[4]), float(row[5]))


def _ymd(value: int) -> date:
    return date(value // 10000, value // 100 % 100, value % 100) if value < 99991231 else FAR_FUTURE


def claim_type(setting: str) -> str:
    """The NCCI table a claim is edited against: facility claims use the hospital tables, a
    DMEPOS supplier claim ("dme") the DME supplier tables, every other claim the practitioner's."""
    if setting == "dme":
        return "dme"
    return "outpatient_hospital" if setting == "facility" else "practitioner"


#: Words a descriptor search skips: they narrow nothing, and as prefixes ("in"*, "of"*) they
#: make FTS5 merge the posting lists of hundreds of words.
_SKIPPED = frozenset("a an and as at by for from in is of on or the to with".split())


def descriptor_match(text: str) -> str:
    """The FTS5 expression for HCPCS descriptor words: words of three letters or more as
    prefixes (descriptors abbreviate: "triam" finds triamcinolone), shorter ones whole
    ("ca", "3"), a possessive's "s" and stop words dropped ("crohn's disease" ->
    "crohn"* "disease"*; a one-letter prefix matched every word starting with s)."""
    cleaned = "".join(c if c.isalnum() else " " for c in text.lower().replace("'s", " "))
    words = [w for w in cleaned.split() if w not in _SKIPPED][:8]
    return " ".join(f'"{w}"*' if len(w) >= 3 else f'"{w}"' for w in words)


class CmsCatalog:
    """Read-only look-ups on the CMS tables of one index (via the catalog's connection)."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self._connect = connect
        row = connect().execute("SELECT value FROM meta WHERE key = 'cms_manifest'").fetchone()
        self.manifest: dict[str, Any] = json.loads(row[0]) if row else {}
        self.years: tuple[int, ...] = tuple(self.manifest.get("years", ()))
        self.carried: dict[int, int] = {
            int(k): int(v) for k, v in self.manifest.get("carried_forward", {}).items()
        }
        self.cpt_years: tuple[int, ...] = tuple(
            r[0] for r in connect().execute("SELECT DISTINCT year FROM cpt_year ORDER BY year")
        )

    @property
    def loaded(self) -> bool:
        return bool(self.manifest)

    # ------------------------------------------------------------------ releases

    def release_label(self, part: str) -> str:
        """The release a part of the tables comes from ("ncci", "hcpcs", "pfs")."""
        return str(self.manifest.get(part, {}).get("label", ""))

    def data_year(self, year: int) -> int:
        """The code year whose file answers for ``year`` (2026 -> 2025 until a 2026 file)."""
        return self.carried.get(year, year)

    def carried_note(self, kind: str, year: int) -> str:
        """The note shown with a result answered from an earlier year's file."""
        if year not in self.carried:
            return ""
        name = "CPT" if kind == "cpt" else "HCPCS Level II"
        return (
            f"No {year} {name} file is loaded yet: dates of service in {year} are checked "
            f"against the {self.carried[year]} code set."
        )

    # ------------------------------------------------------------------ rows

    @lru_cache(maxsize=65536)  # noqa: B019 - the catalog lives as long as the process
    def cpt_numbers(self, code: str) -> tuple[int, ...]:
        """The years whose PFS carries the CPT number."""
        rows = self._connect().execute(
            "SELECT year FROM cpt_year WHERE code = ? ORDER BY year", (code,)
        )
        return tuple(r[0] for r in rows)

    @lru_cache(maxsize=65536)  # noqa: B019
    def hcpcs(self, code: str) -> HcpcsRow | None:
        row = (
            self._connect()
            .execute(
                "SELECT code, record_type, long_description, short_description, added, "
                "terminated, action, unit FROM hcpcs WHERE code = ?",
                (code,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return HcpcsRow(row[0], row[1], row[2], row[3], _ymd(row[4]), _ymd(row[5]), row[6], row[7])

    @lru_cache(maxsize=65536)  # noqa: B019
    def pfs(self, code: str) -> PfsFacts | None:
        rows = (
            self._connect()
            .execute(
                "SELECT modifier, status, global_days, pctc, mult_proc, bilateral, endo_base, "
                "imaging_family, work_rvu, nonfacility_total, facility_total FROM pfs "
                "WHERE code = ? ORDER BY modifier",
                (code,),
            )
            .fetchall()
        )
        if not rows:
            return None
        base = rows[0]  # the row without a modifier sorts first
        return PfsFacts(
            code,
            status=str(base[1]),
            global_days=str(base[2]),
            pctc=str(base[3]),
            mult_proc=str(base[4]),
            bilateral=str(base[5]),
            endo_base=str(base[6]),
            imaging_family=str(base[7]),
            work_rvu=float(base[8]),
            nonfacility_total=float(base[9]),
            facility_total=float(base[10]),
            modifiers=tuple(str(r[0]) for r in rows if r[0]),
        )

    @lru_cache(maxsize=65536)  # noqa: B019
    def pfs_rvu(self, code: str, modifier: str = "") -> PfsRvu | None:
        """The RVU row of a code (modifier "" for the global row, "26" or "TC")."""
        row = (
            self._connect()
            .execute(
                "SELECT code, modifier, status, work_rvu, nonfacility_pe_rvu, facility_pe_rvu, "
                "mp_rvu, nonfacility_na, facility_na, global_days, pctc, mult_proc, bilateral, "
                "assistant, co_surgeons, team_surgery, endo_base, conversion_factor FROM pfs "
                "WHERE code = ? AND modifier = ?",
                (code, modifier),
            )
            .fetchone()
        )
        if row is None:
            return None
        return PfsRvu(
            code=str(row[0]),
            modifier=str(row[1]),
            status=str(row[2]),
            work=float(row[3]),
            nonfacility_pe=float(row[4]),
            facility_pe=float(row[5]),
            mp=float(row[6]),
            nonfacility_na=bool(row[7]),
            facility_na=bool(row[8]),
            global_days=str(row[9]),
            pctc=str(row[10]),
            mult_proc=str(row[11]),
            bilateral=str(row[12]),
            assistant=str(row[13]),
            co_surgeons=str(row[14]),
            team_surgery=str(row[15]),
            endo_base=str(row[16]),
            conversion_factor=float(row[17]),
        )

    @lru_cache(maxsize=256)  # noqa: B019
    def gpci(self, locality: str) -> Gpci | None:
        """A locality's GPCIs ("national" is all 1.0)."""
        if locality == NATIONAL.locality:
            return NATIONAL
        row = (
            self._connect()
            .execute(
                "SELECT locality, state, name, work, pe, mp FROM gpci WHERE locality = ?",
                (locality,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return _gpci(row)

    def localities(self) -> tuple[Gpci, ...]:
        """Every locality, national first, then by state and name (for the locality menu)."""
        rows = self._connect().execute(
            "SELECT locality, state, name, work, pe, mp FROM gpci ORDER BY state, name"
        )
        return (NATIONAL,) + tuple(_gpci(r) for r in rows)

    # ------------------------------------------------------------------ validity

    def cpt_title(self, code: str) -> str:
        """Our placeholder for a real CPT code we hold no wording for, with its PFS facts."""
        facts = self.pfs(code)
        if facts is None:
            return LICENSED
        return f"{LICENSED}; {facts.summary(int(self.manifest.get('pfs', {}).get('year', 0)))}"

    def check_cpt(self, code: str, dos: date) -> CodeCheck | None:
        """Validity of a CPT number from the PFS years; None when no year carries it."""
        years = self.cpt_numbers(code)
        if not years:
            return None
        year = self.data_year(dos.year)
        note = self.carried_note("cpt", dos.year)
        title = self.cpt_title(code)
        if year in years:
            return CodeCheck(True, None, f"{code}: {title}", title, note)
        if year < years[0]:
            return CodeCheck(
                False,
                "not_effective",
                f"{code} takes effect on {years[0]}-01-01 (CPT {years[0]}); it is not valid "
                f"on {dos}.",
                title,
                note,
            )
        return CodeCheck(
            False,
            "deleted",
            f"{code} was deleted on {years[-1] + 1}-01-01 (CPT {years[-1] + 1}) and is not "
            f"valid on {dos}.",
            title,
            note,
        )

    def check_hcpcs(self, code: str, dos: date, record_type: str = "procedure") -> CodeCheck | None:
        """Validity of a HCPCS Level II code or modifier from the CMS file's dates."""
        row = self.hcpcs(code)
        if row is None or row.record_type != record_type:
            return None
        note = self.carried_note("hcpcs", dos.year)
        title = row.long_description
        if row.active_on(dos):
            return CodeCheck(True, None, f"{code}: {title}", title, note)
        if dos < row.added:
            return CodeCheck(
                False,
                "not_effective",
                f"{code} takes effect on {row.added}; it is not valid on {dos}.",
                title,
                note,
            )
        return CodeCheck(
            False,
            "deleted",
            f"{code} was terminated on {row.terminated} (HCPCS Level II) and is not valid on "
            f"{dos}.",
            title,
            note,
        )

    # ------------------------------------------------------------------ NCCI

    @lru_cache(maxsize=131072)  # noqa: B019
    def ptp_rows(self, claim: str, column1: str, column2: str) -> tuple[tuple[int, str, date], ...]:
        """Every stored edit row of a pair: (modifier indicator, rationale, deletion date)."""
        if len(column1) != 5 or len(column2) != 5:
            return ()
        try:
            key = ptp_key(CLAIM_TYPES[claim], column1, column2)
        except (KeyError, ValueError):
            return ()
        rows = self._connect().execute(
            "SELECT p.indicator, r.label, p.deleted FROM ptp p JOIN ptp_rationale r "
            "ON r.id = p.rationale WHERE p.id BETWEEN ? AND ?",
            (key, key | 3),
        )
        return tuple(
            (ind, label, EPOCH + timedelta(days=deleted) if deleted is not None else FAR_FUTURE)
            for ind, label, deleted in rows
        )

    def ncci_edit(
        self, column1: str, column2: str, dos: date, setting: str = "professional"
    ) -> NcciEdit | None:
        """The PTP edit with ``column1`` comprehensive in force on ``dos``, or None.

        Indicator 9 (CMS: not applicable, the edit was deleted) never applies. The files
        carry no effective dates, so where a pair has several rows (an edit deleted and
        re-added with another indicator, as 27280/27278 went from 0 to 1 on 2024-07-01) the
        row with the earliest deletion date on or after the date of service is the one in
        force: its successor took effect the day after it was deleted.
        """
        claim = claim_type(setting)
        rows = [r for r in self.ptp_rows(claim, column1, column2) if r[2] >= dos]
        if not rows:
            return None
        indicator, rationale, deleted = min(rows, key=lambda r: (r[2], r[0]))
        if indicator == 9:
            return None
        return NcciEdit(
            column1,
            column2,
            indicator,
            rationale,
            terminated=deleted,
            claim_type=claim,
            release=self.release_label("ncci"),
        )

    @lru_cache(maxsize=65536)  # noqa: B019
    def mue(self, code: str, setting: str = "professional") -> Mue | None:
        claim = claim_type(setting)
        row = (
            self._connect()
            .execute(
                "SELECT value, mai, rationale FROM mue WHERE claim = ? AND code = ?",
                (CLAIM_TYPES[claim], code),
            )
            .fetchone()
        )
        return None if row is None else Mue(code, row[0], row[1], row[2], claim)

    @lru_cache(maxsize=65536)  # noqa: B019
    def add_on(self, code: str) -> AddOn | None:
        rows = (
            self._connect()
            .execute("SELECT primary_code, edit_type FROM aoc WHERE add_on = ?", (code,))
            .fetchall()
        )
        if not rows:
            return None
        kind = min(r[1] for r in rows)
        return AddOn(code, kind, frozenset(r[0] for r in rows if r[0] != "CCCCC"))

    # ------------------------------------------------------------------ search and updates

    def search(self, text: str, kind: str | None, limit: int) -> list[tuple[str, str, str, float]]:
        """(code, kind, title, score): HCPCS by code prefix or descriptor words, CPT by number."""
        query = text.upper().strip()
        found: list[tuple[str, str, str, float]] = []
        db = self._connect()
        if " " not in query and 1 <= len(query) <= 5 and query.isalnum():
            if kind in (None, "hcpcs") and query[:1].isalpha():
                rows = db.execute(
                    "SELECT code, long_description FROM hcpcs WHERE record_type = 'procedure' "
                    "AND code >= ? AND code < ? ORDER BY code LIMIT ?",
                    (query, query + "\uffff", limit),
                )
                found += [(c, "hcpcs", t, 100.0 if c == query else 54.0) for c, t in rows]
            if kind in (None, "cpt") and query[:1].isdigit():
                rows = db.execute(
                    "SELECT DISTINCT code FROM cpt_year WHERE code >= ? AND code < ? "
                    "ORDER BY code LIMIT ?",
                    (query, query + "\uffff", limit),
                )
                found += [
                    (c, "cpt", self.cpt_title(c), 100.0 if c == query else 54.0) for (c,) in rows
                ]
        elif kind in (None, "hcpcs") and any(w.isalpha() and len(w) >= 3 for w in text.split()):
            match = descriptor_match(text)
            if match:
                rows = db.execute(
                    "SELECT code, title, bm25(hcpcs_words) FROM hcpcs_words "
                    "WHERE hcpcs_words MATCH ? ORDER BY bm25(hcpcs_words) LIMIT ?",
                    (match, limit),
                )
                found += [(c, "hcpcs", t, 22.0 - float(rank) * 0.01) for c, t, rank in rows]
        return found

    def hcpcs_changes(self) -> list[tuple[str, str, str]]:
        """(code, action, long description) of the HCPCS annual update's transaction report."""
        rows = self._connect().execute(
            "SELECT code, action, long_description FROM hcpcs_changes ORDER BY action, code"
        )
        return [(c, a, t) for c, a, t in rows]

    def cpt_added_deleted(self, from_year: int, to_year: int) -> tuple[list[str], list[str]]:
        """CPT numbers new in ``to_year`` and gone from it, between two PFS years."""
        db = self._connect()
        sql = (
            "SELECT code FROM cpt_year a WHERE year = ? AND NOT EXISTS "
            "(SELECT 1 FROM cpt_year b WHERE b.code = a.code AND b.year = ?) ORDER BY code"
        )
        added = [r[0] for r in db.execute(sql, (to_year, from_year))]
        deleted = [r[0] for r in db.execute(sql, (from_year, to_year))]
        return added, deleted


__all__ = [
    "LICENSED",
    "AddOn",
    "CmsCatalog",
    "CodeCheck",
    "Gpci",
    "HcpcsRow",
    "NATIONAL",
    "Mue",
    "NcciEdit",
    "PfsFacts",
    "PfsRvu",
    "claim_type",
]
