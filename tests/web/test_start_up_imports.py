"""A worker's start imports only what serving needs: Alembic, Faker, pygal, zxcvbn and the
template checker load on first use (together about a fifth of the cold start, measured with
``python -X importtime``). The deferred Flask-Migrate still works: ``trainer db`` and
``flask_migrate.upgrade`` on an app."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from flask_migrate import upgrade

from trainer import create_app
from trainer.database import MIGRATIONS, DeferredMigrations

DEFERRED = (
    "alembic",
    "flask_migrate",
    "faker",
    "pygal",
    "zxcvbn",
    "trainer.core.content.validation",
    "trainer.core.content.realism",
)

START = """
import sys
from trainer import create_app
from trainer.domain import domain
app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{db}", "SECRET_KEY": "x",
                  "CODESET_INDEX": "{index}"}})
with app.app_context():
    domain().library
print(" ".join(m for m in {deferred!r} if m in sys.modules))
"""


def test_a_worker_start_leaves_the_first_use_imports_unloaded(
    tmp_path: Path, codeset_index: Path
) -> None:
    script = START.format(db=tmp_path / "s.sqlite", index=codeset_index, deferred=DEFERRED)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == []


def _app(tmp_path: Path, index: Path):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}",
            "SECRET_KEY": "x",
            "CODESET_INDEX": str(index),
        }
    )


def test_flask_migrate_upgrade_registers_the_deferred_extension(
    tmp_path: Path, codeset_index: Path
) -> None:
    app = _app(tmp_path, codeset_index)
    assert isinstance(app.extensions["migrate"], DeferredMigrations)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="14c5b5c29651")
    assert not isinstance(app.extensions["migrate"], DeferredMigrations)
    args = app.extensions["migrate"].configure_args
    assert (args["compare_type"], args["render_as_batch"]) == (True, True)


def test_trainer_db_runs_flask_migrates_commands(tmp_path: Path, codeset_index: Path) -> None:
    app = _app(tmp_path, codeset_index)
    args = ["db", "-d", str(MIGRATIONS), "upgrade", "14c5b5c29651"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "m.sqlite") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("14c5b5c29651",)
        ]
