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


def _import(client, cohort_id: int, rows: str):  # type: ignore[no-untyped-def]
    return client.post(f"/supervise/cohorts/{cohort_id}/import", data={"rows": rows})


def _accounts_with_email(app, email: str) -> list[User]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(db.session.scalars(select(User).where(User.email == email)))


def test_reimporting_an_email_updates_that_trainee_and_never_makes_a_second_account(
    app, client, auth, users
):
    auth.login("supervisor")
    client.post("/supervise/cohorts", data={"name": "Day"})
    client.post("/supervise/cohorts", data={"name": "Night"})
    day, night = _cohort_named(app, "Day"), _cohort_named(app, "Night")
    assert _import(client, day.id, "Alex Rivera,alex@example.org\n").status_code == 200
    with app.app_context():
        first_hash = db.session.scalar(select(User.password_hash).where(User.username == "alex"))
    again = _import(client, day.id, "Alexandra Rivera,ALEX@example.org,orthopaedics=96\n")
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "0 trainee(s) added" in page and "updated: name and targets updated" in page
    [alex] = _accounts_with_email(app, "alex@example.org")
    assert alex.display_name == "Alexandra Rivera"
    assert alex.password_hash == first_hash  # re-importing never resets a password
    moved = _import(client, night.id, "Alex Rivera,alex@example.org\n").get_data(as_text=True)
    assert "moved: moved from another cohort" in moved
    with app.app_context():
        member = db.session.scalar(select(CohortMember).where(CohortMember.user_id == alex.id))
        assert member.cohort_id == night.id and member.targets == {"orthopaedics": 0.96}
    assert len(_accounts_with_email(app, "alex@example.org")) == 1


def test_reimport_skips_accounts_it_may_not_change_and_says_why(app, client, auth, users):
    from trainer.services.accounts import create_user

    with app.app_context():
        create_user("stranger", "correct-horse-battery", "supervisor")
        stranger = db.session.scalar(select(User).where(User.username == "stranger"))
        theirs = Cohort(name="Theirs", supervisor_id=stranger.id, join_code="THEIRS01")
        db.session.add(theirs)
        db.session.flush()
        kim = db.session.get(User, users["other"])
        kim.email = "kim@example.org"
        db.session.add(CohortMember(cohort_id=theirs.id, user_id=kim.id))
        db.session.get(User, users["admin"]).email = "boss@example.org"
        db.session.commit()
    auth.login("supervisor")
    client.post("/supervise/cohorts", data={"name": "Mine"})
    mine = _cohort_named(app, "Mine")
    page = _import(
        client, mine.id, "Kim,kim@example.org\nBoss,boss@example.org\nNew Person,new@example.org\n"
    ).get_data(as_text=True)
    assert "skipped: in another supervisor&#39;s cohort" in page
    assert "skipped: not a trainee account" in page
    assert "1 trainee(s) added" in page
    with app.app_context():
        member = db.session.scalar(
            select(CohortMember).where(CohortMember.user_id == users["other"])
        )
        assert member.cohort.name == "Theirs"
        assert db.session.get(User, users["other"]).display_name == "other"
    assert len(_accounts_with_email(app, "kim@example.org")) == 1


def test_a_repeated_email_within_one_csv_is_refused(app, client, auth, users):
    auth.login("supervisor")
    client.post("/supervise/cohorts", data={"name": "Twice"})
    cohort = _cohort_named(app, "Twice")
    response = _import(client, cohort.id, "A,a@example.org\nB,A@example.org\n")
    assert response.status_code == 400 and b"also in row 1" in response.data
    assert _accounts_with_email(app, "a@example.org") == []


def test_an_import_is_one_transaction(app, client, auth, users, monkeypatch):
    """A failure while writing row 3 leaves no account from rows 1 and 2."""
    from trainer.services import cohort_import
    from trainer.services.accounts import AccountError

    real_add_user, calls = cohort_import.add_user, []

    def failing_on_third(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[1])
        if len(calls) == 3:
            raise AccountError("The database refused row 3.")
        return real_add_user(*args, **kwargs)

    monkeypatch.setattr(cohort_import, "add_user", failing_on_third)
    auth.login("supervisor")
    client.post("/supervise/cohorts", data={"name": "Atomic"})
    cohort = _cohort_named(app, "Atomic")
    with app.app_context():
        before = db.session.scalar(select(db.func.count(User.id)))
    rows = "A,a@example.org\nB,b@example.org\nC,c@example.org\n"
    response = _import(client, cohort.id, rows)
    assert response.status_code == 400 and b"refused row 3" in response.data
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == before
        assert db.session.scalar(select(db.func.count(CohortMember.id))) == 0
