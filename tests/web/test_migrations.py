"""An existing database upgrades to the newest schema without losing anything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from trainer import create_app
from trainer.extensions import db

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "trainer" / "migrations")
FIRST = "14c5b5c29651"


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="uses its own SQLite file")
def test_upgrade_from_the_first_schema_keeps_the_data(tmp_path, codeset_index):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
            "SECRET_KEY": "x",
            "CODESET_INDEX": str(codeset_index),
        }
    )
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=FIRST)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, username, email, display_name, password_hash, role, "
                    "active, created_at) VALUES (1, 'old', '', 'Old User', 'x', 'trainee', 1, "
                    "'2025-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO attempts (id, user_id, template_id, template_version, seed, "
                    "specialty, setting, difficulty, mode, policy, variant, status, code_correct, "
                    "code_total, chart_correct, seconds_spent, started_at) "
                    "VALUES (1, 1, 't', 1, 1, "
                    "'orthopaedics', 'professional', 1, 'practice', 'strict', '{}', 'submitted', "
                    "3, 4, 0, 60, '2025-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO attempt_grades (id, attempt_id, key_version, reason, result, "
                    "created_at) VALUES (1, 1, 1, 'submitted', '{\"score\": 0.75}', '2025-01-01')"
                )
            )
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT username FROM users")).scalar() == "old"
            row = conn.execute(
                text("SELECT code_correct, code_total, chosen_because, run_id FROM attempts")
            ).one()
            assert tuple(row) == (3, 4, "", None)
            assert conn.execute(text("SELECT count(*) FROM attempt_grades")).scalar() == 1
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        db.engine.dispose()
