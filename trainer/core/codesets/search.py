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
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Protocol

from rapidfuzz import fuzz, process

from trainer.core.claims import CodeKind
from trainer.core.codesets.codes import guess_kind, normalize
from trainer.core.codesets.curated import CuratedSets, Entry
from trainer.core.codesets.index_terms import SOURCE_LABEL, source_label
from trainer.core.codesets.shorthand import Shorthand

#: A word as typed; "&" joins too, so "i&d" and "t&a" stay one abbreviation.
_TOKEN = re.compile(r"[a-z0-9]+(?:[-/'.&][a-z0-9]+)*")
_WORD = re.compile(r"[a-z0-9]+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_DOSE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(mg|mcg|ml|cc|units?|g)\b")
STOPWORDS = frozenset("of the and a an with for in on to by due at from is as or any be".split())
#: Words that choose a 7th character rather than a code.
SEVENTH_WORDS = frozenset(
    "initial subsequent sequela sequelae encounter closed routine healing delayed nonunion "
    "malunion".split()
)
SOFT_WORDS = frozenset({"acute"})
ENCOUNTER = frozenset({"initia", "subseq", "sequel"})
#: Words in a title that do not make a code more specific than the query.
FILLER = STOPWORDS | frozenset(
    "unspecified unsp nos other organism site not specified elsewhere classified without "
    "type".split()
)
#: Context words: a code for a newborn, a pregnancy or a sequela is rarely what a bare term
#: means; it must be asked for.
CONTEXT = frozenset(
    "sequela sequelae newborn neonatal perinatal congenital pregnancy childbirth puerperium "
    "fetus fetal maternal intrauterine postprocedural underdosing anesthesia".split()
)  # anesthesia: "colonoscopy" means 45378, not the anesthesia code 00812 for it
CANDIDATES = 100


@dataclass(frozen=True, slots=True)
class SearchHit:
    code: str
    kind: CodeKind
    title: str
    billable: bool
    score: float
    note: str = ""  # date of service, 7th character, billing units
    matched: str = ""  # the Index line or term the hit was found by


class CodeRows(Protocol):
    """What the engine reads from the catalog (rows of the ICD-10-CM index, curated sets)."""

    icd_years: tuple[int, ...]
    curated: CuratedSets

    def icd_row(self, code: str, year: int) -> tuple[str, int, str] | None: ...

    def seventh_rules(self, code: str, year: int) -> dict[str, str]: ...

    def status_note(self, code: str, year: int) -> str: ...

    def children(self, code: str, year: int) -> tuple[tuple[str, int], ...]: ...

    def pcs_term(self, code: str, dos: date | None) -> tuple[str, bool] | None:
        """(title, valid on ``dos``) of an ICD-10-PCS code a curated term names."""
        ...


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A crude stem for counting which words of a line the query covers (FTS5 does the
    real matching with the porter stemmer; this only has to agree on plural and adjective
    forms: fractures/fracture, colonic/colon, injuries/injury)."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 6 and word.endswith("ic"):
        word = word[:-2]
    return word[:6]


@dataclass
class Concept:
    """One word of the query with the phrases that may stand for it."""

    word: str
    alternatives: tuple[str, ...]
    required: bool = True
    prefix: bool = False
    _alt_sets: tuple[frozenset[str], ...] | None = field(default=None, repr=False, compare=False)

    def fts(self) -> str:
        # Each alternative's words must all be there (phrase queries need detail=full, which
        # would double the word index for little gain: the ranking checks the words).
        alts = []
        for alt in self.alternatives:
            words = _WORD.findall(alt)
            if words:
                alts.append(" AND ".join(f'"{w}"' for w in words))
                if len(words) > 1:
                    alts[-1] = f"({alts[-1]})"
        if self.prefix:
            if alts and alts[0] == f'"{self.word}"':
                alts.pop(0)  # the prefix finds the whole word too
            alts.append(f'"{self.word}"*')
        return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"

    def stems(self) -> list[list[str]]:
        return [[_stem(w) for w in _WORD.findall(a)] for a in self.alternatives]

    @property
    def alt_sets(self) -> tuple[frozenset[str], ...]:
        """Each alternative's stems as a set: a line covers the concept when one of them is a
        subset of the line's stems (a C-level set test; every candidate line is checked)."""
        if self._alt_sets is None:
            self._alt_sets = tuple(frozenset(alt) for alt in self.stems() if alt)
        return self._alt_sets


@dataclass
class ParsedQuery:
    text: str
    concepts: list[Concept]
    seventh: list[str]
    dose: tuple[float, str] | None
    words: set[str] = field(default_factory=set)  # stems of everything the query says

    required: list[Concept] = field(default_factory=list)
    optional: list[Concept] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.required = [c for c in self.concepts if c.required]
        self.optional = [c for c in self.concepts if not c.required]


