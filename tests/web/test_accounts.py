"""Password change and reset, the forced change of a set password, and ending every session."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.extensions import db
from trainer.models import Cohort, CohortMember, User
from trainer.services.accounts import AccountError, create_user

NEW_PASSWORD = "lantern-quarry-velvet"


def _login(client, username="trainee", password=PASSWORD, remember=False):  # type: ignore[no-untyped-def]
    data = {"username": username, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/auth/login", data=data)


def _change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):  # type: ignore[no-untyped-def]
    return client.post(
        "/account/password",
        data={"current": current, "new": new, "confirm": confirm if confirm is not None else new},
    )


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/").status_code == 200


def _place(app, trainee_id: int, supervisor_id: int, name: str = "Day") -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        cohort = Cohort(name=name, supervisor_id=supervisor_id, join_code=name.upper()[:8])
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=trainee_id))
        db.session.commit()
        return cohort.id


# --- the password rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["password1", "12345678", "qwertyuiop", "Password123!", "iloveyou", "aaaaaaaa", "trainer123"],
)
def test_common_and_patterned_passwords_are_refused(app, password):
    with app.app_context(), pytest.raises(AccountError):
        create_user("newbie", password)


def test_length_boundaries_follow_nist(app):
    from trainer.services.passwords import password_problem

    assert "at least 8" in password_problem("x7#Qp!2")  # 7 characters
    assert password_problem("x7#Qp!2z") is None  # 8 characters, random
    long_phrase = "a long passphrase about quiet harbours and copper kettles " * 2
    assert len(long_phrase) > 64 and password_problem(long_phrase[:128]) is None
    assert "at most 128" in password_problem("k" * 60 + "x7#Qp!2z" * 9)
    assert password_problem("Dimanche à Montréal, café noir") is None  # Unicode is allowed


def test_a_password_built_from_the_username_is_refused(app):
    from trainer.services.passwords import password_problem

    assert password_problem("jordan.mills1", ["jordan.mills"]) is not None
    with app.app_context(), pytest.raises(AccountError):
        create_user("jordan.mills", "jordan.mills1")


# --- changing one's password -------------------------------------------------------------


def test_password_change_needs_the_current_password_and_a_good_new_one(app, client, auth):
    auth.login()
    assert client.get("/account/password").status_code == 200
    wrong = _change(client, current="not-my-password")
    assert wrong.status_code == 400 and b"current password is not right" in wrong.data
    common = _change(client, new="password1")
    assert common.status_code == 400 and b"common" in common.data.lower()
    assert _change(client, confirm="something-else-entirely").status_code == 400
    assert _change(client).status_code == 303
    fresh = app.test_client()
    assert _login(fresh, password=PASSWORD).status_code == 401
    assert _login(fresh, password=NEW_PASSWORD).status_code == 302


def test_password_change_signs_out_every_other_session_and_remember_cookie(app, users):
    changer, other, remembered = app.test_client(), app.test_client(), app.test_client()
    _login(changer)
    _login(other)
    _login(remembered, remember=True)
    cookie = remembered.get_cookie("remember_token")
    assert cookie is not None
    by_cookie = app.test_client()
    by_cookie.set_cookie("remember_token", cookie.value)
    assert _signed_in(by_cookie)  # the remember-me cookie alone signs in, before the change

    assert _change(changer).status_code == 303
    assert _signed_in(changer)  # the client that changed it stays signed in
    assert not _signed_in(other)
    assert not _signed_in(remembered)
    replay = app.test_client()
    replay.set_cookie("remember_token", cookie.value)
    assert not _signed_in(replay)


def test_logout_ends_every_session_of_the_user(app, users):
    first, second, remembered = app.test_client(), app.test_client(), app.test_client()
    _login(first)
    _login(second)
    _login(remembered, remember=True)
    cookie = remembered.get_cookie("remember_token")
    assert _signed_in(second)
    first.post("/auth/logout")
    assert not _signed_in(second)
    replay = app.test_client()
    replay.set_cookie("remember_token", cookie.value)
    assert not _signed_in(replay)
    other_user = app.test_client()
    _login(other_user, "other")
    first_again = app.test_client()
    _login(first_again)
    first_again.post("/auth/logout")
    assert _signed_in(other_user)  # another user's sessions are untouched


# --- resets by a supervisor or administrator, and the forced change ----------------------


def test_supervisor_resets_own_trainee_who_must_change_at_next_sign_in(app, client, users):
    _place(app, users["trainee"], users["supervisor"])
    trainee_client = app.test_client()
    _login(trainee_client)
    _login(client, "supervisor")
    page = client.post(f"/supervise/trainees/{users['trainee']}/reset-password")
    assert page.status_code == 200
    with app.app_context():
        temporary = _temporary_from(page.get_data(as_text=True))
    assert not _signed_in(trainee_client)  # the reset ended the trainee's sessions
    assert _login(trainee_client, password=PASSWORD).status_code == 401

    response = _login(trainee_client, password=temporary)
    assert response.headers["Location"].endswith("/account/password")
    for path in ("/", "/progress/", "/assignments/", "/lookup/"):
        blocked = trainee_client.get(path)
        assert blocked.status_code == 302 and blocked.headers["Location"].endswith(
            "/account/password"
        ), path
    api = trainee_client.get("/api/v1/codes/validate?code=M17.11&kind=icd10cm&dos=2026-03-02")
    assert api.status_code == 403
    assert b"Choose your own password" in trainee_client.get("/account/password").data
    assert _change(trainee_client, current=temporary).status_code == 303
    assert _signed_in(trainee_client)
    with app.app_context():
        assert db.session.get(User, users["trainee"]).must_change_password is False


def _temporary_from(page: str) -> str:
    import re

    match = re.search(r"<p><code>([^<]+)</code></p>", page)
    assert match, page
    return match.group(1)


def test_api_tokens_work_while_a_password_change_is_due(app, client, users):
    runner = app.test_cli_runner()
    token = runner.invoke(args=["create-token", "trainee"]).output.strip()
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        user.must_change_password = True
        db.session.commit()
    response = client.get(
        "/api/v1/codes/validate?code=M17.11&kind=icd10cm&dos=2026-03-02",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200


def test_reset_needs_a_supervisor_of_the_trainees_cohort(app, client, users):
    _place(app, users["trainee"], users["supervisor"])
    with app.app_context():
        create_user("stranger", PASSWORD, "supervisor")
    url = f"/supervise/trainees/{users['trainee']}/reset-password"
    _login(client, "other")  # wrong role: a trainee
    assert client.post(url).status_code == 403
    stranger = app.test_client()
    _login(stranger, "stranger")  # wrong cohort: another supervisor
    assert stranger.post(url).status_code == 404
    assert (
        stranger.post(f"/supervise/trainees/{users['supervisor']}/reset-password").status_code
        == 404
    )
    admin = app.test_client()
    _login(admin, "admin")
    assert admin.post(url).status_code == 200
    assert admin.post(f"/supervise/trainees/{users['admin']}/reset-password").status_code == 404
    with app.app_context():
        assert db.session.get(User, users["trainee"]).must_change_password is True
        assert db.session.get(User, users["supervisor"]).must_change_password is False


def test_an_imported_account_must_change_its_first_password(app, client, users):
    cohort_id = _place(app, users["other"], users["supervisor"])
    _login(client, "supervisor")
    page = client.post(
        f"/supervise/cohorts/{cohort_id}/import", data={"rows": "Alex Rivera,alex@example.org\n"}
    ).get_data(as_text=True)
    import re

    first = re.search(r"<code>alex</code></td><td>created: new account</td><td><code>([^<]+)", page)
    assert first, page
    newcomer = app.test_client()
    response = _login(newcomer, "alex", first.group(1))
    assert response.headers["Location"].endswith("/account/password")
    assert newcomer.get("/").headers["Location"].endswith("/account/password")
    with app.app_context():
        alex = db.session.scalar(select(User).where(User.username == "alex"))
        assert alex.must_change_password is True


def test_guessing_the_current_password_through_the_change_form_is_limited(app, client, auth):
    auth.login()
    for n in range(10):
        assert _change(client, current=f"guess-number-{n}").status_code == 400
    assert _change(client).status_code == 429  # even the right one, for this hour
    other = app.test_client()
    _login(other, "other")
    assert _change(other).status_code == 303  # the limit is this user's only
