"""The domain objects a process loads once: the template library and the code-set catalog.

Both are read-only after loading, so one copy per worker serves every request; nothing here is
per-user state, which keeps the app servers stateless.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from trainer.core.codesets.catalog import Catalog
from trainer.core.content.refresher import (
    ChangeSet,
    CodeUpdate,
    RefresherItem,
    refresher_items,
    what_changed,
)
from trainer.core.content.templates import TemplateLibrary, load_library


@dataclass
class DomainContext:
    """Lazily loaded library and catalog of one app."""

    exercises_dir: Path
    index_path: Path
    _library: TemplateLibrary | None = None
    _catalog: Catalog | None = None
    # One lock per context (a plain default would be one lock shared by every instance).
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _refreshers: dict[str, tuple[ChangeSet, list[RefresherItem]]] = field(default_factory=dict)

    @property
    def library(self) -> TemplateLibrary:
        if self._library is None:
            with self._lock:
                if self._library is None:
                    self._library = load_library(self.exercises_dir)
        return self._library

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    self._catalog = Catalog.open(self.index_path)
        return self._catalog

    def refresher(self, update: CodeUpdate) -> tuple[ChangeSet, list[RefresherItem]]:
        """What changed in an update and the templates that drill it (computed once: it
        renders every variant on both sides of the update, about a second)."""
        cached = self._refreshers.get(update.slug)
        if cached is None:
            library, catalog = self.library, self.catalog  # they take the lock themselves
            cached = (
                what_changed(catalog, update, library),
                refresher_items(library, catalog, update),
            )
            self._refreshers.setdefault(update.slug, cached)
        return cached


def init_app(app: Flask) -> None:
    index = app.config.get("CODESET_INDEX") or str(Path(app.instance_path) / "codesets.sqlite")
    app.extensions["trainer_domain"] = DomainContext(Path(app.config["EXERCISES_DIR"]), Path(index))


def domain() -> DomainContext:
    """The current app's domain context."""
    return current_app.extensions["trainer_domain"]
