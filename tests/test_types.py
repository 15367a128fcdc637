"""The type checker runs with the tests: strict on trainer/core, normal on the rest.

The configuration lives in pyproject.toml ([tool.mypy]); the incremental cache in the repo's
.mypy_cache keeps a rerun to a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_reports_no_errors_in_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # mypy resolves `packages` and its cache relative to the project
    out, err, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", ".mypy_cache"]
    )
    assert status == 0, out + err
