"""Code sets: normalising codes, the versioned catalog, the index build and the curated sets.

``catalog`` answers "is this code valid on this date" and searches; ``index_build`` writes the
compact SQLite index at ``trainer init-db``; ``curated`` reads the CSV sets shipped in
``trainer/data/codesets``; ``codes`` normalises what a coder typed.
"""

from trainer.core.codesets.catalog import Catalog, CodeYearError, Validation

__all__ = ["Catalog", "CodeYearError", "Validation"]
