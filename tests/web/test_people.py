"""People and roles: administrators create, re-role and deactivate accounts (browser and CLI);
supervisors add and remove their own cohorts' trainees; every change is in the audit log."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Attempt, AuditEvent, Cohort, CohortMember, User
from trainer.services.accounts import create_user
from trainer.services.practice import start_attempt, submit_attempt, variant_of


def _user(app, username: str) -> User:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def _actions(app) -> list[tuple[str | None, str, int | None]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (e.actor.username if e.actor else None, e.action, e.target_id)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_admin_creates_an_account_with_a_one_time_password(app, client, auth, users):
    auth.login("admin")
    response = client.post(
        "/admin/users",
        data={
            "username": "Dana.Sup",
            "display_name": "Dana",
            "role": "supervisor",
            "generate": "y",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    password = page.split('id="created-password"', 1)[1].split("<code>", 1)[1].split("<", 1)[0]
    assert len(password) >= 16
    dana = _user(app, "dana.sup")
    assert dana.role == "supervisor" and dana.must_change_password
    assert ("admin", "user.create", dana.id) in _actions(app)
    # Shown once: the list page does not carry it again.
    assert password not in client.get("/admin/users").get_data(as_text=True)
    auth.logout()
    assert auth.login("dana.sup", password).headers["Location"].endswith("/account/password")


def test_create_refuses_bad_input_with_400(app, client, auth, users):
    auth.login("admin")
    cases = [
        {"username": "", "role": "trainee", "generate": "y"},
        {"username": "trainee", "role": "trainee", "generate": "y"},  # taken
        {"username": "x y", "role": "trainee", "generate": "y"},
        {"username": "newbie", "role": "overlord", "generate": "y"},
        {"username": "newbie", "role": "trainee"},  # neither a password nor generate
        {"username": "newbie", "role": "trainee", "password": "password"},  # guessable
    ]
    for data in cases:
        assert client.post("/admin/users", data=data).status_code == 400, data
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "newbie")) is None
    ok = {"username": "newbie", "role": "trainee", "password": "violet-harbour-lantern-93"}
    assert client.post("/admin/users", data=ok).status_code == 303
    assert not _user(app, "newbie").must_change_password


def test_only_administrators_manage_accounts(app, client, auth, users):
    for who in ("trainee", "supervisor"):
        auth.login(who)
        assert client.get("/admin/users").status_code == 403
        assert client.get("/admin/audit").status_code == 403
        assert client.get("/admin/audit.csv").status_code == 403
        data = {"username": "sneaky", "role": "admin", "generate": "y"}
        assert client.post("/admin/users", data=data).status_code == 403
        target = users["other"]
        assert client.post(f"/admin/users/{target}/role", data={"role": "admin"}).status_code == 403
        assert client.post(f"/admin/users/{target}/active", data={"active": "0"}).status_code == 403
        auth.logout()
    assert _user(app, "other").role == "trainee" and _user(app, "other").active
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "sneaky")) is None


def test_deactivating_signs_the_user_out_and_stops_their_token(app, users):
    from trainer.services.tokens import create_token

    with app.app_context():
        token = create_token(db.session.get(User, users["trainee"]), "lms")
    trainee_client, admin_client = app.test_client(), app.test_client()
    trainee_client.post("/auth/login", data={"username": "trainee", "password": PASSWORD})
    assert trainee_client.get("/progress/").status_code == 200
    admin_client.post("/auth/login", data={"username": "admin", "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {token}"}
    assert trainee_client.get("/api/v1/codes/validate?code=M17.11", headers=bearer).status_code
    url = f"/admin/users/{users['trainee']}/active"
    assert admin_client.post(url, data={"active": "maybe"}).status_code == 400
    assert admin_client.post(url, data={"active": "0"}).status_code == 303
    assert "/auth/login" in trainee_client.get("/progress/").headers["Location"]
    fresh = app.test_client()
    assert (
        fresh.post("/auth/login", data={"username": "trainee", "password": PASSWORD}).status_code
        == 401
    )
    assert fresh.get("/api/v1/codes/validate?code=M17.11", headers=bearer).status_code == 401
    assert admin_client.post(url, data={"active": "1"}).status_code == 303
    assert (
        fresh.post("/auth/login", data={"username": "trainee", "password": PASSWORD}).status_code
        == 302
    )
    assert [a for _, a, t in _actions(app) if t == users["trainee"]] == [
        "user.deactivate",
        "user.activate",
    ]


def test_role_changes_keep_the_installation_manageable(app, client, auth, users):
    auth.login("admin")
    own = f"/admin/users/{users['admin']}"
    assert client.post(f"{own}/role", data={"role": "trainee"}).status_code == 400
    assert client.post(f"{own}/active", data={"active": "0"}).status_code == 400
    assert _user(app, "admin").role == "admin" and _user(app, "admin").active
    with app.app_context():
        db.session.add(Cohort(name="Running", supervisor_id=users["supervisor"], join_code="RUN1"))
        db.session.commit()
    sup = f"/admin/users/{users['supervisor']}/role"
    response = client.post(sup, data={"role": "trainee"})
    assert response.status_code == 400 and "runs 1 cohort" in response.get_data(as_text=True)
    assert client.post(sup, data={"role": "admin"}).status_code == 303
    assert client.post(sup, data={"role": ""}).status_code == 400
    assert client.post("/admin/users/999999/role", data={"role": "admin"}).status_code == 404
    assert _user(app, "supervisor").role == "admin"
    assert ("admin", "user.role", users["supervisor"]) in _actions(app)


def test_the_last_active_administrator_stays(app, users):
    from trainer.services.people import PeopleError, set_active, set_role

    with app.app_context():
        admin = db.session.get(User, users["admin"])
        for change in (
            lambda: set_role(None, admin, "supervisor"),
            lambda: set_active(None, admin, False),
        ):
            try:
                change()
            except PeopleError as exc:
                assert "last active administrator" in str(exc)
            else:
                raise AssertionError("the last administrator was removed")
        set_role(None, db.session.get(User, users["supervisor"]), "admin")
        set_active(None, admin, False)  # another admin exists now
        assert not db.session.get(User, users["admin"]).active


def test_cli_creates_users_and_changes_roles(app, users):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "Pat", "--role", "supervisor", "--generate-password"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.rsplit(": ", 1)[1].strip()
    pat = _user(app, "pat")
    assert pat.role == "supervisor" and pat.must_change_password
    client = app.test_client()
    assert (
        client.post("/auth/login", data={"username": "pat", "password": password}).status_code
        == 302
    )
    prompted = runner.invoke(
        args=["create-user", "quinn"],
        input="violet-harbour-lantern-93\nviolet-harbour-lantern-93\n",
    )
    assert prompted.exit_code == 0, prompted.output
    assert "One-time password" not in prompted.output
    assert not _user(app, "quinn").must_change_password and _user(app, "quinn").role == "trainee"
    weak = runner.invoke(args=["create-user", "rory"], input="password\npassword\n")
    assert weak.exit_code != 0 and "Choose a longer password" in weak.output
    assert runner.invoke(args=["create-user", "pat", "--generate-password"]).exit_code != 0
    assert runner.invoke(args=["set-role", "quinn", "admin"]).exit_code == 0
    assert runner.invoke(args=["deactivate-user", "quinn"]).exit_code == 0
    assert not _user(app, "quinn").active
    assert runner.invoke(args=["deactivate-user", "nobody"]).exit_code != 0
    logged = _actions(app)
    assert (None, "user.create", pat.id) in logged and (
        None,
        "user.deactivate",
        _user(app, "quinn").id,
    ) in logged


# -------------------------------------------------------------------- supervisors' trainees


def _cohorts(app, users) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """Two cohorts of 'supervisor' (the trainee in the first) and one of another supervisor."""
    with app.app_context():
        rival = create_user("rival", PASSWORD, "supervisor")
        made = [
            Cohort(name="Day", supervisor_id=users["supervisor"], join_code="DAY1"),
            Cohort(name="Night", supervisor_id=users["supervisor"], join_code="NIGHT1"),
            Cohort(name="Theirs", supervisor_id=rival.id, join_code="THEIRS1"),
        ]
        db.session.add_all(made)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=made[0].id, user_id=users["trainee"]))
        db.session.commit()
        return made[0].id, made[1].id, made[2].id


def test_supervisor_adds_moves_and_removes_trainees_keeping_history(app, client, auth, users):
    day, night, theirs = _cohorts(app, users)
    with app.app_context():
        create_user("outsider", PASSWORD)
        taken_id = create_user("taken", PASSWORD).id
        db.session.add(CohortMember(cohort_id=theirs, user_id=taken_id))
        db.session.commit()
        template = sorted(domain().library.templates.values(), key=lambda t: t.id)[0]
        attempt_id = start_attempt(users["trainee"], template, seed=3).id
        attempt = db.session.get(Attempt, attempt_id)
        submit_attempt(
            attempt.id, users["trainee"], variant_of(attempt).key.as_claim(), 30, domain().catalog
        )
    auth.login("supervisor")
    add = client.post(f"/supervise/cohorts/{night}/trainees", data={"username": "outsider"})
    assert add.status_code == 303
    refused = [
        client.post(f"/supervise/cohorts/{night}/trainees", data={"username": name})
        for name in ("taken", "nobody-here", "supervisor")
    ]
    assert [r.status_code for r in refused] == [400, 400, 400]
    messages = {
        r.get_data(as_text=True).count("No trainee with that username can be added")
        for r in refused
    }
    assert messages == {1}  # the same words whether or not the account exists
    assert (
        client.post(f"/supervise/cohorts/{night}/trainees", data={"username": ""}).status_code
        == 400
    )
    # Another supervisor's cohort is not confirmed to exist.
    assert (
        client.post(
            f"/supervise/cohorts/{theirs}/trainees", data={"username": "outsider"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/supervise/cohorts/{theirs}/remove", data={"user_id": taken_id}).status_code
        == 404
    )
    # Moving in from their other cohort: the charts stay with the cohort they were coded in.
    assert (
        client.post(
            f"/supervise/cohorts/{night}/trainees", data={"username": "trainee"}
        ).status_code
        == 303
    )
    with app.app_context():
        assert (
            db.session.scalar(
                select(CohortMember.cohort_id).where(CohortMember.user_id == users["trainee"])
            )
            == night
        )
        assert db.session.get(Attempt, attempt_id).cohort_id == day
    assert (
        client.post(f"/supervise/cohorts/{night}/remove", data={"user_id": "x"}).status_code == 400
    )
    assert (
        client.post(
            f"/supervise/cohorts/{day}/remove", data={"user_id": users["trainee"]}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/supervise/cohorts/{night}/remove", data={"user_id": users["trainee"]}
        ).status_code
        == 303
    )
    with app.app_context():
        assert (
            db.session.scalar(select(CohortMember).where(CohortMember.user_id == users["trainee"]))
            is None
        )
        kept = db.session.get(Attempt, attempt_id)
        assert kept.status == "submitted" and kept.cohort_id == day
    logged = [(a, t) for who, a, t in _actions(app) if who == "supervisor"]
    assert logged == [
        ("cohort.add", _user(app, "outsider").id),
        ("cohort.move", users["trainee"]),
        ("cohort.remove", users["trainee"]),
    ]
    auth.logout()
    # Out of every cohort, the trainee still practises on their own.
    auth.login("trainee")
    assert client.get("/progress/").status_code == 200
    started = client.post("/practice/start", data={"specialty": "orthopaedics"})
    assert started.status_code in (302, 303) and "/practice/attempt/" in started.headers["Location"]


def test_trainees_cannot_manage_cohort_members(app, client, auth, users):
    day, night, _ = _cohorts(app, users)
    auth.login("other")
    assert (
        client.post(f"/supervise/cohorts/{day}/trainees", data={"username": "other"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/supervise/cohorts/{day}/remove", data={"user_id": users["trainee"]}
        ).status_code
        == 403
    )


def test_audit_log_page_filter_and_csv_export(app, client, auth, users):
    day, night, _ = _cohorts(app, users)
    auth.login("supervisor")
    client.post("/supervise/cohorts/move", data={"user_id": users["trainee"], "cohort_id": night})
    client.post(f"/supervise/trainees/{users['trainee']}/reset-password")
    auth.logout()
    auth.login("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "cohort.move" in page and "user.password_reset" in page
    only = client.get("/admin/audit?action=cohort.move").get_data(as_text=True)
    assert "cohort.move" in only and "<td>user.password_reset</td>" not in only
    assert client.get("/admin/audit?page=abc").status_code == 400
    export = client.get("/admin/audit.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0] == ["id", "at", "actor", "action", "target_type", "target_id", "detail"]
    assert [r[2:4] for r in rows[1:]] == [
        ["supervisor", "cohort.move"],
        ["supervisor", "user.password_reset"],
    ]
    assert rows[1][6] == f"cohort {day} -> {night}"
