"""Core fixtures: the real code-set catalog over the built index (no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.core.codesets.catalog import Catalog


@pytest.fixture(scope="session")
def catalog(codeset_index: Path) -> Catalog:
    return Catalog.open(codeset_index)


@pytest.fixture(scope="session")
def library():  # type: ignore[no-untyped-def]
    """The shipped template library (read once)."""
    from trainer.core.content.templates import load_library

    return load_library(Path(__file__).resolve().parents[2] / "exercises")


@pytest.fixture(autouse=True)
def _cold_grading_memos() -> None:
    """``normalize_line``, ``show`` and ``explain_em`` memoise module-wide: each test starts
    with them empty, so it exercises the code rather than a result an earlier test left
    (mutation testing forks its workers after a full warm run, which hid every mutant of the
    memoised functions)."""
    from trainer.core.grading import em, lines

    lines._NORMAL.clear()
    lines._SHOWN.clear()
    em.explain_em.cache_clear()