def parse_query(raw: str, shorthand: Shorthand) -> ParsedQuery:
    """Lower-case, pull out a dose ("40 mg"), expand shorthand, split off 7th-character words."""
    text = " ".join(raw.lower().split())
    dose = None
    found = _DOSE.search(text)
    if found:
        dose = (float(found.group(1)), found.group(2).rstrip("s"))
        text_words = (text[: found.start()] + " " + text[found.end() :]).strip()
    else:
        text_words = text
    tokens = _TOKEN.findall(text_words.replace("w/o", " w/o ").replace("w/", " w/ "))
    tokens = [t[:-2] if t.endswith("'s") else t for t in tokens]
    concepts: list[Concept] = []
    seventh: list[str] = []
    for token in tokens:
        expansions = shorthand.abbreviations.get(token)
        if expansions is not None and not expansions:
            continue  # r/o, c/o, y/o: nothing the codes spell out
        if token in STOPWORDS or (expansions and all(e in STOPWORDS for e in expansions)):
            continue
        if token in SOFT_WORDS:
            # "acute" is a nonessential modifier of many Index entries (Otitis media (acute)):
            # it helps a line that has it but does not rule out one that has not.
            concepts.append(Concept(token, (token,), required=False))
            continue
        if token in SEVENTH_WORDS or (expansions and expansions[0] in SEVENTH_WORDS):
            seventh.append(expansions[0] if expansions else token)
            concepts.append(Concept(token, (seventh[-1],), required=False))
            continue
        alternatives = (token, *(e for e in (expansions or ()) if e != token))
        if "&" in token and expansions:
            alternatives = alternatives[1:]  # "d&c" as letters "d" and "c" finds "MPS C, D"
        concepts.append(Concept(token, alternatives))
    if concepts and not raw.endswith(" ") and tokens and concepts[-1].word == tokens[-1]:
        last = concepts[-1]
        if (
            last.required
            and len(last.word) >= 3
            and last.word.isalnum()
            and last.word not in shorthand.abbreviations
        ):
            last.prefix = True  # type-ahead: the word being typed may be unfinished
    words = {s for c in concepts for alt in c.stems() for s in alt}
    return ParsedQuery(text, concepts, seventh, dose, words)


def fts_expression(query: ParsedQuery) -> str:
    required = query.required or query.concepts
    joiner = " AND " if query.required else " OR "
    return joiner.join(c.fts() for c in required)


@dataclass(frozen=True, slots=True)
class Line:
    """A matched line of a word index."""

    code: str
    kind: str
    source: str
    text: str
    weight: float


def _covered(concept: Concept, stems: frozenset[str], lower: str) -> bool:
    for alt in concept.alt_sets:
        if alt <= stems:
            return True
    # A word being typed covers a line that has a word starting with it.
    return concept.prefix and _word_start(concept.word).search(lower) is not None


@lru_cache(maxsize=1024)
def _word_start(word: str) -> re.Pattern[str]:
    """A word of the line (a run of [a-z0-9]) that starts with ``word``."""
    return re.compile(r"(?<![a-z0-9])" + re.escape(word))


@lru_cache(maxsize=65536)
def _analyse(text: str) -> tuple[str, frozenset[str], tuple[tuple[str, str], ...]]:
    """(lower-case text, its words' stems, the essential words with stems) of a line; lines
    recur across queries (titles, table rows), so this is worked out once per line and
    process."""
    lower = text.lower()
    essential = tuple(
        (w, _stem(w)) for w in _WORD.findall(_PARENS.sub(" ", lower)) if w not in FILLER
    )
    return lower, frozenset(_stem(w) for w in _WORD.findall(lower)), essential


def score_line(line: Line, query: ParsedQuery) -> float:
    """How well one line answers the query (before the code's own year and status)."""
    # Plain loops: this runs for every candidate line (a hundred or two per keystroke).
    lower, stems, essential = _analyse(line.text)
    required = query.required
    covered = 0
    for concept in required:
        if _covered(concept, stems, lower):
            covered += 1
    coverage = covered / len(required) if required else 0.5
    optional = 0
    for concept in query.optional:
        if _covered(concept, stems, lower):
            optional += 1
    asked = query.words
    extras = context = 0
    for word, stem in essential:
        if stem not in asked:
            extras += 1
            context += word in CONTEXT
    # A curated term or Index line speaks for its code only as far as it matches: a term
    # that shares one word of three ("hour" of "mechanical ventilation 96+ hours" for
    # "critical care first hour") must not outrank titles that share two.
    score = 50 * coverage + 15 * (line.weight - 1) * coverage + 1.5 * optional
    score -= 2.2 * min(extras, 10) + 4 * min(context, 2)
    if not extras and coverage == 1:
        score += 6  # the line says exactly what was asked
    return score


