"""Handing a cohort to another supervisor, and co-instructors (issue 22).

The owner or an administrator hands a cohort over or changes its co-instructors; a
co-instructor manages the cohort (report, review) but cannot give it away; every change is
in the audit log; the wrong role and the wrong cohort are refused.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import PASSWORD, cohort_of
from tests.lti.platform import INSTRUCTOR, Person
from tests.web.test_lti import TEACHER, World, launch, world  # noqa: F401  (the fixture)
from tests.web.test_practice import form_for, key_of, start_chart
from trainer.extensions import db
from trainer.models import AuditEvent, Cohort, CohortInstructor, LtiContext, LtiUser, User
from trainer.services.accounts import create_user


def _setup(app, users) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """The supervisor's cohort with the trainee, a second supervisor 'colleague' and a third
    'stranger' with a cohort of their own: (cohort id, colleague id, stranger's cohort id)."""
    with app.app_context():
        colleague = create_user("colleague", PASSWORD, "supervisor", "Casey Colleague").id
        stranger = create_user("stranger", PASSWORD, "supervisor", "Sam Stranger").id
    cohort = cohort_of(
        app, users["supervisor"], users["trainee"], name="Day class", join_code="DAY1"
    )
    theirs = cohort_of(app, stranger, users["other"], name="Night class", join_code="NIGHT1")
    return cohort, colleague, theirs


def _actions(app) -> list[tuple[str, int | None, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (e.action, e.target_id, e.detail)
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action.like("cohort.%")).order_by(AuditEvent.id)
            )
        ]


def test_a_co_instructor_manages_reviews_and_reports_but_cannot_hand_over(app, client, auth, users):
    cohort, colleague, _ = _setup(app, users)
    auth.login()
    attempt_id = start_chart(client)
    client.post(f"/practice/attempt/{attempt_id}/submit", data=form_for(key_of(app, attempt_id)))
    auth.logout()
    auth.login("colleague")
    assert client.get(f"/supervise/cohorts/{cohort}/report").status_code == 404
    assert client.get(f"/supervise/review/{attempt_id}").status_code in (403, 404)
    auth.logout()

    auth.login("supervisor")
    page = client.get(f"/supervise/cohorts/{cohort}/instructors")
    assert page.status_code == 200 and "Owner" in page.text
    added = client.post(f"/supervise/cohorts/{cohort}/instructors", data={"username": "colleague"})
    assert added.status_code == 303
    assert _actions(app)[-1][:2] == ("cohort.instructor_add", cohort)
    auth.logout()

    auth.login("colleague")
    assert "Day class" in client.get("/supervise/").text
    assert client.get(f"/supervise/cohorts/{cohort}/report").status_code == 200
    assert client.get(f"/supervise/review/{attempt_id}").status_code == 200
    # ...but may not give the cohort away or change who else instructs it.
    assert client.get(f"/supervise/cohorts/{cohort}/instructors").status_code == 403
    refused = client.post(
        f"/supervise/cohorts/{cohort}/hand-over", data={"username": "colleague", "confirm": "yes"}
    )
    assert refused.status_code == 403
    assert (
        client.post(
            f"/supervise/cohorts/{cohort}/instructors", data={"username": "stranger"}
        ).status_code
        == 403
    )
    auth.logout()

    auth.login("supervisor")
    removed = client.post(
        f"/supervise/cohorts/{cohort}/instructors/remove", data={"user_id": str(colleague)}
    )
    assert removed.status_code == 303
    assert _actions(app)[-1][:2] == ("cohort.instructor_remove", cohort)
    auth.logout()
    auth.login("colleague")
    assert client.get(f"/supervise/cohorts/{cohort}/report").status_code == 404


def test_handing_over_moves_the_cohort_and_is_audited(app, client, auth, users):
    cohort, colleague, _ = _setup(app, users)
    auth.login("supervisor")
    client.post(f"/supervise/cohorts/{cohort}/instructors", data={"username": "colleague"})
    handed = client.post(
        f"/supervise/cohorts/{cohort}/hand-over", data={"username": "colleague", "confirm": "yes"}
    )
    assert handed.status_code == 303
    with app.app_context():
        row = db.session.get(Cohort, cohort)
        assert row.supervisor_id == colleague
        # The new owner is no longer listed as a co-instructor of their own cohort.
        assert db.session.scalars(select(CohortInstructor)).all() == []
    action, target, detail = _actions(app)[-1]
    assert (action, target) == ("cohort.hand_over", cohort)
    assert f"from user {users['supervisor']} to user {colleague}" in detail
    # The old owner keeps nothing; the new one has the report, trainees and all.
    assert client.get(f"/supervise/cohorts/{cohort}/report").status_code == 404
    auth.logout()
    auth.login("colleague")
    report = client.get(f"/supervise/cohorts/{cohort}/report")
    assert report.status_code == 200
    assert "trainee" in report.text


