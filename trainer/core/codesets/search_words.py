"""The in-memory word index over the curated sets (CPT/HCPCS/modifier/revenue/POS titles, our
lay terms and drug brands), and spelling correction against every word the code sets use.

Built once per catalog on first use (``SearchEngine.curated_words``); the code-set index's own
``terms`` table is on disk and read by the engine.
"""

from __future__ import annotations

import sqlite3
import threading
from bisect import bisect_left

from rapidfuzz import fuzz, process

from trainer.core.claims import CodeKind
from trainer.core.codesets.curated import CuratedSets, Entry
from trainer.core.codesets.search_query import WORDS, Concept, Line, ParsedQuery
from trainer.core.codesets.shorthand import Shorthand


class CuratedWords:
    """An in-memory FTS5 index over the curated sets, our terms and brands (built once)."""

    def __init__(self, curated: CuratedSets, shorthand: Shorthand) -> None:
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.executescript(
            "CREATE VIRTUAL TABLE words USING fts5(text, code UNINDEXED, kind UNINDEXED, "
            "source UNINDEXED, weight UNINDEXED, tokenize='porter unicode61')"
        )
        rows: list[tuple[str, str, str, str, float]] = [
            (entry.title, entry.code, entry.kind, "title", 1.0)
            for entry in curated.entries.values()
        ]
        rows += [(t.term, t.code, t.kind, "curated", 2.0 - 0.1 * t.rank) for t in shorthand.terms]
        rows += [
            (f"{b.brand} {b.generic}", b.hcpcs, "hcpcs", "brand", 1.8) for b in shorthand.brands
        ]
        self._conn.executemany("INSERT INTO words VALUES (?, ?, ?, ?, ?)", rows)
        self.brands = {b.hcpcs: b for b in shorthand.brands}
        self._codes = sorted((e.code, e.kind) for e in curated.entries.values())
        self._entries = curated.entries

    def vocabulary(self) -> set[str]:
        with self._lock:
            rows = self._conn.execute("SELECT text FROM words").fetchall()
        return {w for (text,) in rows for w in WORDS.findall(text.lower()) if w.isalpha()}

    def codes_from(self, prefix: str, kind: CodeKind | None, limit: int) -> list[Entry]:
        """Curated codes that start with ``prefix`` (a code typed in part: "9921", "J33")."""
        found: list[Entry] = []
        if not prefix or " " in prefix:
            return found
        at = bisect_left(self._codes, (prefix, ""))
        while at < len(self._codes) and self._codes[at][0].startswith(prefix):
            code, k = self._codes[at]
            at += 1
            if kind is None or k == kind:
                found.append(self._entries[(k, code)])
                if len(found) >= limit:
                    break
        return found

    def match(self, expression: str, limit: int, kind: CodeKind | None = None) -> list[Line]:
        """Lines that match an FTS5 expression (of ``kind`` if given); an expression FTS5
        cannot parse finds nothing rather than failing."""
        try:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT code, kind, source, text, weight FROM words WHERE words MATCH ? "
                    "ORDER BY bm25(words) LIMIT ?",
                    (expression, limit),
                ).fetchall()
        except sqlite3.OperationalError:
            return []
        lines = [Line(r[0], r[1], r[2], r[3], float(r[4])) for r in rows]
        return [line for line in lines if kind is None or line.kind == kind]


def respell(
    query: ParsedQuery, choices: dict[str, list[str]], known: frozenset[str]
) -> ParsedQuery | None:
    """The query with its misspelt words replaced by the closest word the code sets use
    ("pnuemonia" -> "pneumonia"), or None when no word needed it. rapidfuzz's ratio (a
    normalised edit distance) with a high cutoff keeps a correction from changing meaning;
    ``choices`` holds the known words by first letter (a typo rarely changes it).
    """
    changed = False
    concepts = []
    for concept in query.concepts:
        word = concept.word
        if concept.required and word.isalpha() and len(word) >= 4 and word not in known:
            found = process.extractOne(
                word, choices.get(word[0], []), scorer=fuzz.ratio, score_cutoff=80
            )
            if found is not None:
                concept = Concept(str(found[0]), (str(found[0]),))
                changed = True
        concepts.append(concept)
    if not changed:
        return None
    words = {s for c in concepts for alt in c.stems() for s in alt}
    return ParsedQuery(query.text, concepts, query.seventh, query.dose, words)


def by_first_letter(words: set[str]) -> tuple[dict[str, list[str]], frozenset[str]]:
    """(the words by first letter, all of them): the shape ``respell`` takes."""
    by_letter: dict[str, list[str]] = {}
    for word in sorted(words):
        by_letter.setdefault(word[0], []).append(word)
    return by_letter, frozenset(words)


__all__ = ["CuratedWords", "by_first_letter", "respell"]
