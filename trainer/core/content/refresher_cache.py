"""The code-update refreshers, worked out once and kept on disk.

"What changed" in an update needs the code-set diff (a join over both years of ICD-10-CM) and
the key of every variant of every template on both sides of the update (each one a chart
generated): about 10-25 s of work, which a fresh worker used to do on its first request to an
update page. ``trainer init-db`` now computes every update's refresher and writes it to a JSON
file; a worker reads the file (a few milliseconds) when its fingerprint still matches the
code-set index and the template files it was built from, and recomputes (and rewrites it)
otherwise, so a template edit or a rebuilt index never serves stale changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import astuple
from pathlib import Path
from typing import Any

from trainer.core.content.refresher import (
    Change,
    ChangeSet,
    CodeUpdate,
    RefresherItem,
    refresher_items,
    updates,
    what_changed,
)
from trainer.core.content.templates import TemplateLibrary

#: Bump when the shape of the file or what goes into a refresher changes.
FORMAT = 2  # 2: the April ICD-10-PCS addenda are an update

Refresher = tuple[ChangeSet, list[RefresherItem]]


class Refreshers:
    """Every update between the loaded years, with its changes and refresher set."""

    def __init__(self, found: dict[str, Refresher], order: list[CodeUpdate]) -> None:
        self.by_slug = found
        self.updates = order

    @classmethod
    def compute(cls, catalog: Any, library: TemplateLibrary) -> Refreshers:
        order = updates(catalog)
        found = {
            u.slug: (what_changed(catalog, u, library), refresher_items(library, catalog, u))
            for u in order
        }
        return cls(found, order)


def fingerprint(index_meta: dict[str, str], exercises_dir: Path) -> str:
    """What a refresher is computed from: the code-set index build (its meta rows change on
    every build) and the template files (keys, variables, versions). The files are hashed as
    bytes rather than parsed: parsing the library costs more than reading the refreshers."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for key in sorted(index_meta):
        digest.update(f"meta {key}={index_meta[key]}\n".encode())
    for path in sorted(p for p in exercises_dir.rglob("*") if p.is_file()):
        digest.update(f"file {path.relative_to(exercises_dir).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _change_set_json(found: ChangeSet, items: list[RefresherItem]) -> dict[str, Any]:
    position = {id(c): n for n, c in enumerate(found.changes)}
    return {
        "changes": [list(astuple(c)) for c in found.changes],
        "by_chapter": {k: [position[id(c)] for c in v] for k, v in found.by_chapter.items()},
        "by_specialty": {k: [position[id(c)] for c in v] for k, v in found.by_specialty.items()},
        "items": [list(astuple(i)) for i in items],
    }


def _change_set(update: CodeUpdate, data: dict[str, Any]) -> Refresher:
    changes = [Change(c[0], c[1], c[2], c[3], tuple(c[4])) for c in data["changes"]]
    found = ChangeSet(update, changes)
    found.by_chapter = {k: [changes[n] for n in v] for k, v in data["by_chapter"].items()}
    found.by_specialty = {k: [changes[n] for n in v] for k, v in data["by_specialty"].items()}
    items = [RefresherItem(i[0], i[1], i[2], tuple(i[3]), tuple(i[4])) for i in data["items"]]
    return found, items


def dumps(refreshers: Refreshers, key: str) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "fingerprint": key,
            "updates": [[u.kind, u.year] for u in refreshers.updates],
            "refreshers": {
                slug: _change_set_json(*found) for slug, found in refreshers.by_slug.items()
            },
        },
        separators=(",", ":"),
    )


def loads(text: str, key: str) -> Refreshers | None:
    """The refreshers in ``text``, or None when they were built from something else."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("fingerprint") != key:
            return None
        order = [CodeUpdate(kind, int(year)) for kind, year in data["updates"]]
        found = {u.slug: _change_set(u, data["refreshers"][u.slug]) for u in order}
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # a damaged or foreign file is recomputed, never trusted
    return Refreshers(found, order)


def read(path: Path, key: str) -> Refreshers | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    return loads(text, key)


def write(path: Path, refreshers: Refreshers, key: str) -> bool:
    """Write atomically (a temporary file renamed over the old one), so a worker reading at
    the same moment sees the old file or the new one, never half of one. False when the
    folder is not writable: the refreshers then live in memory only."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(dumps(refreshers, key))
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600; workers may run as another user
        os.replace(temporary, path)
    except OSError:
        return False
    return True
