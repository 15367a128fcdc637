"""SQLite under several writing processes: read-then-write transactions never fail or interleave.

Each worker reads how many rows exist, then inserts a row recording that number. With
``BEGIN IMMEDIATE`` the transactions are serialised, so the recorded numbers are exactly
0..N-1 with no "database is locked" error; a deferred BEGIN fails ~40% of the time here.
"""

from __future__ import annotations

import multiprocessing
import os

import pytest
from sqlalchemy import func, select, text

from trainer import create_app
from trainer.database import write_transaction
from trainer.extensions import db
from trainer.models import LoginFailure

WORKERS = 4
PER_WORKER = 40


def _worker(uri: str, index: str, errors: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x", "CODESET_INDEX": index})
    with app.app_context():
        for _ in range(PER_WORKER):
            try:
                with write_transaction(db.session) as session:
                    seen = session.scalar(select(func.count(LoginFailure.id)))
                    session.add(LoginFailure(username="race", remote_addr=str(seen)))
            except Exception as exc:  # the test reports any failure
                errors.put(repr(exc))


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite-specific")
def test_concurrent_read_then_write_is_serialised(app):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    ctx = multiprocessing.get_context("spawn")
    errors = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(uri, app.config["CODESET_INDEX"], errors))
        for _ in range(WORKERS)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    with app.app_context():
        recorded = sorted(int(v) for v in db.session.scalars(select(LoginFailure.remote_addr)))
    assert recorded == list(range(WORKERS * PER_WORKER))


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite-specific")
def test_sqlite_pragmas(app):
    with app.app_context():
        conn = db.session.connection()
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 15000


def test_failed_write_transaction_leaves_nothing(app):
    with app.app_context():
        with pytest.raises(RuntimeError):
            with write_transaction(db.session) as session:
                session.add(LoginFailure(username="half", remote_addr="1"))
                session.flush()
                raise RuntimeError("crash mid-write")
        assert db.session.scalar(select(func.count(LoginFailure.id))) == 0
