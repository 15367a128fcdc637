"""Backups round-trip with nothing lost; a process killed mid-submit leaves no partial attempt."""

from __future__ import annotations

import multiprocessing
import os

import pytest
from sqlalchemy import func, select, update

from trainer import create_app
from trainer.database import write_transaction
from trainer.extensions import db
from trainer.models import Attempt, AttemptGrade, LoginFailure

SQLITE_ONLY = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite")


@SQLITE_ONLY
def test_backup_and_restore_round_trip(app, users, tmp_path):
    runner = app.test_cli_runner()
    with app.app_context():
        db.session.add(LoginFailure(username="kept", remote_addr="1"))
        db.session.commit()
    target = tmp_path / "backup.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.add(LoginFailure(username="after-backup", remote_addr="2"))
        db.session.commit()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = set(db.session.scalars(select(LoginFailure.username)))
        assert names == {"kept"}
        assert db.session.scalar(select(func.count()).select_from(db.metadata.tables["users"])) == 4


def test_backup_refuses_postgres_urls(tmp_path):
    from trainer.backup import BackupError, backup

    with pytest.raises(BackupError, match="pg_dump"):
        backup("postgresql+psycopg://u@h/d", tmp_path / "x")


def _crash_mid_submit(uri: str, index: str, attempt_id: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x", "CODESET_INDEX": index})
    with app.app_context(), write_transaction(db.session) as session:
        session.execute(
            update(Attempt).where(Attempt.id == attempt_id).values(status="submitted", score=1.0)
        )
        session.add(AttemptGrade(attempt_id=attempt_id, key_version=1, result={"score": 1}))
        session.flush()
        os._exit(1)  # the worker dies before commit, as a SIGKILL would leave it


def test_a_worker_killed_mid_submit_leaves_no_partial_attempt(app, client, auth):
    from tests.web.test_practice import start_chart

    auth.login()
    attempt_id = start_chart(client)
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(
        target=_crash_mid_submit,
        args=(app.config["SQLALCHEMY_DATABASE_URI"], app.config["CODESET_INDEX"], attempt_id),
    )
    proc.start()
    proc.join(timeout=60)
    assert proc.exitcode == 1
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"
        assert db.session.scalar(select(func.count(AttemptGrade.id))) == 0
