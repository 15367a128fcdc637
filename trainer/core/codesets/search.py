"""Encoder-style search: words as coders type them, ranked the way the Index would send them.

Matching is SQLite FTS5 with the porter/unicode61 tokenizer (stemming, whole words, numbers),
over two word indexes: the code-set index's ``terms`` (ICD-10-CM titles, inclusion terms, the
Drug, Neoplasm and External Cause tables, CDC's Alphabetic Index when loaded) and a small
in-memory one over the curated sets (CPT/HCPCS/modifier/revenue/POS titles, our lay terms and
drug brands). A query is first rewritten with the coder shorthand (``shorthand``): each word
becomes a set of alternative phrases ("chf" -> "chf" OR "congestive heart failure" OR
"heart failure"); FTS5 finds the lines that have every word, and the ranking below orders them.

Ranking (why, in coding terms):

* an Index entry or a curated term outranks a title (the Index is where a coder is sent);
* a line that says nothing beyond the query ranks first: for a bare term that is the
  unspecified code ("pneumonia" -> J18.9), then the more specific codes, fewest extra words first;
* sequela, newborn, pregnancy and similar context codes rank below the common code unless the
  query asks for them;
* the date of service decides: codes valid on it first; a code of another year is shown last,
  marked with when it starts or ends; billable status is that year's.

A category that needs a 7th character is answered with the full code, its 7th character chosen
from the words given (initial, subsequent, sequela...; initial encounter when none is given).

Parsing, scoring: ``search_query``; curated words, spelling: ``search_words``; here: the engine.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Protocol

from trainer.core.claims import CodeKind
from trainer.core.codesets.codes import guess_kind, normalize
from trainer.core.codesets.curated import CuratedSets
from trainer.core.codesets.procedure_hits import pcs_term_hit
from trainer.core.codesets.results import SearchHit, fiscal_year
from trainer.core.codesets.search_query import (
    Line,
    ParsedQuery,
    dose_note,
    fts_expression,
    line_label,
    parse_query,
    pick_seventh,
    score_line,
)
from trainer.core.codesets.search_words import CuratedWords, by_first_letter, respell
from trainer.core.codesets.shorthand import Shorthand

CANDIDATES = 100


class CodeRows(Protocol):
    """What the engine reads from the catalog (rows of the ICD-10-CM index, curated sets, and
    ``pcs_term``: the title and validity on a date of a PCS code a curated term names)."""

    icd_years: tuple[int, ...]
    curated: CuratedSets

    def icd_row(self, code: str, year: int) -> tuple[str, int, str] | None: ...
    def seventh_rules(self, code: str, year: int) -> dict[str, str]: ...
    def status_note(self, code: str, year: int) -> str: ...
    def children(self, code: str, year: int) -> tuple[tuple[str, int], ...]: ...
    def pcs_term(self, code: str, dos: date | None) -> tuple[str, bool] | None: ...


class SearchEngine:
    """One per catalog; the index connection is per thread (``connect``), the rest shared."""

    def __init__(
        self,
        rows: CodeRows,
        connect: Callable[[], sqlite3.Connection],
        shorthand: Shorthand,
    ) -> None:
        self.rows = rows
        self.connect = connect
        self.shorthand = shorthand
        self._curated: CuratedWords | None = None
        self._vocabulary: tuple[dict[str, list[str]], frozenset[str]] | None = None
        self._curated_lock = threading.Lock()
        self._resolve = lru_cache(maxsize=65536)(self._resolve_code)

    @property
    def curated_words(self) -> CuratedWords:
        if self._curated is None:
            with self._curated_lock:
                if self._curated is None:
                    self._curated = CuratedWords(self.rows.curated, self.shorthand)
        return self._curated

    # ------------------------------------------------------------------ matching

    def _index_lines(self, expression: str) -> list[Line]:
        try:
            rows = (
                self.connect()
                .execute(
                    # No ORDER BY: lines are stored best-first (see index_build), so the
                    # first matches in rowid order are the ones to rank; a bm25 sort would
                    # score every one of the thousands of lines a word like "fracture" has.
                    "SELECT t.code, t.source, t.text, t.weight FROM terms_fts f "
                    "JOIN terms t ON t.id = f.rowid WHERE terms_fts MATCH ? LIMIT ?",
                    (expression, CANDIDATES),
                )
                .fetchall()
            )
        except sqlite3.OperationalError:
            return []  # an expression FTS5 cannot parse finds nothing rather than failing
        return [Line(r[0], "icd10cm", r[1], r[2], float(r[3])) for r in rows]

    def _lines(self, expression: str, kind: CodeKind | None) -> list[Line]:
        lines: list[Line] = []
        if kind in (None, "icd10cm"):
            lines.extend(self._index_lines(expression))
        lines.extend(self.curated_words.match(expression, CANDIDATES, kind))
        return lines

    # ------------------------------------------------------------------ hits

    def _icd_hits(
        self, line: Line, score: float, query: ParsedQuery, year: int, expand_header: bool
    ) -> list[SearchHit]:
        """The code a line leads to (with the 7th character the query asks for) and, for a
        header, its billable codes."""
        code, row, note = self._resolve(line.code, year, tuple(query.seventh))
        if row is None:
            title = next(
                (r[0] for y in reversed(self.rows.icd_years) if (r := self.rows.icd_row(code, y))),
                line.text,
            )
            return [SearchHit(code, "icd10cm", title, False, score - 40, "", line_label(line))]
        title, billable, _ = row
        below: list[SearchHit] = []
        if not billable:
            score -= 4
            if expand_header:
                below = self._children_of(code, line, score, query, year)
        if "sequela" in title.lower() and "sequela" not in query.text:
            score -= 8
        if "unspecified" in title.lower():
            score += 1
        hit = SearchHit(code, "icd10cm", title, bool(billable), score, note, line_label(line))
        return [hit, *below]

    def _resolve_code(
        self, line_code: str, year: int, seventh: tuple[str, ...]
    ) -> tuple[str, tuple[str, int, str] | None, str]:
        """(code, its row in ``year``, note) a line's code leads to: a category that needs a
        7th character becomes the full code with the character the words ask for. Cached per
        engine (``_resolve``): the same codes come back for every query about an injury."""
        code = normalize(line_code, "icd10cm")
        row = self.rows.icd_row(code, year)
        if row is not None and not row[1]:
            rules = self.rows.seventh_rules(code, year)
            bare = code.replace(".", "")
            if rules and len(bare) <= 6:
                char = pick_seventh(rules, list(seventh))
                full = normalize(bare + "X" * (6 - len(bare)) + char, "icd10cm")
                full_row = self.rows.icd_row(full, year)
                if full_row is not None and full_row[1]:
                    return full, full_row, f"7th character {char}: {rules[char]}"
        return code, row, ""

    def _children_of(
        self, code: str, line: Line, score: float, query: ParsedQuery, year: int
    ) -> list[SearchHit]:
        """An Index line that lands on a header ("Z00.0") also offers its billable codes,
        best-matching first, just below it: the coder's next step in the Tabular List."""
        found = []
        for child, billable in self.rows.children(code, year)[:12]:
            if not billable:
                continue
            child_row = self.rows.icd_row(child, year)
            if child_row is None:
                continue
            own = score_line(Line(child, "icd10cm", line.source, child_row[0], line.weight), query)
            found.append(
                SearchHit(
                    child,
                    "icd10cm",
                    child_row[0],
                    True,
                    score - 1 + (own - score) * 0.1,
                    "",
                    line_label(line),
                )
            )
        return found

    def _curated_hit(
        self, line: Line, score: float, query: ParsedQuery, dos: date | None
    ) -> SearchHit | None:
        if line.kind == "icd10pcs":
            return pcs_term_hit(self.rows.pcs_term, line, score, dos)
        entry = self.rows.curated.entry(line.code, line.kind)  # type: ignore[arg-type]
        if entry is None:
            return None
        note = dose_note(entry.unit, query.dose)
        if query.dose and note.startswith("billed per") and f"{query.dose[0]:g} " in entry.unit:
            score += 3  # the descriptor's own amount: 80 mg Depo-Medrol is J1040, not 2 x J1030
        brand = self.curated_words.brands.get(entry.code)
        if line.source == "brand" and brand:
            note = f"{brand.brand} = {brand.generic}; {note}" if note else brand.generic
        if dos is not None and not entry.active_on(dos):
            score -= 40
            note = f"not valid on {dos}"
        return SearchHit(entry.code, entry.kind, entry.title, True, score, note, line_label(line))

    def _code_hits(
        self, text: str, kind: CodeKind | None, year: int, limit: int
    ) -> list[SearchHit]:
        """Exact code first, then codes that start with what was typed (billable first)."""
        if " " in text:
            return []
        hits: list[SearchHit] = []
        code_like = normalize(text, "icd10cm")
        if kind in (None, "icd10cm") and code_like[:1].isalpha() and len(code_like) <= 8:
            rows = (
                self.connect()
                .execute(
                    "SELECT code, title, billable FROM icd "
                    "WHERE year = ? AND code >= ? AND code < ? "
                    "ORDER BY billable DESC, length(code), code LIMIT ?",
                    (year, code_like, code_like + "\uffff", limit),
                )
                .fetchall()
            )
            for code, title, billable in rows:
                score = 100.0 if code == code_like else 50.0 + (10 if billable else 0)
                hits.append(SearchHit(code, "icd10cm", title, bool(billable), score))
            if not rows and guess_kind(code_like) == "icd10cm":
                # A code of another year (deleted, or not yet in force) is still looked up.
                for other in reversed(self.rows.icd_years):
                    found = self.rows.icd_row(code_like, other)
                    if found is not None:
                        hits.append(
                            SearchHit(
                                code_like,
                                "icd10cm",
                                found[0],
                                False,
                                90.0,
                                self.rows.status_note(code_like, year),
                            )
                        )
                        break
        for entry in self.curated_words.codes_from(text.upper(), kind, limit):
            score = 100.0 if entry.code == text.upper() else 55.0
            hits.append(SearchHit(entry.code, entry.kind, entry.title, True, score))
        return hits

    def search(
        self, raw: str, kind: CodeKind | None, dos: date | None, limit: int = 20
    ) -> list[SearchHit]:
        text = " ".join(raw.split())[:100]
        if not text:
            return []
        year = self._year(dos)
        best: dict[tuple[str, str], SearchHit] = {}

        def keep(hit: SearchHit | None) -> None:
            if hit is None:
                return
            key = (hit.code, hit.kind)
            if key not in best or best[key].score < hit.score:
                best[key] = hit

        for hit in self._code_hits(text, kind, year, limit):
            keep(hit)
        query = parse_query(raw[:100], self.shorthand)
        if query.concepts and any(ch.isalpha() for ch in text):
            lines, query = self._ranked_lines(query, kind)
            scored = sorted(
                ((score_line(line, query), line) for line in lines),
                key=lambda pair: -pair[0],
            )
            seen: set[tuple[str, str]] = set()
            headers = 0  # headers whose codes were listed: the best three are enough
            for base, line in scored:
                if (line.code, line.kind) in seen:
                    continue  # a code's best line speaks for it
                seen.add((line.code, line.kind))
                if len(seen) > limit * 3:
                    break
                if line.kind == "icd10cm":
                    hits = self._icd_hits(line, base, query, year, headers < 3)
                    headers += len(hits) > 1
                    for hit in hits:
                        keep(hit)
                else:
                    keep(self._curated_hit(line, base, query, dos))
        ordered = sorted(best.values(), key=lambda h: (-h.score, len(h.code), h.code))[:limit]
        return [self._with_status(hit, year) for hit in ordered]

    def _with_status(self, hit: SearchHit, year: int) -> SearchHit:
        """Say why an ICD-10-CM hit is not billable on the date (only for hits shown: the
        note walks the code's children)."""
        if hit.kind != "icd10cm" or hit.billable or hit.note:
            return hit
        return replace(hit, note=self.rows.status_note(hit.code, year))

    def _ranked_lines(
        self, query: ParsedQuery, kind: CodeKind | None
    ) -> tuple[list[Line], ParsedQuery]:
        lines = self._lines(fts_expression(query), kind)
        if not lines:
            spelled = self._spelled(query)
            if spelled is not None:
                query = spelled
                lines = self._lines(fts_expression(query), kind)
        if not lines and len(query.required) > 1:
            # Nothing has every word: take lines with most of them (the ranking counts them).
            relaxed = " OR ".join(c.fts() for c in query.required)
            lines = self._lines(relaxed, kind)
        return lines, query

    @property
    def vocabulary(self) -> tuple[dict[str, list[str]], frozenset[str]]:
        """Every word of the index and the curated lists, by first letter (for spelling
        correction only: a typo rarely changes the first letter, and comparing a word with
        one letter's words is twenty times less work than with all)."""
        if self._vocabulary is None:
            with self._curated_lock:
                if self._vocabulary is None:
                    try:
                        words = {r[0] for r in self.connect().execute("SELECT word FROM vocab")}
                    except sqlite3.OperationalError:
                        words = set()
                    self._vocabulary = by_first_letter(words | self.curated_words.vocabulary())
        return self._vocabulary

    def _spelled(self, query: ParsedQuery) -> ParsedQuery | None:
        choices, known = self.vocabulary
        return respell(query, choices, known)

    def _year(self, dos: date | None) -> int:
        """The fiscal year of ``dos`` if it is loaded, else the latest loaded year."""
        years = self.rows.icd_years
        year = fiscal_year(dos) if dos is not None else years[-1]
        return year if year in years else years[-1]


# ``SearchHit`` lives with the other answer types in ``results``; importing it from here works.
__all__ = ["CodeRows", "SearchEngine", "SearchHit"]
