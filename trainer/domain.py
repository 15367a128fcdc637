"""The domain objects a process loads once: the template library and the code-set catalog.

Both are read-only after loading, so one copy per worker serves every request; nothing here is
per-user state, which keeps the app servers stateless.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask import Flask, current_app

from trainer.core.codesets.catalog import Catalog
from trainer.core.content import refresher_cache
from trainer.core.content.refresher import ChangeSet, CodeUpdate, RefresherItem
from trainer.core.content.refresher_cache import Refreshers
from trainer.core.content.templates import TemplateLibrary, load_library
from trainer.core.pricing.drg import DEFAULT_BASE_RATE


@dataclass
class DomainContext:
    """Lazily loaded library and catalog of one app."""

    exercises_dir: Path
    index_path: Path
    _library: TemplateLibrary | None = None
    _catalog: Catalog | None = None
    # One lock per context (a plain default would be one lock shared by every instance).
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    # Apart from ``_lock``: computing the refreshers must not hold up loading the catalog.
    _refresher_lock: threading.Lock = field(
        default_factory=threading.Lock, repr=False, compare=False
    )
    #: Where the refreshers are kept between processes (``refresher_cache``); None: memory only.
    refresher_file: Path | None = None
    _refreshers: Refreshers | None = None
    #: Dollars per MS-DRG relative weight for the inpatient payment estimate (DRG_BASE_RATE).
    drg_base_rate: Decimal = DEFAULT_BASE_RATE

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

    def refreshers(self) -> Refreshers:
        """Every code update with what changed and the templates that drill it: read from the
        file ``trainer init-db`` wrote when it was built from this index and library, else
        computed (rendering every variant on both sides of each update, 10-25 s) and saved
        for the next worker."""
        if self._refreshers is None:
            catalog = self.catalog  # it takes the lock itself
            with self._refresher_lock:
                if self._refreshers is None:
                    key = refresher_cache.fingerprint(catalog.build_meta(), self.exercises_dir)
                    found = None
                    if self.refresher_file is not None:
                        found = refresher_cache.read(self.refresher_file, key)
                    if found is None:
                        found = Refreshers.compute(catalog, self.library)
                        if self.refresher_file is not None:
                            refresher_cache.write(self.refresher_file, found, key)
                    self._refreshers = found
        return self._refreshers

    def updates(self) -> list[CodeUpdate]:
        """The code updates between the loaded years that changed at least one code."""
        return self.refreshers().updates

    def refresher(self, update: CodeUpdate) -> tuple[ChangeSet, list[RefresherItem]]:
        """What changed in an update and the templates that drill it."""
        return self.refreshers().by_slug[update.slug]


def init_app(app: Flask) -> None:
    index = app.config.get("CODESET_INDEX") or str(Path(app.instance_path) / "codesets.sqlite")
    cache = app.config.get("REFRESHER_CACHE") or str(Path(app.instance_path) / "refreshers.json")
    app.extensions["trainer_domain"] = DomainContext(
        Path(app.config["EXERCISES_DIR"]),
        Path(index),
        refresher_file=Path(cache),
        drg_base_rate=Decimal(str(app.config.get("DRG_BASE_RATE", DEFAULT_BASE_RATE))),
    )


def domain() -> DomainContext:
    """The current app's domain context."""
    return current_app.extensions["trainer_domain"]
