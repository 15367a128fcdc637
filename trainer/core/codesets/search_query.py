"""What a coder typed, parsed, and how one line of the word index scores against it.

``parse_query`` turns the words into concepts (each a set of alternative phrases from the
coder shorthand, "chf" -> "congestive heart failure"), the 7th-character words and a drug
dose; ``fts_expression`` is the FTS5 query that finds candidate lines; ``score_line`` ranks
one line by the rules in ``search`` (Index entries and our terms over titles, nothing beyond
the query first, context codes only when asked for). Pure functions: the engine in
``search`` does the reading.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from trainer.core.codesets.index_terms import SOURCE_LABEL, source_label
from trainer.core.codesets.shorthand import Shorthand

#: A word as typed; "&" joins too, so "i&d" and "t&a" stay one abbreviation.
_TOKEN = re.compile(r"[a-z0-9]+(?:[-/'.&][a-z0-9]+)*")
WORDS = re.compile(r"[a-z0-9]+")
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
            words = WORDS.findall(alt)
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
        return [[_stem(w) for w in WORDS.findall(a)] for a in self.alternatives]

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
        (w, _stem(w)) for w in WORDS.findall(_PARENS.sub(" ", lower)) if w not in FILLER
    )
    return lower, frozenset(_stem(w) for w in WORDS.findall(lower)), essential


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


def pick_seventh(rules: dict[str, str], asked: list[str]) -> str:
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
    return frozenset(_stem(w) for w in WORDS.findall(text.lower()))


def dose_note(unit: str, dose: tuple[float, str] | None) -> str:
    """ "billed per 10 mg: 40 mg = 4 units" from the HCPCS descriptor's unit."""
    if not unit:
        return ""
    found = re.match(r"(\d+(?:\.\d+)?)\s*([a-z]+)", unit.lower())
    if dose and found and found.group(2).rstrip("s") == dose[1]:
        units = math.ceil(dose[0] / float(found.group(1)) - 1e-9)
        return f"billed per {unit}: {dose[0]:g} {dose[1]} = {units} unit{'s' * (units != 1)}"
    return f"billed per {unit}"


def line_label(line: Line) -> str:
    """How a hit says where it was found ("Index: ...", "Drug brand: ..."; a title says nothing)."""
    if line.source in ("title",):
        return ""
    if line.source in SOURCE_LABEL:
        label = source_label(line.source)
    else:
        label = "Drug brand" if line.source == "brand" else ""
    return f"{label}: {line.text}" if label else line.text
