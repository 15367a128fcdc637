"""The query side of the CMS tables in the code-set index: CPT/HCPCS validity, releases and
carried-forward years, descriptor search; PFS facts (``pfs_tables``) and NCCI PTP, MUE and
add-on edits (``ncci_tables``) are its bases.

Every question is a point look-up on the read-only index (no table is loaded into memory) and
each answer is memoised, so a grader asking "is 93010 bundled into 93000" a million times
reads the file once. CPT and HCPCS years are calendar years; a year the manifest carries
forward (2026 -> 2025 until a 2026 file is added) is answered from the older set, and the
answer says so.

CPT descriptors are the AMA's: a CPT code outside our own wording is described as
"CPT description licensed by the AMA (not included)" plus what the fee schedule says of it.
The answer types are in ``cms_rows``; importing them (and ``claim_type``) from here works.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from trainer.core.codesets.cms_rows import (
    FAR_FUTURE,
    GLOBAL_DAYS,
    LICENSED,
    MAI,
    NATIONAL,
    PCTC,
    AddOn,
    CodeCheck,
    Gpci,
    HcpcsRow,
    Mue,
    NcciEdit,
    PfsFacts,
    PfsRvu,
    ymd_date,
)
from trainer.core.codesets.ncci_tables import NcciTables, claim_type
from trainer.core.codesets.pfs_tables import PfsTables

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


class CmsCatalog(PfsTables, NcciTables):
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
        return HcpcsRow(
            row[0], row[1], row[2], row[3], ymd_date(row[4]), ymd_date(row[5]), row[6], row[7]
        )

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


__all__ = [
    "AddOn",
    "CmsCatalog",
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
    "claim_type",
    "descriptor_match",
]
