"""`report_1m_ms`: the cohort report over 1,000,000 attempts (2,000 trainees x 500 charts).

The attempts and their error rows are written with the DBAPI's ``executemany`` (one
statement, many parameter sets; no ORM objects), then the summary rows are filled by the same
statements that keep them (``report_summaries.rebuild``: the backfill path, timed apart, the
cohort's sums included), so the report reads what a real database would hold after the
migration. Charts are spread
over 250 days (two a day per trainee), so the trend and revenue tables read eight weeks of a
longer history, and each trainee has touched every template (the widest item analysis).

SQLite by default; ``database_url`` (e.g. ``DATABASE_URL`` set to a PostgreSQL URL) runs it
there.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

PASSWORD = "Bench-password-1"
ERROR_KINDS = ("laterality", "specificity", "missing_modifier", "wrong_units")
INSERT_BATCH = 20_000


def _attempt_rows(
    user_ids: list[int], templates: list[Any], charts: int, now: Any, sqlite: bool
) -> Any:
    """The attempts as parameter tuples, in batches (the full list would be ~1 GB). On SQLite
    times are written the way SQLAlchemy stores them (UTC wall time, no offset)."""
    variant = json.dumps({})

    def when(hours: int) -> Any:
        moment = now - timedelta(hours=hours)
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else moment

    batch: list[tuple[Any, ...]] = []
    for user_id in user_ids:
        for j in range(charts):
            template = templates[(j * 7 + user_id) % len(templates)]
            right = j % 7 > 0
            batch.append(
                (
                    user_id,
                    template.id,
                    1,
                    j,
                    template.specialty,
                    "professional",
                    1,
                    "practice",
                    "strict",
                    variant,
                    "submitted",
                    1.0 if right else 0.75,
                    3 + right,
                    4,
                    right,
                    300 + (j % 5) * 30,
                    3623 if j % 7 == 0 else 0,
                    6340 if j % 13 == 0 else 0,
                    1 if j % 11 == 0 else 0,
                    2,
                    "99214" if j % 3 else "",
                    ("99213" if j % 7 == 0 else "99214") if j % 3 else "",
                    "",
                    "",
                    when(12 * j + user_id % 12),
                    when(12 * j + user_id % 12),
                )
            )
            if len(batch) >= INSERT_BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


ATTEMPT_COLUMNS = (
    "user_id, template_id, template_version, seed, specialty, setting, difficulty, mode, "
    "policy, variant, status, score, code_correct, code_total, chart_correct, seconds_spent, "
    "revenue_under_cents, revenue_over_cents, lines_denied, lines_total, em_key, em_given, "
    "chosen_because, course, started_at, submitted_at"
)


def _placeholders(sqlite: bool, n: int) -> str:
    return ", ".join(["?" if sqlite else "%s"] * n)


def run_report_1m_benchmark(
    workdir: Path,
    notes: list[str],
    trainees: int = 2000,
    charts_each: int = 500,
    database_url: str = "",
    runs: int = 7,
) -> dict[str, float]:
    """Seed the cohort, fill the summaries, then time the report: the service (every table
    computed) and the page (the same, rendered to HTML), medians of ``runs``."""
    from sqlalchemy import insert

    from trainer import create_app
    from trainer.database import upgrade_schema
    from trainer.domain import domain
    from trainer.extensions import db
    from trainer.models import Cohort, CohortMember, User, utcnow
    from trainer.services.accounts import create_user
    from trainer.services.report_summaries import rebuild
    from trainer.services.reports import cohort_report
    from trainer.services.reports.cohort import PAGE_SIZE

    uri = database_url or f"sqlite:///{workdir / 'report_1m.sqlite'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "x",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )
    figures: dict[str, float] = {}
    with app.app_context():
        upgrade_schema()
        sup = create_user("sup1m", PASSWORD, "supervisor")
        cohort = Cohort(name="Bench 1M", supervisor_id=sup.id, join_code="BENCH1M0")
        db.session.add(cohort)
        db.session.flush()
        db.session.execute(
            insert(User),
            [
                {
                    "username": f"m{i}",
                    "display_name": f"Trainee {i:04d}",
                    "password_hash": "x",
                    "role": "trainee",
                }
                for i in range(trainees)
            ],
        )
        user_ids = sorted(
            db.session.scalars(
                db.select(User.id).where(User.username.like("m%"), User.role == "trainee")
            )
        )
        db.session.execute(
            insert(CohortMember), [{"cohort_id": cohort.id, "user_id": u} for u in user_ids]
        )
        db.session.commit()
        cohort_id = cohort.id
        templates = sorted(domain().library.templates.values(), key=lambda t: t.id)
        now = utcnow()
        started = time.perf_counter()
        sqlite = db.engine.dialect.name == "sqlite"
        cursor = db.session.connection().connection.cursor()
        sql = (
            f"INSERT INTO attempts ({ATTEMPT_COLUMNS}) "
            f"VALUES ({_placeholders(sqlite, ATTEMPT_COLUMNS.count(',') + 1)})"
        )
        for batch in _attempt_rows(user_ids, templates, charts_each, now, sqlite):
            cursor.executemany(sql, batch)
        cursor.execute(
            "INSERT INTO attempt_errors (attempt_id, user_id, specialty, error_type, "
            "code_family, explanation) SELECT id, user_id, specialty, "
            "CASE id % 4 WHEN 0 THEN 'laterality' WHEN 1 THEN 'specificity' "
            "WHEN 2 THEN 'missing_modifier' ELSE 'wrong_units' END, 'M17', '' "
            "FROM attempts WHERE code_correct < code_total AND user_id IN "
            "(SELECT user_id FROM cohort_members WHERE cohort_id = "
            f"{int(cohort_id)})"
        )
        cursor.close()
        db.session.commit()
        figures["report_1m_seed_s"] = time.perf_counter() - started
        started = time.perf_counter()
        rebuild(db.session)
        db.session.commit()
        figures["report_1m_backfill_s"] = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("ANALYZE"))  # what autovacuum does after a bulk load
            db.session.commit()
        gc.collect()
        cfg = app.config
        library = domain().library
        timings = []
        for _ in range(runs):
            db.session.expire_all()
            measured = db.session.get(Cohort, cohort_id)
            assert measured is not None
            start = time.perf_counter()
            cohort_report(measured, library, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
            timings.append((time.perf_counter() - start) * 1000)
            db.session.rollback()
        figures["report_1m_ms"] = statistics.median(timings)
    client = app.test_client()
    client.post("/auth/login", data={"username": "sup1m", "password": PASSWORD})
    pages = []
    for _ in range(max(3, runs // 2)):
        start = time.perf_counter()
        response = client.get(f"/supervise/cohorts/{cohort_id}/report")
        pages.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"report page answered {response.status_code}")
    figures["report_1m_page_ms"] = statistics.median(pages)
    notes.append(
        f"report_1m: cohort report service (every table; the per-trainee tables list the "
        f"first page of {PAGE_SIZE}, the cohort-wide ones sum every trainee) over {trainees} "
        f"trainees x {charts_each} attempts read from the kept summaries, median of {runs}; "
        f"report_1m_page_ms: the HTML page of the same ({len(pages)} runs); "
        f"{db_name(uri)}"
    )
    return figures


def db_name(uri: str) -> str:
    return "PostgreSQL" if uri.startswith("postgresql") else "SQLite"
