"""NCCI in the code-set index: procedure-to-procedure pairs by claim type, MUEs, add-on code
edits (what the claim-edit replay reads).

A base of ``CmsCatalog``: point look-ups on the catalog's read-only connection, memoised, so a
grader asking "is 93010 bundled into 93000" a million times reads the file once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from trainer.core.codesets.cms_rows import FAR_FUTURE, AddOn, Mue, NcciEdit
from trainer.core.codesets.cms_schema import CLAIM_TYPES, EPOCH, ptp_key


def claim_type(setting: str) -> str:
    """The NCCI table a claim is edited against: facility claims use the hospital tables, a
    DMEPOS supplier claim ("dme") the DME supplier tables, every other claim the practitioner's."""
    if setting == "dme":
        return "dme"
    return "outpatient_hospital" if setting == "facility" else "practitioner"


class NcciTables:
    """PTP, MUE and add-on edits (``CmsCatalog`` sets ``_connect`` and names the release)."""

    _connect: Callable[[], sqlite3.Connection]

    def release_label(self, part: str) -> str:
        raise NotImplementedError  # CmsCatalog reads it from the index's manifest

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


__all__ = ["NcciTables", "claim_type"]
