"""Backups of the SQLite default: SQLite's online backup API, safe while the app is serving.

PostgreSQL deployments use the database's own tools (pg_dump / pg_restore): see the README.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """Why a backup or restore cannot be done."""


def sqlite_path(database_uri: str) -> Path:
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupError(
            "trainer backup covers the SQLite default; for PostgreSQL use pg_dump "
            "(see README: Backups)."
        )
    return Path(url.database)


def _copy(source: Path, target: Path) -> None:
    """Page-by-page online copy: readers and writers may keep working during it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst_check = sqlite3.connect(target)
    try:
        if dst_check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{target} failed its integrity check")
    finally:
        dst_check.close()


def backup(database_uri: str, target: Path) -> Path:
    source = sqlite_path(database_uri)
    if not source.exists():
        raise BackupError(f"No database at {source}")
    _copy(source, target)
    return target


def restore(database_uri: str, source: Path) -> Path:
    """Replace the live database's content with a backup's (stop the app servers first)."""
    if not source.exists():
        raise BackupError(f"No backup at {source}")
    target = sqlite_path(database_uri)
    _copy(source, target)
    return target
