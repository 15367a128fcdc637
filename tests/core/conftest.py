"""Core fixtures: the real code-set catalog over the built index (no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.core.codesets.catalog import Catalog


@pytest.fixture(scope="session")
def catalog(codeset_index: Path) -> Catalog:
    return Catalog.open(codeset_index)
