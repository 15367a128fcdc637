"""The ICD-10-PCS side of the look-up: our PCS lay terms, PCS titles, and PCS hits placed in
a search that names no code set (``procedure_hits`` decides where they go).

A base of ``Catalog`` (these are its methods), kept apart so the facade stays one screen of
delegation: the catalog sets ``engine`` (the search engine) and ``pcs`` (the PCS tables).
"""

from __future__ import annotations

from datetime import date

from trainer.core.codesets.pcs_catalog import PcsCatalog
from trainer.core.codesets.procedure_hits import (
    PCS_EXTRA,
    looks_like_procedure,
    pcs_words,
    with_pcs,
)
from trainer.core.codesets.search import SearchEngine, SearchHit


class PcsSearch:
    """The PCS look-ups of ``Catalog`` (which sets these attributes)."""

    engine: SearchEngine
    pcs: PcsCatalog

    def _search_pcs(self, query: str, dos: date | None, limit: int) -> list[SearchHit]:
        """Our PCS lay terms ("hip replacement"), then PCS titles (FTS5) or a code prefix;
        codes not valid on the date come last."""
        hits = self.engine.search(query, "icd10pcs", dos, limit)
        seen = {h.code for h in hits}
        for code, title, ok in self.pcs.search(pcs_words(query) or query, dos, limit):
            if code not in seen:
                note = "" if ok else "not valid on this date"
                hits.append(SearchHit(code, "icd10pcs", title, True, 1.0, note))
        hits.sort(key=lambda h: bool(h.note))  # valid on the date first, in rank order
        return hits[:limit]

    def _with_pcs_titles(
        self, query: str, hits: list[SearchHit], dos: date | None, limit: int
    ) -> list[SearchHit]:
        """A procedure named without a code set also gets its PCS codes (``procedure_hits``)
        when no curated term gave one."""
        if any(h.kind == "icd10pcs" for h in hits[:5]) or not looks_like_procedure(query):
            return hits
        words = pcs_words(query)
        if not words:
            return hits
        found = [
            SearchHit(code, "icd10pcs", title, True, 1.0)
            for code, title, ok in self.pcs.search(words, dos, PCS_EXTRA)
            if ok
        ]
        return with_pcs(hits, found, limit)

    def pcs_term(self, code: str, dos: date | None) -> tuple[str, bool] | None:
        """(title, valid on ``dos``) of a PCS code one of our lay terms names."""
        row = self.pcs.row(code)
        if row is None or not row[1]:
            return None
        return row[0], dos is None or self.pcs.check(code, dos).valid
