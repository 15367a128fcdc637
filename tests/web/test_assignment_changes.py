"""Changing an assignment after it is set: edit, close early, delete, duplicate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Assignment, AssignmentRun, AuditEvent, Cohort, CohortMember, User
from trainer.services.accounts import create_user
from trainer.services.assignments import create_assignment


@pytest.fixture
def world(app, users):  # type: ignore[no-untyped-def]
    with app.app_context():
        rival = create_user("rival", PASSWORD, "supervisor")
        day = Cohort(name="Day", supervisor_id=users["supervisor"], join_code="DAYA")
        night = Cohort(name="Night", supervisor_id=users["supervisor"], join_code="NIGHTA")
        theirs = Cohort(name="Theirs", supervisor_id=rival.id, join_code="THEIRSA")
        db.session.add_all([day, night, theirs])
        db.session.flush()
        db.session.add(CohortMember(cohort_id=day.id, user_id=users["trainee"]))
        db.session.commit()
        supervisor = db.session.get(User, users["supervisor"])
        library = domain().library
        exam = create_assignment(
            supervisor,
            day.id,
            "Knee exam",
            library,
            specialty="orthopaedics",
            chart_count=2,
            mode="exam",
            time_limit_minutes=60,
        )
        practice = create_assignment(
            supervisor, day.id, "Warm-up", library, specialty="radiology", chart_count=1
        )
        return {
            "day": day.id,
            "night": night.id,
            "theirs": theirs.id,
            "exam": exam.id,
            "practice": practice.id,
        }


def _get(app, assignment_id: int) -> Assignment | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        row = db.session.get(Assignment, assignment_id)
        if row is not None:
            db.session.expunge(row)
        return row


def _start(client, auth, assignment_id: int) -> None:  # type: ignore[no-untyped-def]
    auth.logout()
    auth.login("trainee")
    assert client.post(f"/assignments/{assignment_id}/start").status_code in (302, 303)
    auth.logout()
    auth.login("supervisor")


def test_edit_title_due_and_time_limit_until_someone_starts(app, client, auth, world):
    auth.login("supervisor")
    url = f"/supervise/assignments/{world['exam']}/edit"
    assert "Knee exam" in client.get(url).get_data(as_text=True)
    edited = {"title": "Knee exam (final)", "due": "2027-01-15", "time_limit_minutes": "90"}
    assert client.post(url, data=edited).status_code == 303
    exam = _get(app, world["exam"])
    assert exam.title == "Knee exam (final)" and exam.time_limit_minutes == 90
    assert exam.due_at.strftime("%Y-%m-%d %H:%M") == "2027-01-15 23:59"
    _start(client, auth, world["exam"])
    with app.app_context():
        run = db.session.scalar(
            select(AssignmentRun).where(AssignmentRun.assignment_id == world["exam"])
        )
        deadline = run.deadline_at
    later = {"title": "Knee exam (final)", "time_limit_minutes": "120"}
    refused = client.post(url, data=later)
    assert refused.status_code == 400 and "fixed once a trainee has started" in refused.get_data(
        as_text=True
    )
    assert _get(app, world["exam"]).time_limit_minutes == 90
    # The title and due date still change; the running clock does not.
    assert (
        client.post(url, data={"title": "Knee exam", "time_limit_minutes": "90"}).status_code == 303
    )
    assert _get(app, world["exam"]).title == "Knee exam" and _get(app, world["exam"]).due_at is None
    with app.app_context():
        assert db.session.get(AssignmentRun, run.id).deadline_at == deadline
        details = list(
            db.session.scalars(
                select(AuditEvent.detail).where(AuditEvent.action == "assignment.edit")
            )
        )
    assert (
        details[0].startswith("time limit 60 -> 90 min") and "due none -> 2027-01-15" in details[0]
    )


def test_bad_edits_are_a_400(app, client, auth, world):
    auth.login("supervisor")
    exam, practice = (
        f"/supervise/assignments/{world['exam']}/edit",
        f"/supervise/assignments/{world['practice']}/edit",
    )
    for url, data in (
        (exam, {"title": ""}),
        (exam, {"title": "x" * 121, "time_limit_minutes": "60"}),
        (exam, {"title": "Knee exam", "time_limit_minutes": "0"}),
        (exam, {"title": "Knee exam"}),  # an exam needs its limit
        (exam, {"title": "Knee exam", "time_limit_minutes": "６０"}),
        (exam, {"title": "Knee exam", "time_limit_minutes": "60", "due": "tomorrow"}),
        (practice, {"title": "Warm-up", "time_limit_minutes": "30"}),  # practice has none
    ):
        assert client.post(url, data=data).status_code == 400, data
    assert _get(app, world["exam"]).title == "Knee exam"


def test_close_early_stops_new_starts_but_not_started_runs(app, client, auth, world):
    auth.login("supervisor")
    _start(client, auth, world["exam"])
    url = f"/supervise/assignments/{world['practice']}/close"
    assert client.post(url, data={}).status_code == 400
    assert client.post(url, data={"close": "yes"}).status_code == 303
    assert (
        client.post(
            f"/supervise/assignments/{world['exam']}/close", data={"close": "yes"}
        ).status_code
        == 303
    )
    assert _get(app, world["practice"]).closed_at is not None
    auth.logout()
    auth.login("trainee")
    refused = client.post(f"/assignments/{world['practice']}/start")
    assert refused.status_code == 409 and "closed this assignment" in refused.get_data(as_text=True)
    page = client.get("/assignments/").get_data(as_text=True)
    assert "closed" in page and "Open</a>" in page  # the started exam stays open to its owner
    with app.app_context():
        assert (
            db.session.scalar(
                select(AssignmentRun).where(AssignmentRun.assignment_id == world["practice"])
            )
            is None
        )


def test_delete_needs_the_title_and_nobody_started(app, client, auth, world):
    auth.login("supervisor")
    url = f"/supervise/assignments/{world['practice']}/delete"
    assert client.post(url, data={}).status_code == 400
    assert client.post(url, data={"confirm_title": "warm-up"}).status_code == 400
    _start(client, auth, world["exam"])
    started = client.post(
        f"/supervise/assignments/{world['exam']}/delete", data={"confirm_title": "Knee exam"}
    )
    assert started.status_code == 400 and "close it instead" in started.get_data(as_text=True)
    assert _get(app, world["exam"]) is not None
    assert client.post(url, data={"confirm_title": "Warm-up"}).status_code == 303
    assert _get(app, world["practice"]) is None
    with app.app_context():
        logged = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "assignment.delete")
        )
        assert logged.target_id == world["practice"] and "Warm-up" in logged.detail


def test_duplicate_to_another_own_cohort_only(app, client, auth, world):
    auth.login("supervisor")
    url = f"/supervise/assignments/{world['exam']}/duplicate"
    assert client.post(url, data={"cohort_id": world["night"]}).status_code == 303
    with app.app_context():
        copy = db.session.scalar(select(Assignment).where(Assignment.cohort_id == world["night"]))
        assert (copy.title, copy.mode, copy.time_limit_minutes, copy.chart_count) == (
            "Knee exam",
            "exam",
            60,
            2,
        )
    for data in (
        {"cohort_id": world["theirs"]},
        {"cohort_id": world["day"]},
        {"cohort_id": "x"},
        {},
    ):
        assert client.post(url, data=data).status_code == 400, data
    with app.app_context():
        assert (
            db.session.scalar(select(Assignment).where(Assignment.cohort_id == world["theirs"]))
            is None
        )


def test_wrong_role_and_wrong_cohort(app, client, auth, world):
    auth.login("rival")
    for action, data in (
        ("edit", {"title": "Mine now", "time_limit_minutes": "5"}),
        ("close", {"close": "yes"}),
        ("delete", {"confirm_title": "Warm-up"}),
        ("duplicate", {"cohort_id": world["theirs"]}),
    ):
        assert (
            client.post(
                f"/supervise/assignments/{world['practice']}/{action}", data=data
            ).status_code
            == 404
        )
    assert client.get(f"/supervise/assignments/{world['practice']}/edit").status_code == 404
    auth.logout()
    auth.login("trainee")
    assert client.get(f"/supervise/assignments/{world['practice']}/edit").status_code == 403
    assert (
        client.post(
            f"/supervise/assignments/{world['practice']}/close", data={"close": "yes"}
        ).status_code
        == 403
    )
    practice = _get(app, world["practice"])
    assert practice.title == "Warm-up" and practice.closed_at is None
