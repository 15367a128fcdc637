"""Issue 14: keys and exam grades stay hidden until earned; the clock is enforced where data is
written (by the database's clock); starting a run is all-or-nothing.

Each test here failed on the code before the fix (checked with ``git stash``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import cohort_of
from tests.web.test_practice import form_for, key_of, start_chart
from trainer.extensions import db
from trainer.models import (
    Assignment,
    AssignmentRun,
    Attempt,
    AttemptError,
    Cohort,
    Dispute,
    User,
    utcnow,
)
from trainer.services.practice import variant_of

WRONG = "R69"  # a real, valid code no orthopaedics key uses: a wrong answer


def _secrets(app, attempt_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Every key code and rationale of the chart: none may appear before it is earned."""
    key = key_of(app, attempt_id)
    found = [d.code for d in key.diagnoses] + [k.line.code for k in key.lines]
    return found + [d.rationale for d in key.diagnoses] + [k.rationale for k in key.lines]


def _leaks(app, attempt_id: int, body: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [s for s in _secrets(app, attempt_id) if s in body]


def _exam(app, client, auth, users, charts: int = 2, minutes: int = 30) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    """An orthopaedics exam for the trainee's cohort, started: (run id, chart ids)."""
    cohort_id = cohort_of(
        app, users["supervisor"], users["trainee"], name="Exam class", join_code="EXAM14"
    )
    auth.login("supervisor")
    created = client.post(
        "/supervise/assignments",
        data={
            "cohort": cohort_id,
            "title": "Certification exam",
            "specialty": "orthopaedics",
            "chart_count": charts,
            "mode": "exam",
            "policy": "strict",
            "time_limit_minutes": minutes,
            "target": 95,
        },
    )
    assert created.status_code == 303
    auth.logout()
    auth.login()
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    started = client.post(f"/assignments/{assignment_id}/start")
    assert started.status_code == 303
    run_id = int(started.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(Attempt.id).where(Attempt.run_id == run_id).order_by(Attempt.id)
            )
        )
    return run_id, ids


def _db_now() -> datetime:
    """The database's clock, read here without the code under test."""
    if db.engine.dialect.name == "sqlite":
        raw = db.session.scalar(select(func.strftime("%Y-%m-%d %H:%M:%f", "now")))
        return datetime.fromisoformat(raw).replace(tzinfo=UTC)
    return db.session.scalar(select(func.now()))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ring_the_bell(app, run_id: int) -> None:  # type: ignore[no-untyped-def]
    """Move the exam's deadline to just before the database's 'now'."""
    with app.app_context():
        run = db.session.get(AssignmentRun, run_id)
        run.deadline_at = _db_now() - timedelta(seconds=1)
        db.session.commit()


# --------------------------------------------------------------------------- keys


def test_disputing_an_unsubmitted_practice_chart_shows_no_key(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    response = client.post(f"/practice/attempt/{attempt_id}/dispute", data={"citation": "short"})
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert _leaks(app, attempt_id, body) == []
    assert "once the chart is submitted" in body


def test_disputing_an_open_exam_chart_shows_no_key_and_records_nothing(app, client, auth, users):
    run_id, (first, _second) = _exam(app, client, auth, users)
    client.post(f"/practice/attempt/{first}/submit", data=form_for(key_of(app, first)))
    for citation in ("short", "The key is wrong: ICD-10-CM I.B.13 says otherwise."):
        response = client.post(f"/practice/attempt/{first}/dispute", data={"citation": citation})
        assert response.status_code == 409
        assert _leaks(app, first, response.get_data(as_text=True)) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Dispute.id))) == 0


def test_the_dispute_service_refuses_an_open_exam_chart(app, client, auth, users):
    from trainer.services.disputes import DisputeError, open_dispute

    _run_id, (first, _second) = _exam(app, client, auth, users)
    client.post(f"/practice/attempt/{first}/submit", data=form_for(key_of(app, first)))
    with app.app_context(), pytest.raises(DisputeError, match="once the exam is over"):
        open_dispute(db.session.get(Attempt, first), users["trainee"], "", "A citation, long.")


def test_the_run_page_shows_no_score_while_the_exam_is_open(app, client, auth, users):
    run_id, (first, _second) = _exam(app, client, auth, users)
    client.post(f"/practice/attempt/{first}/submit", data=form_for(key_of(app, first)))
    page = client.get(f"/assignments/run/{run_id}").get_data(as_text=True)
    assert "100%" not in page and "after the exam" in page


