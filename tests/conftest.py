"""Shared fixtures: an app on a real database, a test client, and log-in helpers.

The schema is built once per session by running the real Alembic migrations, then copied for
each test, so every test starts from a clean, migrated database in milliseconds. Set
``TEST_DATABASE_URL`` to a PostgreSQL URL to run the same tests there (each test then gets a
fresh schema through the migrations).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from trainer import create_app
from trainer.config import DEFAULT_INSTANCE
from trainer.domain import domain
from trainer.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[1] / "trainer" / "migrations"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def codeset_index_path() -> Path:
    return Path(os.environ.get("TRAINER_CODESET_INDEX") or DEFAULT_INSTANCE / "codesets.sqlite")


@pytest.fixture(scope="session")
def codeset_index() -> Path:
    """The compact code-set index, built once from the installed packages when missing."""
    from trainer.core.codesets.index_build import build_index, index_is_current

    path = codeset_index_path()
    if not index_is_current(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        build_index(path)
    return path


def _config(uri: str, index: Path) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": uri,
        "WTF_CSRF_ENABLED": False,
        "CODESET_INDEX": str(index),
        "SQLITE_BUSY_TIMEOUT_MS": 20_000,
    }


def _upgrade(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(MIGRATIONS))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory, codeset_index: Path) -> Path:
    path = tmp_path_factory.mktemp("schema") / "template.sqlite"
    app = create_app(_config(f"sqlite:///{path}", codeset_index))
    _upgrade(app)
    with app.app_context():
        # As `trainer init-db` does: the refreshers file is written once, before any test's
        # first request ("what changed" computed on a request takes a minute and more).
        domain().refreshers()
        db.engine.dispose()  # closing the last connection checkpoints the WAL into the file
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _reset_postgres(url: str, index: Path) -> None:
    app = create_app(_config(url, index))
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    _upgrade(app)
    with app.app_context():
        db.engine.dispose()


def make_app(tmp_path: Path, migrated_sqlite: Path, index: Path, **overrides: object) -> Flask:
    if PG_URL:
        _reset_postgres(PG_URL, index)
        uri = PG_URL
    else:
        copy = tmp_path / "trainer.sqlite"
        shutil.copy(migrated_sqlite, copy)
        uri = f"sqlite:///{copy}"
    config = _config(uri, index)
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(tmp_path: Path, migrated_sqlite: Path, codeset_index: Path) -> Iterator[Flask]:
    application = make_app(tmp_path, migrated_sqlite, codeset_index)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path: Path, migrated_sqlite: Path, codeset_index: Path) -> Iterator[Flask]:
    """The app with CSRF protection on, as in production."""
    application = make_app(tmp_path, migrated_sqlite, codeset_index, WTF_CSRF_ENABLED=True)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


PASSWORD = "correct-horse-battery"


@pytest.fixture
def users(app: Flask) -> dict[str, int]:
    """A trainee, a second trainee, a supervisor and an admin; returns their ids."""
    from trainer.services.accounts import create_user

    with app.app_context():
        return {
            name: create_user(name, PASSWORD, role).id
            for name, role in (
                ("trainee", "trainee"),
                ("other", "trainee"),
                ("supervisor", "supervisor"),
                ("admin", "admin"),
            )
        }


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str = "trainee", password: str = PASSWORD):  # type: ignore[no-untyped-def]
        return self._client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):  # type: ignore[no-untyped-def]
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient, users: dict[str, int]) -> AuthActions:
    return AuthActions(client)


def cohort_of(app: Flask, supervisor_id: int, *member_ids: int, name: str, join_code: str) -> int:
    """A cohort of the supervisor with the given trainees in it; returns its id."""
    from trainer.models import Cohort, CohortMember

    with app.app_context():
        cohort = Cohort(name=name, supervisor_id=supervisor_id, join_code=join_code)
        db.session.add(cohort)
        db.session.flush()
        db.session.add_all(CohortMember(cohort_id=cohort.id, user_id=m) for m in member_ids)
        db.session.commit()
        return cohort.id
