"""Code sets: normalising codes, the versioned catalog, the index build and the curated sets.

``catalog`` answers "is this code valid on this date"; ``search`` finds codes from what a coder
types (FTS5, ``shorthand`` lists, the Index layer of ``index_terms``); ``index_build`` writes the
compact SQLite index at ``trainer init-db`` from CDC's files (read by ``icd10cm_source`` and
``icd10cm_index``); ``curated`` reads the CSV sets shipped in ``trainer/data/codesets``;
``codes`` normalises what a coder typed; ``search_quality`` measures hit@k.
"""

from trainer.core.codesets.catalog import Catalog, CodeYearError, Validation

__all__ = ["Catalog", "CodeYearError", "Validation"]