def test_may_see_key_is_the_one_rule(app, client, auth, users):
    """Owner: submitted and exam closed; reviewer of the cohort: submitted; nobody else."""
    from trainer.services.access import may_see_key

    run_id, (first, second) = _exam(app, client, auth, users)
    client.post(f"/practice/attempt/{first}/submit", data=form_for(key_of(app, first)))
    with app.app_context():
        trainee, other, supervisor, admin = (
            db.session.get(User, users[n]) for n in ("trainee", "other", "supervisor", "admin")
        )
        done, open_ = db.session.get(Attempt, first), db.session.get(Attempt, second)
        assert not may_see_key(trainee, done)  # submitted, but the exam is open
        assert may_see_key(supervisor, done) and may_see_key(admin, done)  # review
        assert not may_see_key(other, done)
        assert not any(may_see_key(u, open_) for u in (trainee, other, supervisor, admin))
        assert not may_see_key(None, done)
    client.post(f"/assignments/run/{run_id}/finish")
    with app.app_context():
        trainee = db.session.get(User, users["trainee"])
        assert may_see_key(trainee, db.session.get(Attempt, first))


# --------------------------------------------------------------------------- figures


def test_an_open_exam_moves_no_figure(app, client, auth, users):
    from trainer.domain import domain
    from trainer.services.mastery import drill_target, family_histories, next_chart
    from trainer.services.progress import error_ranking, specialty_summaries, weekly_trend

    run_id, (first, second) = _exam(app, client, auth, users)
    wrong = form_for(key_of(app, first))
    wrong["diagnoses-0"] = WRONG
    assert client.post(f"/practice/attempt/{first}/submit", data=wrong).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptError.id))) > 0  # it was graded
        uid = users["trainee"]
        error_type = db.session.scalar(select(AttemptError.error_type).limit(1))
        assert specialty_summaries(uid, 0.95, 0.97) == []
        assert error_ranking(uid) == []
        assert weekly_trend(uid) == ([], {})
        assert family_histories(uid) == []
        assert drill_target(uid, error_type, domain().library) is None
        pick, _template = next_chart(uid, domain().library, 0.95, 0.97)
        assert pick.reason.startswith("Start anywhere")  # not "weakest" nor a spaced review
    progress = client.get("/progress/").get_data(as_text=True)
    assert "Drill this" not in progress
    # The supervisor's figures wait for the exam too.
    auth.logout()
    auth.login("supervisor")
    with app.app_context():
        cohort_id = db.session.scalar(select(Cohort.id))
    matrix = client.get(f"/supervise/cohorts/{cohort_id}/report/matrix.csv").get_data(as_text=True)
    assert matrix.splitlines()[0] == "trainee,username"  # no specialty has a chart yet
    errors = client.get(f"/supervise/cohorts/{cohort_id}/report/errors.csv").get_data(as_text=True)
    assert errors.strip().count("\n") == 0
    # Once the exam is over, its charts count like any other.
    auth.logout()
    auth.login()
    client.post(f"/assignments/run/{run_id}/finish")
    with app.app_context():
        summaries = specialty_summaries(users["trainee"], 0.95, 0.97)
        assert [s.summary.charts for s in summaries] == [2]
        assert error_ranking(users["trainee"]) != []


# --------------------------------------------------------------------------- the clock


def test_late_api_submit_is_refused_and_the_saved_draft_is_graded(app, client, auth, users):
    run_id, (first,) = _exam(app, client, auth, users, charts=1)
    key = key_of(app, first)
    saved = client.post(
        f"/practice/attempt/{first}/draft", json={"diagnoses": [WRONG], "lines": []}
    )
    assert saved.status_code == 200
    _ring_the_bell(app, run_id)
    answer = {
        "diagnoses": [d.code for d in key.diagnoses],
        "lines": [
            {"code": k.line.code, "modifiers": list(k.line.modifiers), "units": k.line.units}
            for k in key.lines
        ],
    }
    late = client.post(f"/api/v1/attempts/{first}/submit", json={"answer": answer})
    assert late.status_code == 409
    assert "The exam closed at" in late.get_json()["error"]
    with app.app_context():
        attempt = db.session.get(Attempt, first)
        assert attempt.answer["diagnoses"] == [WRONG]  # the pre-bell draft, not the late answer
        assert not attempt.chart_correct
        run = db.session.get(AssignmentRun, run_id)
        assert run.finished_at is not None


def test_late_autosave_is_refused_and_keeps_the_pre_bell_draft(app, client, auth, users):
    run_id, (first,) = _exam(app, client, auth, users, charts=1)
    client.post(f"/practice/attempt/{first}/draft", json={"diagnoses": [WRONG]})
    _ring_the_bell(app, run_id)
    late = client.post(f"/practice/attempt/{first}/draft", json={"diagnoses": ["M17.11"]})
    assert late.status_code == 409 and "The exam closed at" in late.get_json()["error"]
    with app.app_context():
        assert db.session.get(Attempt, first).draft["diagnoses"] == [WRONG]
    client.get(f"/assignments/run/{run_id}")  # time-out: grade what was saved
    with app.app_context():
        attempt = db.session.get(Attempt, first)
        assert attempt.status == "submitted" and attempt.answer["diagnoses"] == [WRONG]


