"""ICD-10-CM in the code-set index: rows by fiscal year, the tree, 7th characters, validation.

Kept apart from the ``Catalog`` facade, which picks the year from the date of service and
hands ICD-10-CM questions here, as it hands CPT/HCPCS and the CMS edits to ``cms_catalog``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from trainer.core.codesets.codes import normalize
from trainer.core.codesets.results import Validation, unknown_code


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
