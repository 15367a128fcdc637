"""The cohort's kept sums (issue 22, reports at 10x): after every kind of change they equal a
rebuild from the attempts, and the paged report equals the report computed from the attempts.

Changes covered: trainees moved between cohorts, removed and added back through the services,
an assignment deleted, the report paged, and (on PostgreSQL when TEST_DATABASE_URL is set;
on SQLite the writes serialise) concurrent submissions of the members of one cohort, and of
one trainee, each refreshing the sums in its own transaction.
"""

from __future__ import annotations

import math
import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from tests.web.test_reports import _row, _seed
from trainer.database import write_transaction
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Assignment, Attempt, Cohort, User, utcnow
from trainer.services import report_summaries
from trainer.services.assignment_changes import delete_assignment
from trainer.services.cohorts import add_trainee, move_trainee, remove_trainee
from trainer.services.report_summaries import COHORT_MODELS, TRAINEE_MODELS, rebuild
from trainer.services.reports import cohort_report

PER_TRAINEE = ("matrix", "ready", "trend", "productivity", "peers", "refreshers", "claims")


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for model in (*TRAINEE_MODELS, *COHORT_MODELS):
        keys = list(model.__table__.primary_key.columns)
        rows = db.session.execute(select(model.__table__).order_by(*keys)).all()
        out[model.__tablename__] = [tuple(r) for r in rows]
    return out


def _same(kept: dict[str, list[tuple[Any, ...]]], fresh: dict[str, list[tuple[Any, ...]]]) -> None:
    """Equal table by table; float sums (the item analysis moments) to rounding."""
    assert kept.keys() == fresh.keys()
    for name in kept:
        assert len(kept[name]) == len(fresh[name]), name
        for a, b in zip(kept[name], fresh[name], strict=True):
            for x, y in zip(a, b, strict=True):
                if isinstance(x, float) or isinstance(y, float):
                    assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), (name, a, b)
                else:
                    assert x == y, (name, a, b)


def _kept_equals_rebuilt(app) -> None:  # type: ignore[no-untyped-def]
    """The incrementally kept rows equal a rebuild from the attempts (rolled back after)."""
    with app.app_context():
        kept = _snapshot()
        rebuild(db.session)
        fresh = _snapshot()
        db.session.rollback()
        _same(kept, fresh)


