"""Cohorts: create, join by code, import from CSV (all or nothing), move trainees."""

from __future__ import annotations

from sqlalchemy import select

from trainer.extensions import db
from trainer.models import Cohort, CohortMember, User


def _cohort_named(app, name: str) -> Cohort:  # type: ignore[no-untyped-def]
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == name))
        db.session.expunge(cohort)
        return cohort


def test_create_join_and_move(app, client, auth, users):
    auth.login("supervisor")
    assert client.post("/supervise/cohorts", data={"name": "Day class"}).status_code == 303
    assert client.post("/supervise/cohorts", data={"name": "Night class"}).status_code == 303
    assert client.post("/supervise/cohorts", data={"name": ""}).status_code == 400
    day, night = _cohort_named(app, "Day class"), _cohort_named(app, "Night class")
    auth.logout()
    auth.login()
    assert client.post("/assignments/join", data={"code": "nope"}).status_code == 400
    assert client.post("/assignments/join", data={"code": day.join_code.lower()}).status_code == 303
    auth.logout()
    auth.login("supervisor")
    assert "Day class" in client.get("/supervise/").get_data(as_text=True)
    response = client.post(
        "/supervise/cohorts/move", data={"user_id": users["trainee"], "cohort_id": night.id}
    )
    assert response.status_code == 303
    with app.app_context():
        member = db.session.scalar(
            select(CohortMember).where(CohortMember.user_id == users["trainee"])
        )
        assert member.cohort_id == night.id
    assert (
        client.post(
            "/supervise/cohorts/move", data={"user_id": "x", "cohort_id": night.id}
        ).status_code
        == 400
    )


def test_csv_import_creates_accounts_with_targets(app, client, auth, users):
    auth.login("supervisor")
    client.post("/supervise/cohorts", data={"name": "Imported"})
    cohort = _cohort_named(app, "Imported")
    rows = (
        "name,email,targets\nAlex Rivera,alex.rivera@example.org,orthopaedics=97\n"
        "Sam Lee,sam@example.org\n"
    )
    response = client.post(f"/supervise/cohorts/{cohort.id}/import", data={"rows": rows})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "alex.rivera" in page and "2 trainee(s) added" in page
    with app.app_context():
        alex = db.session.scalar(select(User).where(User.username == "alex.rivera"))
        member = db.session.scalar(select(CohortMember).where(CohortMember.user_id == alex.id))
        assert member.cohort_id == cohort.id and member.targets == {"orthopaedics": 0.97}


def test_a_bad_csv_row_changes_nothing(app, client, auth, users):
    auth.login("supervisor")
    client.post("/supervise/cohorts", data={"name": "Strict"})
    cohort = _cohort_named(app, "Strict")
    with app.app_context():
        before = db.session.scalar(select(db.func.count(User.id)))
    for rows in (
        "Good Name,good@example.org\nno email here\n",
        "A,a@example.org,astrology=97\n",
        "A,a@example.org,orthopaedics=120\n",
        "",
    ):
        response = client.post(f"/supervise/cohorts/{cohort.id}/import", data={"rows": rows})
        assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == before


def test_cohort_table_exports_to_csv(app, client, auth, users):
    from tests.web.test_practice import form_for, key_of, start_chart

    auth.login("supervisor")
    client.post("/supervise/cohorts", data={"name": "Export"})
    cohort = _cohort_named(app, "Export")
    auth.logout()
    auth.login()
    client.post("/assignments/join", data={"code": cohort.join_code})
    attempt_id = start_chart(client)
    client.post(f"/practice/attempt/{attempt_id}/submit", data=form_for(key_of(app, attempt_id)))
    auth.logout()
    auth.login("supervisor")
    response = client.get(f"/supervise/cohorts/{cohort.id}/report.csv")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("trainee,username,specialty,charts")
    assert ",trainee,orthopaedics,1,1," in lines[1]
