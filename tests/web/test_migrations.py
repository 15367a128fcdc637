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


def test_the_summary_backfill_equals_the_kept_summaries(tmp_path, codeset_index):
    """The migration that adds the report's summary rows fills them from existing attempts
    exactly as ``report_summaries`` keeps them: a submitted chart, a wrong one with its error,
    a refresher chart (left out), a chart of an open exam (left out until it finishes) and one
    of a finished exam (counted). Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is
    set (the week of a chart is computed in each dialect's SQL)."""
    from tests.conftest import PG_URL
    from trainer.services.report_summaries import (
        COHORT_MODELS,
        SUMMARY_MODELS,
        TRAINEE_MODELS,
        rebuild,
    )

    summaries_rev = "f2b8d4a6c1e9"
    uri = PG_URL or f"sqlite:///{tmp_path / 'backfill.sqlite'}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x", "CODESET_INDEX": str(codeset_index)}
    )
    with app.app_context():
        if PG_URL:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade(directory=MIGRATIONS, revision="e3a9c5d17b42")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, username, email, display_name, password_hash, role, "
                    "active, created_at, session_version, must_change_password) VALUES "
                    "(1, 'ann', '', 'Ann', 'x', 'trainee', true, '2026-11-01', 1, false), "
                    "(2, 'sup', '', 'Sup', 'x', 'supervisor', true, '2026-11-01', 1, false)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO cohorts (id, name, supervisor_id, join_code, review_sample, "
                    "created_at) VALUES (1, 'C', 2, 'JOIN1', 10, '2026-11-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO cohort_members (id, cohort_id, user_id, targets, joined_at) "
                    "VALUES (1, 1, 1, '{}', '2026-11-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO assignments (id, cohort_id, title, specialty, chart_count, mode, "
                    "policy, template_ids, target, created_by, created_at) VALUES "
                    "(1, 1, 'Exam', 'orthopaedics', 1, 'exam', 'strict', '[]', 0.95, 2, "
                    "'2026-11-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO assignment_runs (id, assignment_id, user_id, started_at, "
                    "finished_at) VALUES (1, 1, 1, '2026-11-20', NULL), "
                    "(2, 1, 2, '2026-11-20', '2026-11-21')"
                )
            )
            rows = [
                # id, template, mode, run, course, right, submitted_at, under, em_key, em_given
                (1, "knee", "practice", None, "", True, "2026-11-23 09:00:00", 0, "99214", "99214"),
                (
                    2,
                    "knee",
                    "practice",
                    None,
                    "",
                    False,
                    "2026-11-29 23:30:00",
                    3623,
                    "99214",
                    "99213",
                ),
                (
                    3,
                    "hip",
                    "practice",
                    None,
                    "icd10cm:2026",
                    False,
                    "2026-11-24 10:00:00",
                    0,
                    "",
                    "",
                ),
                (4, "hip", "exam", 1, "", False, "2026-11-25 10:00:00", 0, "", ""),
                (5, "hip", "exam", 2, "", True, "2026-11-30 00:10:00", 0, "", ""),
            ]
            for aid, template, mode, run, course, right, at, under, em_key, em_given in rows:
                conn.execute(
                    text(
                        "INSERT INTO attempts (id, user_id, template_id, template_version, seed, "
                        "specialty, setting, difficulty, mode, policy, variant, status, "
                        "code_correct, code_total, chart_correct, seconds_spent, started_at, "
                        "submitted_at, run_id, course, revenue_under_cents, lines_total, "
                        "lines_denied, em_key, em_given) VALUES (:id, 1, :t, 1, 1, "
                        "'orthopaedics', 'professional', 1, :mode, 'strict', '{}', 'submitted', "
                        ":cc, 4, :right, 60, :at, :at, :run, :course, :under, 2, :denied, "
                        ":em_key, :em_given)"
                    ),
                    {
                        "id": aid,
                        "t": template,
                        "mode": mode,
                        "cc": 4 if right else 3,
                        "right": right,
                        "at": at,
                        "run": run,
                        "course": course,
                        "under": under,
                        "denied": 0 if right else 1,
                        "em_key": em_key,
                        "em_given": em_given,
                    },
                )
                if not right:
                    conn.execute(
                        text(
                            "INSERT INTO attempt_errors (attempt_id, user_id, specialty, "
                            "error_type, code_family, explanation) VALUES "
                            "(:id, 1, 'orthopaedics', 'laterality', 'M17', '')"
                        ),
                        {"id": aid},
                    )
        upgrade(directory=MIGRATIONS, revision=summaries_rev)

        def snapshot(models=SUMMARY_MODELS) -> dict[str, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
            out = {}
            for model in models:
                keys = [c for c in model.__table__.primary_key.columns]
                found = db.session.execute(select(model.__table__).order_by(*keys)).all()
                out[model.__tablename__] = [tuple(r) for r in found]
            return out

        from sqlalchemy import select

        backfilled = snapshot()
        # The next migration sums those rows per trainee and per cohort, as rebuild() does.
        db.session.remove()  # end the read transaction begun before the migration
        upgrade(directory=MIGRATIONS)
        every = (*TRAINEE_MODELS, *COHORT_MODELS)
        migrated = snapshot(every)
        rebuild(db.session)
        db.session.commit()
        assert snapshot(every) == migrated
        assert snapshot() == backfilled
        assert migrated["trainee_total_summaries"] == [(1, 3, 11, 12, 2, 1, 6, 3623, 0)]
        assert migrated["trainee_specialty_summaries"] == [(1, "orthopaedics", 3, 2, 11, 12, 180)]
        # Knee: 1 of 2 charts right (x = 0.5), 4 of 4 codes on the hip (y = 1.0).
        assert migrated["cohort_template_summaries"] == [
            (1, "hip", 1, 1, 1, 4, 4, 1, 1.0, 0.875, 1.0, 0.765625, 0.875),
            (1, "knee", 1, 2, 1, 7, 8, 1, 0.5, 1.0, 0.25, 1.0, 0.5),
        ]
        assert migrated["cohort_error_summaries"] == [(1, "laterality", 1, 1)]
        assert migrated["cohort_em_summaries"] == [
            (1, "99214", "99213", 1, 1),
            (1, "99214", "99214", 1, 1),
        ]
        # Charts 1, 2 and 5 count (the refresher and the open exam's chart do not).
        assert backfilled["trainee_template_summaries"] == [
            (1, "hip", "orthopaedics", 1, 1, 4, 4, 60, 1, 0, 2, 0, 0),
            (1, "knee", "orthopaedics", 2, 1, 7, 8, 120, 1, 1, 4, 3623, 0),
        ]
        # ISO weeks by Monday, UTC: Sunday 29 Nov 23:30 is still the week of 23 Nov.
        assert backfilled["trainee_week_summaries"] == [
            (1, "2026-11-23", "orthopaedics", 7, 8, 1, 3623, 0),
            (1, "2026-11-30", "orthopaedics", 4, 4, 0, 0, 0),
        ]
        assert backfilled["trainee_em_summaries"] == [
            (1, "99214", "99213", 1),
            (1, "99214", "99214", 1),
        ]
        assert backfilled["trainee_error_summaries"] == [(1, "laterality", 1)]
        db.session.remove()
        db.engine.dispose()


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="reads SQLite's schema")
def test_the_models_declare_the_schema_the_migrations_build(app):
    """The models and the migrations agree: Alembic finds nothing to autogenerate, the
    clustered tables are WITHOUT ROWID, and each summary table's columns come in the model's
    order. The order matters there: those tables are filled from SELECTs in their column
    order, which their shared shape (``models.summary_shape``) must keep. (Elsewhere a column
    added by a later migration comes last in the database, wherever the model declares it.)"""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from trainer.services.report_summaries import COHORT_MODELS, TRAINEE_MODELS

    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.Model.metadata) == []
        created = dict(conn.execute(text("SELECT name, sql FROM sqlite_master")).all())
        for table in db.Model.metadata.sorted_tables:
            clustered = table.kwargs.get("sqlite_with_rowid") is False
            assert ("WITHOUT ROWID" in created[table.name]) == clustered, table.name
        built = inspect(conn)
        for model in (*TRAINEE_MODELS, *COHORT_MODELS):
            table = model.__table__
            columns = [c["name"] for c in built.get_columns(table.name)]
            assert columns == [c.name for c in table.columns], table.name
