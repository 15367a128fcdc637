"""ICD-10-CM in the code-set index: rows by fiscal year, the tree, 7th characters, validation,
a code's detail (notes, Index entries, status) and the year-to-year diff.

Kept apart from the ``Catalog`` facade, which picks the year from the date of service and
hands ICD-10-CM questions here, as it hands CPT/HCPCS and the CMS edits to ``cms_catalog``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from trainer.core.codesets.codes import normalize
from trainer.core.codesets.index_terms import source_label
from trainer.core.codesets.results import CodeDetail, CodeSetDiff, Validation, unknown_code


class IcdCatalog:
    """ICD-10-CM rows of the loaded fiscal years, over the catalog's read-only connection."""

    def __init__(self, db: Callable[[], sqlite3.Connection], years: tuple[int, ...]) -> None:
        self._db = db
        self.years = years

    @lru_cache(maxsize=65536)  # noqa: B019 - the catalog lives as long as the process
    def row(self, code: str, year: int) -> tuple[str, int, str] | None:
        row = (
            self._db()
            .execute(
                "SELECT title, billable, parent FROM icd WHERE year = ? AND code = ?", (year, code)
            )
            .fetchone()
        )
        return None if row is None else (row[0], row[1], row[2])

    @lru_cache(maxsize=8192)  # noqa: B019
    def children(self, code: str, year: int) -> tuple[tuple[str, int], ...]:
        rows = (
            self._db()
            .execute(
                "SELECT code, billable FROM icd WHERE year = ? AND parent = ? ORDER BY code",
                (year, code),
            )
            .fetchall()
        )
        return tuple((r[0], r[1]) for r in rows)

    @lru_cache(maxsize=8192)  # noqa: B019
    def seventh(self, code: str, year: int) -> dict[str, str]:
        """The 7th-character rules in force for a code: its own or its nearest ancestor's."""
        while code:
            row = (
                self._db()
                .execute("SELECT rules FROM icd_seventh WHERE year = ? AND code = ?", (year, code))
                .fetchone()
            )
            if row is not None:
                return dict(json.loads(row[0]))
            found = self.row(code, year)
            code = found[2] if found else ""
        return {}

    def years_of(self, code: str) -> tuple[int, ...]:
        return tuple(y for y in self.years if self.row(code, y) is not None)

    def billable_descendants(self, code: str, year: int, limit: int = 12) -> tuple[str, ...]:
        found: list[str] = []
        stack = [code]
        while stack and len(found) < limit:
            for child, billable in self.children(stack.pop(0), year):
                if billable:
                    found.append(child)
                else:
                    stack.append(child)
        return tuple(found[:limit])

    def placeholder_fix(self, code: str, year: int) -> str | None:
        """T36.01A -> T36.0X1A: the X placeholder(s) a 7th-character code was typed without."""
        bare = code.replace(".", "")
        if len(bare) >= 7 or len(bare) < 5:
            return None
        head, tail = bare[:-1], bare[-1]
        for at in range(4, len(head) + 1):
            padded = head[:at] + "X" * (6 - len(head)) + head[at:]
            candidate = normalize(padded + tail, "icd10cm")
            row = self.row(candidate, year)
            if row is not None and row[1]:
                return candidate
        return None

    def validate(self, code: str, year: int, dos: date) -> Validation:
        """Valid in ``year`` (the fiscal year of ``dos``), or the one precise reason not."""
        row = self.row(code, year)
        if row is not None:
            title, billable, _ = row
            if billable:
                return Validation(True, code, "icd10cm", None, f"{code}: {title}", (), title)
            children = self.billable_descendants(code, year)
            seventh = self.seventh(code, year)
            if seventh and children and all(len(c.replace(".", "")) == 7 for c in children):
                return Validation(
                    False,
                    code,
                    "icd10cm",
                    "seventh_character",
                    f"{code} needs a 7th character (for example A initial encounter, D "
                    "subsequent, S sequela).",
                    children,
                    title,
                )
            previous = self.row(code, year - 1) if (year - 1) in self.years else None
            if previous is not None and previous[1]:
                # Billable last year, a header now: the code was expanded by this update, so a
                # chart dated after it must use one of the new subcodes (a refresher's lesson).
                return Validation(
                    False,
                    code,
                    "icd10cm",
                    "deleted",
                    f"{code} was expanded on {year - 1}-10-01 (FY{year}) into "
                    f"{', '.join(children)}; as a billable code it is not valid on {dos}.",
                    children,
                    title,
                    children[0] if len(children) == 1 else None,
                )
            return Validation(
                False,
                code,
                "icd10cm",
                "header",
                f"{code} ({title}) is a header, not billable: code to the highest specificity.",
                children,
                title,
            )
        fixed = self.placeholder_fix(code, year)
        if fixed:
            return Validation(
                False,
                code,
                "icd10cm",
                "placeholder",
                f"{code} is missing the placeholder X: the 7th character must sit in the 7th "
                f"position ({fixed}).",
                (fixed,),
                self.row(fixed, year)[0],  # type: ignore[index]
            )
        other = [y for y in self.years_of(code) if y != year]
        if other:
            title = self.row(code, other[0])[0]  # type: ignore[index]
            if max(other) < year:
                repl = self.replacement(code, year)
                tail = f"; use {', '.join(repl)}" if repl else ""
                return Validation(
                    False,
                    code,
                    "icd10cm",
                    "deleted",
                    f"{code} was deleted on {year - 1}-10-01 (FY{year}) and is not valid on "
                    f"{dos}{tail}.",
                    repl,
                    title,
                    repl[0] if repl else None,
                )
            return Validation(
                False,
                code,
                "icd10cm",
                "not_effective",
                f"{code} takes effect on {min(other) - 1}-10-01 (FY{min(other)}); it is not valid "
                f"on {dos}.",
                (),
                title,
            )
        return unknown_code(code, "icd10cm")

    def replacement(self, code: str, year: int) -> tuple[str, ...]:
        """New codes under the deleted code's nearest surviving ancestor, as likely successors."""
        old_year = max(y for y in self.years_of(code))
        parent = self.row(code, old_year)[2]  # type: ignore[index]
        while parent and self.row(parent, year) is None:
            parent = row[2] if (row := self.row(parent, old_year)) else ""
        if not parent:
            return ()
        return tuple(
            c for c in self.billable_descendants(parent, year, 40) if self.row(c, old_year) is None
        )[:8] or (tuple(self.billable_descendants(code, year)) if self.row(code, year) else ())

    # ------------------------------------------------------------------ detail and status

    def detail(self, text: str) -> CodeDetail | None:
        """A code in its latest loaded year: title, notes, children, 7th characters, the
        Index lines that lead to it, and why it is not billable now (if it is not)."""
        years = self.years_of(text)
        if not years:
            return None
        year = years[-1]
        row = (
            self._db()
            .execute(
                "SELECT title, billable, parent, notes FROM icd WHERE year = ? AND code = ?",
                (year, text),
            )
            .fetchone()
        )
        return CodeDetail(
            text,
            "icd10cm",
            row[0],
            bool(row[1]),
            row[2],
            tuple(c for c, _ in self.children(text, year)),
            json.loads(row[3]) if row[3] else {},
            self.seventh(text, year),
            years,
            self.index_entries(text, year),
            self.status_note(text, self.years[-1]),
        )

    def tabular(self, text: str) -> tuple[str, dict[str, Any], dict[str, str]] | None:
        """(parent, notes, 7th characters) in the latest loaded year: ``detail`` without the
        children (a scan by parent) the grader does not need."""
        years = self.years_of(text)
        if not years:
            return None
        row = (
            self._db()
            .execute(
                "SELECT parent, notes FROM icd WHERE year = ? AND code = ?",
                (years[-1], text),
            )
            .fetchone()
        )
        if row is None:
            return None
        return (
            row[0] or "",
            json.loads(row[1]) if row[1] else {},
            self.seventh(text, years[-1]),
        )

    def index_entries(self, code: str, year: int) -> tuple[tuple[str, str, str], ...]:
        """Index and table lines (not titles) that lead to the code or the codes above it
        (an Index entry often stops at "S52.50-" and leaves the rest to the Tabular List)."""
        found: list[tuple[str, str, str]] = []
        at = code
        while at and len(found) < 40:
            for source, text in self._db().execute(
                "SELECT source, text FROM terms WHERE code = ? AND source != 'title' "
                "ORDER BY id LIMIT 20",
                (at,),
            ):
                found.append((source_label(source), text, at))
            row = self.row(at, year)
            at = row[2] if row else ""
        return tuple(found)

    def status_note(self, code: str, year: int) -> str:
        """Why a code is not billable in ``year``, in a coder's words: "billable until
        2025-09-30, expanded into E78.010, E78.011, E78.019", "new on 2025-10-01", "deleted"."""
        row = self.row(code, year)
        before = self.row(code, year - 1) if (year - 1) in self.years else None
        later = [y for y in self.years if y > year and self.row(code, y)]
        if row is not None:
            if row[1]:
                return ""
            children = self.billable_descendants(code, year, 6)
            if before is not None and before[1]:
                return (
                    f"billable until {year - 1}-09-30, expanded into {', '.join(children)}"
                    f" (FY{year})"
                )
            return f"header in FY{year}: code to a child ({', '.join(children[:4])}...)"
        if later:
            return f"new on {later[0] - 1}-10-01 (FY{later[0]}): not valid on this date"
        earlier = [y for y in self.years if y < year and self.row(code, y)]
        if earlier:
            repl = self.replacement(code, year)
            tail = f"; replaced by {', '.join(repl)}" if repl else ""
            return f"billable until {earlier[-1]}-09-30, deleted in FY{year}{tail}"
        return ""

    def diff(self, from_year: int, to_year: int) -> CodeSetDiff:
        """Added, deleted and title-revised billable codes between two loaded years."""
        rows = (
            self._db()
            .execute(
                "SELECT a.code, a.title, b.title FROM icd a LEFT JOIN icd b "
                "ON b.code = a.code AND b.year = ? WHERE a.year = ? AND a.billable = 1",
                (from_year, to_year),
            )
            .fetchall()
        )
        added = tuple((c, t) for c, t, old in rows if old is None)
        revised = tuple((c, old, t) for c, t, old in rows if old is not None and old != t)
        gone = (
            self._db()
            .execute(
                "SELECT a.code, a.title FROM icd a WHERE a.year = ? AND a.billable = 1 "
                "AND NOT EXISTS "
                "(SELECT 1 FROM icd b WHERE b.code = a.code AND b.year = ? AND b.billable = 1)",
                (from_year, to_year),
            )
            .fetchall()
        )
        gone_pairs = tuple((c, t) for c, t in gone)
        return CodeSetDiff("icd10cm", from_year, to_year, added, gone_pairs, revised)
