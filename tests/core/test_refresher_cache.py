"""The refreshers kept on disk: read back equal, never served when built from other inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trainer.core.content import refresher_cache
from trainer.core.content.refresher_cache import Refreshers
from trainer.core.content.templates import load_library

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
TEMPLATES = (
    "cardiology/familial-hypercholesterolemia-code-update",  # keys E78.01 -> E78.01x
    "orthopaedics/knee-arthroscopy-meniscectomy",
)


@pytest.fixture
def exercises(tmp_path: Path) -> Path:
    """A two-template library (the whole one takes 10-25 s to compute refreshers for)."""
    root = tmp_path / "exercises"
    for relative in TEMPLATES:
        shutil.copytree(EXERCISES / relative, root / relative)
    return root


@pytest.fixture
def computed(catalog, exercises: Path) -> Refreshers:  # type: ignore[no-untyped-def]
    return Refreshers.compute(catalog, load_library(exercises))


def test_refreshers_read_back_equal_to_what_was_computed(catalog, exercises, computed, tmp_path):  # type: ignore[no-untyped-def]
    key = refresher_cache.fingerprint(catalog.build_meta(), exercises)
    path = tmp_path / "instance" / "refreshers.json"
    assert refresher_cache.write(path, computed, key)
    back = refresher_cache.read(path, key)
    assert back is not None
    assert back.updates == computed.updates
    assert back.by_slug == computed.by_slug
    changes, items = back.by_slug["icd10cm-2026"]
    assert changes.count("added") == 487
    deleted = next(c for c in changes.changes if c.code == "E78.01")
    assert deleted.mapping == ("E78.010", "E78.011", "E78.019")
    # The groupings point at the same Change objects, not copies.
    assert deleted in changes.by_chapter["4 Endocrine, nutritional and metabolic"]
    assert deleted in changes.by_specialty["cardiology"]
    assert [i.template_id for i in items] == [
        i.template_id for i in computed.by_slug["icd10cm-2026"][1]
    ]
    assert any("E78.01" in i.retired_codes for i in items)


def test_a_changed_template_or_index_build_is_not_served_from_the_file(
    catalog, exercises, computed, tmp_path
):  # type: ignore[no-untyped-def]
    meta = catalog.build_meta()
    key = refresher_cache.fingerprint(meta, exercises)
    path = tmp_path / "refreshers.json"
    refresher_cache.write(path, computed, key)
    toml = exercises / TEMPLATES[0] / "template.toml"
    toml.write_text(toml.read_text() + "\n# edited\n")
    edited = refresher_cache.fingerprint(meta, exercises)
    assert edited != key and refresher_cache.read(path, edited) is None
    rebuilt = refresher_cache.fingerprint({**meta, "build_seconds": "1.0"}, exercises)
    assert rebuilt != edited and refresher_cache.read(path, rebuilt) is None


@pytest.mark.parametrize(
    "text", ["", "{", "[]", '{"format": 1}', '{"format": 1, "fingerprint": "k"}']
)
def test_a_damaged_file_is_recomputed_not_trusted(text: str) -> None:
    assert refresher_cache.loads(text, "k") is None


def test_an_unwritable_folder_keeps_the_refreshers_in_memory(computed, tmp_path):  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert refresher_cache.write(blocker / "refreshers.json", computed, "k") is False
