"""Backups round-trip with nothing lost; a process killed mid-submit leaves no partial attempt."""

from __future__ import annotations

import multiprocessing
import os

import pytest
from sqlalchemy import func, select

from trainer import create_app
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
    """Submit through the real service and die the moment the grade row reaches the database.

    If the submit committed the status flip before writing the grade, the flip would survive
    the crash: a submitted attempt without a grade.
    """
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from trainer.domain import domain
    from trainer.services.practice import submit_attempt, variant_of

    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x", "CODESET_INDEX": index})

    @event.listens_for(Session, "after_flush")
    def _die_once_the_grade_is_flushed(session: Session, _context: object) -> None:
        if any(isinstance(item, AttemptGrade) for item in session.new):
            os._exit(1)  # the worker dies before commit, as a SIGKILL would leave it

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        answer = variant_of(attempt).key.as_claim()
        submit_attempt(attempt_id, attempt.user_id, answer, 60, domain().catalog)


def test_a_worker_killed_mid_submit_leaves_no_partial_attempt(app, client, auth):
    from tests.web.test_practice import form_for, key_of, start_chart

    auth.login()
    attempt_id = start_chart(client)
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(
        target=_crash_mid_submit,
        args=(app.config["SQLALCHEMY_DATABASE_URI"], app.config["CODESET_INDEX"], attempt_id),
    )
    proc.start()
    proc.join(timeout=60)
    assert proc.exitcode == 1  # the submit reached the grade, then the worker died
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"
        assert db.session.scalar(select(func.count(AttemptGrade.id))) == 0
    # Nothing was lost: the same chart can still be submitted, once.
    data = form_for(key_of(app, attempt_id))
    assert client.post(f"/practice/attempt/{attempt_id}/submit", data=data).status_code == 303
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "submitted"
        assert db.session.scalar(select(func.count(AttemptGrade.id))) == 1
