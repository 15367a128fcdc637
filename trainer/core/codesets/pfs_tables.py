"""The Physician Fee Schedule in the code-set index: each code's indicators and RVU rows, and the
GPCIs of the Medicare localities (what the claim-edit replay and pricing read).

A base of ``CmsCatalog``: point look-ups on the catalog's read-only connection, memoised for
the life of the process (the index never changes under it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import lru_cache

from trainer.core.codesets.cms_rows import NATIONAL, Gpci, PfsFacts, PfsRvu, gpci_from_row


class PfsTables:
    """PFS facts, RVUs and GPCIs (``CmsCatalog`` sets ``_connect``)."""

    _connect: Callable[[], sqlite3.Connection]

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
        return gpci_from_row(row)

    def localities(self) -> tuple[Gpci, ...]:
        """Every locality, national first, then by state and name (for the locality menu)."""
        rows = self._connect().execute(
            "SELECT locality, state, name, work, pe, mp FROM gpci ORDER BY state, name"
        )
        return (NATIONAL,) + tuple(gpci_from_row(r) for r in rows)


__all__ = ["PfsTables"]
