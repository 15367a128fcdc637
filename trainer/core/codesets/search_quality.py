"""Search quality: hit@k over our set of realistic coder queries (``quality_queries.csv``).

Speed is one figure of a look-up; finding what the coder meant is the other. The set holds
what coders type (abbreviations, brands, lay terms, Index terms, dated queries) with the code(s)
an experienced coder expects; a query counts as found when one of them is in the top k.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from trainer.core.codesets.search import SearchHit
from trainer.core.codesets.shorthand import SEARCH_DATA


@dataclass(frozen=True, slots=True)
class QualityQuery:
    query: str
    dos: date | None
    expected: tuple[str, ...]


@dataclass(frozen=True)
class QualityResult:
    k: int
    found: int
    total: int
    misses: tuple[tuple[QualityQuery, tuple[str, ...]], ...]

    @property
    def rate(self) -> float:
        return self.found / self.total if self.total else 0.0


class Searcher(Protocol):
    def search(
        self, query: str, kind: None = None, dos: date | None = None, limit: int = 20
    ) -> list[SearchHit]: ...


def load_quality_set(path: Path | None = None) -> tuple[QualityQuery, ...]:
    source = path or SEARCH_DATA / "quality_queries.csv"
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return tuple(
        QualityQuery(
            row["query"],
            date.fromisoformat(row["dos"]) if row["dos"].strip() else None,
            tuple(row["expected"].split()),
        )
        for row in rows
    )


def hit_at_k(searcher: Searcher, queries: tuple[QualityQuery, ...], k: int = 5) -> QualityResult:
    misses = []
    for item in queries:
        top = tuple(h.code for h in searcher.search(item.query, None, item.dos, k))
        if not any(code in top for code in item.expected):
            misses.append((item, top))
    return QualityResult(k, len(queries) - len(misses), len(queries), tuple(misses))