def test_an_admin_hands_over_any_cohort(app, client, auth, users):
    cohort, colleague, _ = _setup(app, users)
    auth.login("admin")
    handed = client.post(
        f"/supervise/cohorts/{cohort}/hand-over", data={"username": "colleague", "confirm": "yes"}
    )
    assert handed.status_code == 303
    with app.app_context():
        assert db.session.get(Cohort, cohort).supervisor_id == colleague
        admin = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.hand_over"))
        assert admin.actor_id == users["admin"]


def test_wrong_role_and_wrong_cohort_are_refused(app, client, auth, users):
    cohort, _, theirs = _setup(app, users)
    # A trainee: 403 on every instructor route.
    auth.login()
    assert client.get(f"/supervise/cohorts/{cohort}/instructors").status_code == 403
    assert (
        client.post(
            f"/supervise/cohorts/{cohort}/hand-over", data={"username": "trainee", "confirm": "yes"}
        ).status_code
        == 403
    )
    auth.logout()
    # Another supervisor's cohort: 404 (not confirmed to exist), and nothing changes.
    auth.login("supervisor")
    assert client.get(f"/supervise/cohorts/{theirs}/instructors").status_code == 404
    stolen = client.post(
        f"/supervise/cohorts/{theirs}/hand-over", data={"username": "supervisor", "confirm": "yes"}
    )
    assert stolen.status_code == 404
    assert (
        client.post(
            f"/supervise/cohorts/{theirs}/instructors", data={"username": "supervisor"}
        ).status_code
        == 404
    )
    with app.app_context():
        assert db.session.get(Cohort, theirs).supervisor.username == "stranger"
    assert _actions(app) == []


def test_bad_hand_over_input_is_a_clear_400(app, client, auth, users):
    cohort, _, _ = _setup(app, users)
    auth.login("supervisor")
    url = f"/supervise/cohorts/{cohort}/hand-over"
    for data, message in (
        ({"username": "", "confirm": "yes"}, "Give the username"),
        ({"username": "colleague"}, "Tick the box"),
        ({"username": "nobody-here", "confirm": "yes"}, "No active supervisor has that username"),
        ({"username": "trainee", "confirm": "yes"}, "No active supervisor has that username"),
        ({"username": "supervisor", "confirm": "yes"}, "already owns"),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 400, data
        assert message in response.text, data
    bad_remove = client.post(
        f"/supervise/cohorts/{cohort}/instructors/remove", data={"user_id": "abc"}
    )
    assert bad_remove.status_code == 400
    not_one = client.post(
        f"/supervise/cohorts/{cohort}/instructors/remove", data={"user_id": str(users["admin"])}
    )
    assert not_one.status_code == 400 and "does not co-instruct" in not_one.text
    with app.app_context():
        assert db.session.get(Cohort, cohort).supervisor_id == users["supervisor"]
    assert _actions(app) == []


SECOND_TEACHER = Person("teacher-8", "Lee Park", "lpark@college.example.edu", [INSTRUCTOR])


def test_a_second_lti_instructor_becomes_a_co_instructor(world: World) -> None:  # noqa: F811
    _, first, _ = launch(world, TEACHER, deep_linking=True)
    assert first.status_code == 303
    browser, second, _ = launch(world, SECOND_TEACHER, deep_linking=True)
    assert second.status_code == 303 and second.headers["Location"].endswith("/lti/deep-link")
    with world.app.app_context():
        lee = db.session.scalar(select(User).join(LtiUser).where(LtiUser.subject == "teacher-8"))
        context = db.session.scalar(select(LtiContext))
        cohort = db.session.get(Cohort, context.cohort_id)
        assert cohort.supervisor.display_name == "Dana Reyes"  # the owner stays the owner
        rows = db.session.scalars(select(CohortInstructor)).all()
        assert [(r.cohort_id, r.user_id) for r in rows] == [(cohort.id, lee.id)]
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "cohort.instructor_add")
        )
        assert event.actor_id == lee.id and "LTI instructor launch" in event.detail
    # The co-instructor reaches the course's cohort report through the one rule.
    page = browser.get(f"{world.tool}/supervise/cohorts/{cohort.id}/report", timeout=30)
    assert page.status_code == 200
    # A second launch adds nothing twice.
    launch(world, SECOND_TEACHER, browser, deep_linking=True)
    with world.app.app_context():
        assert len(db.session.scalars(select(CohortInstructor)).all()) == 1