def _pick_seventh(rules: dict[str, str], asked: list[str]) -> str:
    """The 7th character whose wording best matches the words given (initial when none)."""
    wanted = {_stem(w) for w in asked} or {"initia"}
    best, best_hits = "", -1
    for char, text in rules.items():
        words = _rule_stems(text)
        # The encounter (initial, subsequent, sequela) decides first, the healing second.
        hits = sum(3 if w in ENCOUNTER else 1 for w in wanted & words)
        if hits > best_hits:
            best, best_hits = char, hits
    return best


@lru_cache(maxsize=4096)
def _rule_stems(text: str) -> frozenset[str]:
    """The stems of a 7th-character rule ("initial encounter for closed fracture"): the same
    few dozen rule texts come back for every injury code, so they are stemmed once."""
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()))


def _dose_note(unit: str, dose: tuple[float, str] | None) -> str:
    """ "billed per 10 mg: 40 mg = 4 units" from the HCPCS descriptor's unit."""
    if not unit:
        return ""
    found = re.match(r"(\d+(?:\.\d+)?)\s*([a-z]+)", unit.lower())
    if dose and found and found.group(2).rstrip("s") == dose[1]:
        units = math.ceil(dose[0] / float(found.group(1)) - 1e-9)
        return f"billed per {unit}: {dose[0]:g} {dose[1]} = {units} unit{'s' * (units != 1)}"
    return f"billed per {unit}"


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
        return {w for (text,) in rows for w in _WORD.findall(text.lower()) if w.isalpha()}

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

    def match(self, expression: str, limit: int) -> list[Line]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT code, kind, source, text, weight FROM words WHERE words MATCH ? "
                "ORDER BY bm25(words) LIMIT ?",
                (expression, limit),
            ).fetchall()
        return [Line(r[0], r[1], r[2], r[3], float(r[4])) for r in rows]


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
        try:
            curated = self.curated_words.match(expression, CANDIDATES)
        except sqlite3.OperationalError:
            curated = []
        lines.extend(c for c in curated if kind is None or c.kind == kind)
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
            return [SearchHit(code, "icd10cm", title, False, score - 40, "", _label(line))]
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
        hit = SearchHit(code, "icd10cm", title, bool(billable), score, note, _label(line))
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
                char = _pick_seventh(rules, list(seventh))
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
                    _label(line),
                )
            )
        return found

    def _curated_hit(
        self, line: Line, score: float, query: ParsedQuery, dos: date | None
    ) -> SearchHit | None:
        if line.kind == "icd10pcs":
            return self._pcs_term_hit(line, score, dos)
        entry = self.rows.curated.entry(line.code, line.kind)  # type: ignore[arg-type]
        if entry is None:
            return None
        note = _dose_note(entry.unit, query.dose)
        if query.dose and note.startswith("billed per") and f"{query.dose[0]:g} " in entry.unit:
            score += 3  # the descriptor's own amount: 80 mg Depo-Medrol is J1040, not 2 x J1030
        brand = self.curated_words.brands.get(entry.code)
        if line.source == "brand" and brand:
            note = f"{brand.brand} = {brand.generic}; {note}" if note else brand.generic
        if dos is not None and not entry.active_on(dos):
            score -= 40
            note = f"not valid on {dos}"
        return SearchHit(entry.code, entry.kind, entry.title, True, score, note, _label(line))

    def _pcs_term_hit(self, line: Line, score: float, dos: date | None) -> SearchHit | None:
        """A lay term that names an ICD-10-PCS code ("hip replacement" -> 0SR90JZ): the
        inpatient procedure code a coder reaches for next to the CPT code."""
        found = self.rows.pcs_term(line.code, dos)
        if found is None:
            return None
        title, valid = found
        note = "" if valid else f"not valid on {dos}"
        return SearchHit(
            line.code, "icd10pcs", title, True, score - (0 if valid else 40), note, _label(line)
        )

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
                    words |= self.curated_words.vocabulary()
                    by_letter: dict[str, list[str]] = {}
                    for word in sorted(words):
                        by_letter.setdefault(word[0], []).append(word)
                    self._vocabulary = (by_letter, frozenset(words))
        return self._vocabulary

    def _spelled(self, query: ParsedQuery) -> ParsedQuery | None:
        """The query with its misspelt words replaced by the closest word the code sets use
        ("pnuemonia" -> "pneumonia"), or None when no word needed it. rapidfuzz's ratio (a
        normalised edit distance) with a high cutoff keeps a correction from changing meaning.
        """
        choices, known = self.vocabulary
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

    def _year(self, dos: date | None) -> int:
        years = self.rows.icd_years
        if dos is None:
            return years[-1]
        year = dos.year + 1 if dos.month >= 10 else dos.year
        return year if year in years else years[-1]


def _label(line: Line) -> str:
    if line.source in ("title",):
        return ""
    if line.source in SOURCE_LABEL:
        label = source_label(line.source)
    else:
        label = "Drug brand" if line.source == "brand" else ""
    return f"{label}: {line.text}" if label else line.text
