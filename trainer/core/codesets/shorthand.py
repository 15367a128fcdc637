"""Coder shorthand: abbreviations, lay terms and drug brand names, from our curated lists.

Coders type "copd w exac", "t2dm w ckd", "kenalog 40 mg"; the code sets say "chronic
obstructive pulmonary disease with (acute) exacerbation" and "Injection, triamcinolone
acetonide, 10 mg". These lists (``trainer/data/search``, the trainer's own) close the gap:
:func:`load_shorthand` reads them once per process; the search engine rewrites a query with
the abbreviations and searches the terms and brands next to the code titles.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

SEARCH_DATA = Path(__file__).resolve().parents[2] / "data" / "search"


@dataclass(frozen=True, slots=True)
class CuratedTerm:
    """A lay phrase or Index-default term that leads to a code of any code set."""

    term: str
    kind: str
    code: str
    rank: int  # order among the codes of the same term: 0 is the one a coder would pick


@dataclass(frozen=True, slots=True)
class Brand:
    brand: str
    generic: str
    hcpcs: str


@dataclass(frozen=True)
class Shorthand:
    #: abbreviation -> the phrases it stands for (empty: the word carries no search meaning)
    abbreviations: dict[str, tuple[str, ...]]
    terms: tuple[CuratedTerm, ...]
    brands: tuple[Brand, ...]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(line for line in handle if not line.startswith("#"))
        ]


def load_shorthand(data_dir: Path | None = None) -> Shorthand:
    base = data_dir or SEARCH_DATA
    abbreviations = {
        row["short"].lower(): tuple(p.strip().lower() for p in row["expansions"].split("|") if p)
        for row in _rows(base / "abbreviations.csv")
    }
    terms = []
    seen: dict[str, int] = {}
    for row in _rows(base / "terms.csv"):
        term = row["term"].lower()
        terms.append(CuratedTerm(term, row["kind"], row["code"].upper(), seen.get(term, 0)))
        seen[term] = seen.get(term, 0) + 1
    brands = tuple(
        Brand(row["brand"], row["generic"], row["hcpcs"].upper())
        for row in _rows(base / "drug_brands.csv")
    )
    return Shorthand(abbreviations, tuple(terms), brands)