def _reports_agree(app, cohort_id: int, per_page: int | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Every page of the kept report equals the report from the attempts; returns the
    tables of every page (per-trainee rows concatenated)."""
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        cfg = app.config
        args = (cohort, domain().library, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
        first = cohort_report(*args, per_page=per_page)
        pages: dict[str, list[Any]] = {slug: [] for slug in first.tables}
        for page in range(1, first.pages + 1):
            kept = cohort_report(*args, page=page, per_page=per_page)
            live = cohort_report(*args, page=page, per_page=per_page, from_attempts=True)
            assert kept.em == live.em
            for slug, table in kept.tables.items():
                assert table.rows == live.tables[slug].rows, (slug, page)
                assert table.columns == live.tables[slug].columns, (slug, page)
                pages[slug].append(table.rows)
        return {"report": first, "pages": pages}


def _second_cohort(app, users) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        cohort = Cohort(name="Autumn cohort", supervisor_id=users["supervisor"], join_code="RPT2")
        db.session.add(cohort)
        db.session.commit()
        return cohort.id


def _user(app, username: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return int(db.session.scalar(select(User.id).where(User.username == username)))


def test_moving_removing_and_adding_trainees_moves_their_share(app, users):
    seeded = _seed(app, users)
    spring, autumn = int(seeded["cohort"]), _second_cohort(app, users)
    _kept_equals_rebuilt(app)
    before = _reports_agree(app, spring)["report"]
    with app.app_context():
        sup = db.session.get(User, users["supervisor"])
        move_trainee(sup, _user(app, "coder7"), autumn)
        move_trainee(sup, _user(app, "coder6"), autumn)
    _kept_equals_rebuilt(app)
    after = _reports_agree(app, spring)["report"]
    moved = _reports_agree(app, autumn)["report"]
    assert before.total_trainees == 8 and after.total_trainees == 6
    assert moved.total_trainees == 2
    # The strongest coders left: the items and peer median of Spring change with them.
    assert after.tables["items"].rows != before.tables["items"].rows
    assert [r[1] for r in moved.tables["peers"].rows] == ["coder6", "coder7"]
    with app.app_context():
        sup = db.session.get(User, users["supervisor"])
        remove_trainee(sup, db.session.get(Cohort, autumn), _user(app, "coder6"))
    _kept_equals_rebuilt(app)
    assert _reports_agree(app, autumn)["report"].total_trainees == 1
    with app.app_context():
        sup = db.session.get(User, users["supervisor"])
        add_trainee(sup, db.session.get(Cohort, spring), "coder6")
        add_trainee(sup, db.session.get(Cohort, spring), "coder7")
    _kept_equals_rebuilt(app)
    back = _reports_agree(app, spring)["report"]
    # Everyone back where they were: the same figures as before any move.
    assert {s: t.rows for s, t in back.tables.items()} == {
        s: t.rows for s, t in before.tables.items()
    }
    with app.app_context():  # the emptied cohort keeps no rows summing nobody
        for model in COHORT_MODELS:
            assert db.session.scalars(select(model).where(model.cohort_id == autumn)).all() == []


def test_pages_list_every_trainee_once_with_the_cohorts_figures_on_each(app, users):
    seeded = _seed(app, users)
    cohort_id = int(seeded["cohort"])
    whole = _reports_agree(app, cohort_id)  # one page of 50
    paged = _reports_agree(app, cohort_id, per_page=3)
    assert paged["report"].pages == 3 and whole["report"].pages == 1
    for slug, rows in whole["pages"].items():
        per_page = paged["pages"][slug]
        if slug == "matrix":  # each page ends with the same cohort row
            assert all(rows_of[-1] == rows[0][-1] for rows_of in per_page)
            assert [r for p in per_page for r in p[:-1]] == rows[0][:-1]
        elif slug in PER_TRAINEE:
            assert [r for p in per_page for r in p] == rows[0], slug
        else:  # cohort-wide tables are the same on every page
            assert all(p == rows[0] for p in per_page), slug


def test_the_report_page_is_paged_and_refuses_a_bad_page_number(app, client, auth, users):
    seeded = _seed(app, users)
    cohort_id = int(seeded["cohort"])
    with app.app_context():
        trainees = [
            User(username=f"extra{i:02d}", display_name=f"Zed {i:02d}", password_hash="x")
            for i in range(45)
        ]
        db.session.add_all(trainees)
        db.session.flush()
        from trainer.models import CohortMember

        db.session.add_all(CohortMember(cohort_id=cohort_id, user_id=t.id) for t in trainees)
        db.session.commit()
    auth.login("supervisor")
    first = client.get(f"/supervise/cohorts/{cohort_id}/report").get_data(as_text=True)
    assert "53 trainees" in first and "page 1 of 2" in first and "Coder 7" in first
    assert "Zed 44" not in first
    second = client.get(f"/supervise/cohorts/{cohort_id}/report?page=2").get_data(as_text=True)
    assert "Zed 44" in second and "Coder 7" not in second
    beyond = client.get(f"/supervise/cohorts/{cohort_id}/report?page=9").get_data(as_text=True)
    assert "page 2 of 2" in beyond
    assert client.get(f"/supervise/cohorts/{cohort_id}/report?page=x").status_code == 400
    assert client.get(f"/supervise/cohorts/{cohort_id}/report?page=0").status_code == 400
    # The CSV lists every trainee.
    matrix = client.get(f"/supervise/cohorts/{cohort_id}/report/matrix.csv").get_data(as_text=True)
    assert "Coder 7" in matrix and "Zed 44" in matrix
    _reports_agree(app, cohort_id)


def test_a_deleted_assignment_leaves_the_sums_as_they_were(app, client, auth, users):
    seeded = _seed(app, users)
    cohort_id = int(seeded["cohort"])
    auth.login("supervisor")
    created = client.post(
        "/supervise/assignments",
        data={
            "cohort": cohort_id,
            "title": "Week 3 knees",
            "specialty": "orthopaedics",
            "chart_count": 2,
            "mode": "practice",
            "policy": "strict",
            "target": 95,
        },
    )
    assert created.status_code == 303
    with app.app_context():
        before = _snapshot()
        assignment = db.session.scalar(select(Assignment))
        delete_assignment(db.session.get(User, users["supervisor"]), assignment, "Week 3 knees")
        assert db.session.scalar(select(Assignment)) is None
        _same(_snapshot(), before)
    _kept_equals_rebuilt(app)
    _reports_agree(app, cohort_id)


def _submit_behind_the_services(app, user_id: int, template: Any, seed: int, right: bool) -> None:  # type: ignore[no-untyped-def]
    """One graded chart written and its trainee's sums refreshed in one write transaction,
    as ``practice.submit_attempt`` does."""
    with app.app_context():
        with write_transaction(db.session) as session:
            row = _row(user_id, template, seed, right, utcnow() - timedelta(minutes=seed))
            session.execute(insert(Attempt), [row])
            report_summaries.refresh(session, [user_id])
        db.session.remove()


def test_concurrent_submissions_of_one_cohort_keep_exact_sums(app, users):
    seeded = _seed(app, users)
    template = seeded["good"]
    ids = [_user(app, f"coder{i}") for i in range(8)]
    errors: list[BaseException] = []

    def work(user_id: int, first_seed: int) -> None:
        try:
            for k in range(4):
                _submit_behind_the_services(app, user_id, template, first_seed + k, k % 2 == 0)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    # Every member at once, and coder0 twice over (two of its submissions race each other).
    threads = [threading.Thread(target=work, args=(u, 1000 + 10 * i)) for i, u in enumerate(ids)]
    threads.append(threading.Thread(target=work, args=(ids[0], 5000)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    with app.app_context():
        submitted = db.session.scalar(
            select(db.func.count()).select_from(Attempt).where(Attempt.seed >= 1000)
        )
    assert submitted == 36
    _kept_equals_rebuilt(app)
    _reports_agree(app, int(seeded["cohort"]))
