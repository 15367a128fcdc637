"""ICD-10-PCS in the code-set index: validation by discharge date, titles, search, the builder.

The builder answers "which characters may come next after this prefix, and what does each
mean", from the codes themselves: a character is offered only if some valid code continues
with it. Sections, body systems and root operations are named by CMS's table headers (the
three-character rows of the order file); the meaning of characters 4-7 is read off the long
titles of the codes under each value (the words all of them share that the codes under the
prefix do not all share), with PCS's fixed names for the surgical approaches and for Z
("No Device", "No Qualifier").
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from trainer.core.codesets.icd10pcs_axes import (
    APPROACHES,
    LAY_TERMS,
    ROOT_OPERATIONS,
    SECTIONS,
    axis_names,
)
from trainer.core.codesets.icd10pcs_source import (
    APRIL_LAST_OLD_DAY,
    APRIL_UPDATE,
    FY_END,
    FY_START,
)

PCS_SHAPE = re.compile(r"^[0-9A-HJ-NP-Z]{1,7}$")  # PCS uses digits and letters except I and O
_SEGMENT = re.compile(r", | with | into | using | of | to | from | on ")
PCS_FIRST = date.fromisoformat(FY_START)
PCS_LAST = date.fromisoformat(FY_END)
#: Words in so many PCS titles that intersecting them in the word index is the slow part.
_COMMON = frozenset(
    "approach open percutaneous endoscopic via natural artificial opening with of into "
    "left right device substitute synthetic".split()
)


@dataclass(frozen=True, slots=True)
class PcsCheck:
    """The verdict on one typed PCS code on a date: valid, or one reason it is not."""

    valid: bool
    code: str
    reason: str | None
    message: str
    title: str = ""
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AxisOption:
    """One character the builder offers at the next position, what it means, how many
    valid codes continue with it, and (when the option completes a code) that code."""

    char: str
    label: str
    count: int
    code: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"char": self.char, "label": self.label, "count": self.count, "code": self.code}


def _segments(title: str) -> set[str]:
    return {s.strip() for s in _SEGMENT.split(title) if s.strip()}


def _header_parts(title: str) -> tuple[str, str]:
    """("Lower Joints", "Replacement") from a table header "Lower Joints, Replacement"."""
    head, _, last = title.rpartition(", ")
    return head, last


class PcsCatalog:
    """ICD-10-PCS queries on the index connection (the index's ``pcs`` and ``pcs_fts``)."""

    def __init__(self, db: Callable[[], sqlite3.Connection]) -> None:
        self._db = db
        try:
            row = db().execute("SELECT count(*) FROM pcs WHERE valid = 1").fetchone()
            self.loaded = bool(row and row[0])
        except sqlite3.Error:
            self.loaded = False

    @staticmethod
    def in_range(dos: date) -> bool:
        return PCS_FIRST <= dos <= PCS_LAST

    @staticmethod
    def span() -> str:
        return f"{FY_START} to {FY_END}"

    @lru_cache(maxsize=65536)  # noqa: B019 - the catalog lives as long as the process
    def row(self, code: str) -> tuple[str, int, str, str] | None:
        """(title, valid, start, end) of a code or header, None when PCS has no such row."""
        found = (
            self._db()
            .execute("SELECT title, valid, start, end FROM pcs WHERE code = ?", (code,))
            .fetchone()
        )
        return None if found is None else (found[0], found[1], found[2], found[3])

    def april_changes(self) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """The April update's (added, deleted) valid codes with their titles: the codes that
        start on its first day and those that end the day before (the CMS addenda)."""
        added = self._db().execute(
            "SELECT code, title FROM pcs WHERE valid = 1 AND start = ? ORDER BY code",
            (APRIL_UPDATE,),
        )
        deleted = self._db().execute(
            "SELECT code, title FROM pcs WHERE valid = 1 AND end = ? ORDER BY code",
            (APRIL_LAST_OLD_DAY,),
        )
        return tuple((c, t) for c, t in added), tuple((c, t) for c, t in deleted)

    def title(self, code: str) -> str | None:
        found = self.row(code)
        return found[0] if found else None

    def _continuations(self, prefix: str, limit: int = 8) -> tuple[str, ...]:
        rows = (
            self._db()
            .execute(
                "SELECT code FROM pcs WHERE code > ? AND code < ? AND valid = 1 "
                "ORDER BY code LIMIT ?",
                (prefix, prefix + "\x7f", limit),
            )
            .fetchall()
        )
        return tuple(r[0] for r in rows)

    def check(self, code: str, dos: date) -> PcsCheck:
        """Valid on the discharge date, or why not. Only a valid 7-character code is billable:
        a table header or a partial code is refused with the codes that complete it."""
        text = code.strip().upper()
        if not PCS_SHAPE.match(text):
            return PcsCheck(False, text, "unknown", f"{text} is not an ICD-10-PCS code.")
        found = self.row(text)
        if found is None or not found[1]:
            more = self._continuations(text)
            if more:
                label = f" ({found[0]})" if found else ""
                return PcsCheck(
                    False,
                    text,
                    "header",
                    f"{text}{label} is not a complete code: an ICD-10-PCS code has 7 "
                    "characters, one per axis; build the rest from the table.",
                    found[0] if found else "",
                    more,
                )
            return PcsCheck(False, text, "unknown", f"{text} is not an ICD-10-PCS code.")
        title, _, start, end = found
        day = dos.isoformat()
        if day < start:
            return PcsCheck(
                False,
                text,
                "not_effective",
                f"{text} was added by the {start} update; it is not valid on {dos}.",
                title,
            )
        if end and day > end:
            return PcsCheck(
                False,
                text,
                "deleted",
                f"{text} was deleted by the {APRIL_UPDATE} update and is not valid on {dos}.",
                title,
            )
        return PcsCheck(True, text, None, f"{text}: {title}", title)

    # ------------------------------------------------------------------ search

    def search(self, query: str, dos: date | None, limit: int = 20) -> list[tuple[str, str, bool]]:
        """(code, title, valid on dos) for words typed, or for a code prefix."""
        text = query.strip().upper()
        if PCS_SHAPE.match(text) and any(c.isdigit() for c in text):
            rows = [(text, *r[:1]) for r in [self.row(text)] if r and r[1]]
            rows += [(c, self.title(c) or "") for c in self._continuations(text, limit)]
        else:
            typed = re.findall(r"[a-z0-9-]+", query.lower())
            words = re.findall(r"[a-z0-9]+", " ".join(LAY_TERMS.get(w, w) for w in typed))
            rows = self._word_search(words[:12], limit)
        hits: list[tuple[str, str, bool]] = []
        for code, title in rows[: limit * 3]:
            ok = dos is None or self.check(code, dos).valid
            hits.append((code, title, ok))
        hits.sort(key=lambda h: not h[2])  # codes valid on the date first, in rank order
        return hits[:limit]

    def _word_search(self, words: list[str], limit: int) -> list[tuple[str, str]]:
        """FTS5 on the distinctive words, then the approach and laterality words (in tens of
        thousands of titles, slow to intersect in the index) checked on the candidates."""
        if not words:
            return []
        rare = [w for w in words if w not in _COMMON] or words
        common = [w for w in words if w in _COMMON and w not in rare]
        match = " ".join(f'"{w}"' for w in rare[:-1]) + f' "{rare[-1]}"*'
        try:
            found = (
                self._db()
                .execute(
                    "SELECT p.code, p.title FROM pcs_fts f JOIN pcs p ON p.code = f.code "
                    "WHERE pcs_fts MATCH ? AND p.valid = 1 ORDER BY f.rank LIMIT ?",
                    (match.strip(), 400 if common else limit * 3),
                )
                .fetchall()
            )
        except sqlite3.Error:
            return []
        if common:
            found = [r for r in found if all(re.search(rf"\b{w}", r[1].lower()) for w in common)]
        return [(str(c), str(t)) for c, t in found]

    # ------------------------------------------------------------------ builder

    @lru_cache(maxsize=4096)  # noqa: B019
    def options(self, prefix: str, dos: date | None = None) -> tuple[AxisOption, ...]:
        """The characters that may follow ``prefix`` (0-6 characters), with their meaning."""
        prefix = prefix.strip().upper()
        at = len(prefix)
        if at >= 7 or (prefix and not PCS_SHAPE.match(prefix)):
            return ()
        day = dos.isoformat() if dos else None
        where = "valid = 1" + (" AND start <= :day AND (end = '' OR end >= :day)" if day else "")
        if at < 3:
            sql = (
                f"SELECT substr(code, {at + 1}, 1), count(*) FROM pcs "
                f"WHERE code > :lo AND code < :hi AND {where} GROUP BY 1 ORDER BY 1"
            )
        else:
            sql = (
                "SELECT code, title FROM pcs WHERE code > :lo AND code < :hi "
                f"AND {where} ORDER BY code"
            )
        rows = self._db().execute(sql, {"lo": prefix, "hi": prefix + "\x7f", "day": day}).fetchall()
        if at < 3:
            return tuple(
                AxisOption(str(char), self._head_label(prefix, str(char)), int(count))
                for char, count in rows
            )
        by_char: dict[str, list[tuple[str, str]]] = {}
        for code, title in rows:
            by_char.setdefault(code[at], []).append((code, title))
        shared = set.intersection(*(_segments(t) for _, t in rows)) if rows else set()
        found = []
        for char, codes in by_char.items():
            label = self._value_label(prefix, at, char, codes, shared)
            done = codes[0][0] if at == 6 else ""
            found.append(AxisOption(char, label, len(codes), done))
        return tuple(found)

    def _head_label(self, prefix: str, char: str) -> str:
        if not prefix:
            return SECTIONS.get(char, char)
        if len(prefix) == 2:
            header = self.row(prefix + char)
            return _header_parts(header[0])[1] if header else char
        # body system: any header of the section with this 2nd character names it
        row = (
            self._db()
            .execute(
                "SELECT title FROM pcs WHERE code > ? AND code < ? AND length(code) = 3 "
                "ORDER BY code LIMIT 1",
                (prefix + char, prefix + char + "\x7f"),
            )
            .fetchone()
        )
        head = _header_parts(row[0])[0] if row else char
        section = SECTIONS.get(prefix[:1], "")
        for lead in (section, "New Technology", "Nuclear Medicine", "Radiation Therapy"):
            if lead and head.startswith(lead + ", "):
                return head[len(lead) + 2 :]
        return head

    @staticmethod
    def _value_label(
        prefix: str, at: int, char: str, codes: list[tuple[str, str]], shared: set[str]
    ) -> str:
        axis = axis_names(prefix)[at]
        if prefix[:1] == "0" and at == 4 and char in APPROACHES:
            return APPROACHES[char]
        own = set.intersection(*(_segments(t) for _, t in codes)) - shared
        if own:
            first = codes[0][1]
            return ", ".join(sorted(own, key=lambda s: first.find(s)))
        if char == "Z":
            return f"No {axis.split(' / ')[0].title()}"
        return codes[0][1] if len(codes) == 1 else char

    def root_operation(self, code_or_prefix: str) -> tuple[str, str] | None:
        """(name, our definition) of the root operation of a code of any section, if known."""
        text = code_or_prefix.strip().upper()
        if len(text) < 3:
            return None
        header = self.row(text[:3])
        if header is None:
            return None
        name = _header_parts(header[0])[1]
        definition = ROOT_OPERATIONS.get(name)
        return (name, definition) if definition else None

    def axis_values(self, code: str) -> tuple[tuple[str, str, str], ...]:
        """(axis name, character, meaning) for each character of a code, for explanations."""
        text = code.strip().upper()
        names = axis_names(text)
        found = []
        for at, char in enumerate(text[:7]):
            label = next((o.label for o in self.options(text[:at]) if o.char == char), char)
            found.append((names[at], char, label))
        return tuple(found)


__all__ = ["AxisOption", "PCS_SHAPE", "PcsCatalog", "PcsCheck"]