def _app_clock_behind(monkeypatch, hours: int = 2) -> None:  # type: ignore[no-untyped-def]
    """A worker whose clock is behind the database's (the clock an exam must not trust)."""
    import trainer.models
    import trainer.services.assignment_sets
    import trainer.services.assignments
    import trainer.services.practice
    import trainer.services.practice_submit

    def behind():  # type: ignore[no-untyped-def]
        return utcnow() - timedelta(hours=hours)

    modules = (
        trainer.models,
        trainer.services.assignments,
        trainer.services.assignment_sets,
        trainer.services.practice,
        trainer.services.practice_submit,
    )
    for module in modules:
        monkeypatch.setattr(module, "utcnow", behind, raising=False)


def test_the_deadline_is_the_databases_not_the_workers(app, client, auth, users, monkeypatch):
    run_id, (first,) = _exam(app, client, auth, users, charts=1)
    client.post(f"/practice/attempt/{first}/draft", json={"diagnoses": [WRONG]})
    _ring_the_bell(app, run_id)
    _app_clock_behind(monkeypatch)
    web = client.post(f"/practice/attempt/{first}/submit", data=form_for(key_of(app, first)))
    assert web.status_code == 409
    with app.app_context():
        assert db.session.get(Attempt, first).answer["diagnoses"] == [WRONG]


def test_the_clock_starts_on_the_databases_time(app, client, auth, users, monkeypatch):
    _app_clock_behind(monkeypatch)
    run_id, _ids = _exam(app, client, auth, users, charts=1, minutes=30)
    with app.app_context():
        run = db.session.get(AssignmentRun, run_id)
        left = _utc(run.deadline_at) - _db_now()
        assert timedelta(minutes=29) < left <= timedelta(minutes=30)


def test_time_out_grades_the_draft_as_of_the_bell(app, client, auth, users):
    run_id, (first,) = _exam(app, client, auth, users, charts=1)
    client.post(f"/practice/attempt/{first}/draft", json={"diagnoses": [WRONG]})
    _ring_the_bell(app, run_id)
    client.get(f"/assignments/run/{run_id}")
    with app.app_context():
        run = db.session.get(AssignmentRun, run_id)
        attempt = db.session.get(Attempt, first)
        assert _utc(attempt.submitted_at) == _utc(run.deadline_at)
        assert _utc(run.finished_at) == _utc(run.deadline_at)


# --------------------------------------------------------------------------- starting a run


def _assignment(app, users, charts: int = 3):  # type: ignore[no-untyped-def]
    from trainer.domain import domain
    from trainer.services.assignments import create_assignment

    cohort_id = cohort_of(
        app, users["supervisor"], users["trainee"], name="Atomic", join_code="ATOM14"
    )
    with app.app_context():
        supervisor = db.session.get(User, users["supervisor"])
        return create_assignment(
            supervisor,
            cohort_id,
            "Exam",
            domain().library,
            specialty="orthopaedics",
            chart_count=charts,
            mode="exam",
            time_limit_minutes=30,
        ).id


def _nothing_started(app) -> bool:  # type: ignore[no-untyped-def]
    with app.app_context():
        runs = db.session.scalar(select(func.count(AssignmentRun.id)))
        charts = db.session.scalar(select(func.count(Attempt.id)))
        return runs == 0 and charts == 0


def test_a_chart_that_fails_to_render_leaves_no_run_and_no_clock(app, users, monkeypatch):
    from trainer.domain import domain
    from trainer.services import practice
    from trainer.services.assignments import AssignmentError, start_run

    assignment_id = _assignment(app, users)
    real, calls = practice.generate, []

    def third_fails(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("a template that does not render")
        return real(*args, **kwargs)

    monkeypatch.setattr(practice, "generate", third_fails)
    with app.app_context():
        trainee = db.session.get(User, users["trainee"])
        with pytest.raises(AssignmentError, match="not started"):
            start_run(db.session.get(Assignment, assignment_id), trainee, domain().library)
    assert _nothing_started(app)


def test_past_the_generation_budget_nothing_is_started(app, client, auth, users, monkeypatch):
    from trainer.services import assignments

    assignment_id = _assignment(app, users)
    monkeypatch.setattr(assignments, "GENERATION_BUDGET_SECONDS", 0.0, raising=False)
    auth.login()
    response = client.post(f"/assignments/{assignment_id}/start")
    assert response.status_code == 503
    assert "took too long" in response.get_data(as_text=True)
    assert _nothing_started(app)


def test_a_started_run_has_every_chart_and_its_clock(app, users):
    from trainer.domain import domain
    from trainer.services.assignments import start_run

    assignment_id = _assignment(app, users, charts=4)
    with app.app_context():
        trainee = db.session.get(User, users["trainee"])
        run = start_run(db.session.get(Assignment, assignment_id), trainee, domain().library)
        charts = db.session.scalars(select(Attempt).where(Attempt.run_id == run.id)).all()
        assert len(charts) == 4 and run.deadline_at is not None
        assert all(variant_of(a).specialty == "orthopaedics" for a in charts)
