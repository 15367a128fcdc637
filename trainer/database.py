"""Engine set-up that makes SQLite safe under several writing gunicorn workers.

Measured on this machine: a read-then-write transaction under 4 writers fails ~40% of the time
with SQLITE_BUSY_SNAPSHOT even with a long timeout, because a deferred transaction that read
first cannot upgrade to a writer once another writer committed. ``BEGIN IMMEDIATE`` takes the
write lock up front, so the busy timeout applies and the transaction waits instead of failing.
Read-only requests keep plain deferred transactions so WAL readers never queue behind writers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import event
from sqlalchemy.engine import Connection, CursorResult, Engine, Result
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, scoped_session

if TYPE_CHECKING:
    from flask import Flask

WRITE_OPTION = "trainer_write"
_S = TypeVar("_S", bound=Session | scoped_session[Any])


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Install WAL, synchronous=NORMAL, a busy timeout and explicit BEGIN handling."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: object) -> None:
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins (see module doc).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Reports scan covering indexes of ~10 MB at 100,000 attempts; the 2 MB default cache
        # would reread them from the OS on every report.
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


@contextmanager
def write_transaction(session: _S) -> Iterator[_S]:
    """Run a read-then-write unit of work atomically; commit on success, roll back on error.

    Any transaction the request already opened for reading is ended first, so the write
    transaction starts fresh with the write lock (SQLite) and sees the latest committed data.
    """
    real = session() if isinstance(session, scoped_session) else session
    if real.in_transaction():
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched.

    ``Session.execute`` is typed as returning a plain ``Result``, but for DML it is a
    ``CursorResult``, the one that carries ``rowcount``.
    """
    return cast(CursorResult[Any], result).rowcount


MIGRATIONS = Path(__file__).parent / "migrations"


def upgrade_schema() -> None:
    """Apply every Alembic migration not yet applied (a new database gets them all).

    Lives here, not in the CLI, so the CLI, the benchmarks and the load test share it without
    importing each other. Needs an application context.
    """
    from flask import current_app
    from flask_migrate import upgrade

    init_migrations(current_app._get_current_object())  # type: ignore[attr-defined]
    upgrade(directory=str(MIGRATIONS))


class DeferredMigrations:
    """Holds ``app.extensions["migrate"]`` until Flask-Migrate is first used.

    Importing Flask-Migrate imports Alembic and every dialect module it carries (about a
    tenth of a worker's cold start, measured with ``python -X importtime``), and no request
    needs it: only an upgrade, a ``trainer db`` command or a test that calls
    ``flask_migrate.upgrade`` on an app does. The first attribute Flask-Migrate reads here
    registers the real extension (``init_migrations``), which replaces this placeholder,
    and answers from it.
    """

    def __init__(self, app: Flask) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(init_migrations(self._app), name)


_migrations_lock = threading.Lock()


def defer_migrations(app: Flask) -> None:
    """Register Flask-Migrate on ``app`` lazily (see ``DeferredMigrations``)."""
    app.extensions["migrate"] = DeferredMigrations(app)


def init_migrations(app: Flask) -> Any:
    """Flask-Migrate's configuration on ``app``, registered now if it was deferred."""
    with _migrations_lock:
        config = app.extensions.get("migrate")
        if config is None or isinstance(config, DeferredMigrations):
            from flask_migrate import Migrate

            from .extensions import db

            Migrate().init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
            config = app.extensions["migrate"]
        return config
