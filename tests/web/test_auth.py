"""Log-in, log-out, throttling, role guards and cookie flags."""

import pytest

from trainer.services.accounts import AccountError, create_user


def test_login_page_renders(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert b"Sign in" in response.data


def test_pages_need_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_good_login_then_logout(client, auth):
    response = auth.login()
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302


def test_wrong_password_is_401_with_a_message(client, auth):
    response = auth.login(password="nope-nope-nope")
    assert response.status_code == 401
    assert b"Unknown username or wrong password" in response.data


def test_repeated_failures_make_this_address_wait(client, auth, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(password="wrong-password")
    response = auth.login()  # this address waits before even the right password is checked
    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.data


def test_empty_login_form_is_400(client, users):
    response = client.post("/auth/login", data={})
    assert response.status_code == 400


def test_next_parameter_cannot_redirect_off_site(client, users):
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"username": "trainee", "password": "correct-horse-battery"},
    )
    assert response.headers["Location"] == "/"


def test_session_cookie_is_httponly_and_lax(client, auth):
    response = auth.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_form_has_csrf_protection(csrf_app):
    with csrf_app.app_context():
        create_user("trainee", "correct-horse-battery")
    client = csrf_app.test_client()
    response = client.post(
        "/auth/login", data={"username": "trainee", "password": "correct-horse-battery"}
    )
    assert response.status_code == 400
    assert b"form expired" in response.data


def test_usernames_are_unique_case_insensitively(app, users):
    with app.app_context(), pytest.raises(AccountError):
        create_user("TRAINEE", "another-password")


def test_short_passwords_are_refused(app):
    with app.app_context(), pytest.raises(AccountError):
        create_user("newbie", "short")


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "boss", "--password", "a-long-password"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["create-admin", "boss", "--password", "a-long-password"])
    assert again.exit_code != 0 and "taken" in again.output


def test_trainees_cannot_open_supervisor_pages(client, auth):
    auth.login("trainee")
    assert client.get("/supervise/").status_code == 403


def test_supervisors_see_their_cohorts(client, auth):
    auth.login("supervisor")
    response = client.get("/supervise/")
    assert response.status_code == 200
    assert b"You run no cohorts yet" in response.data


def test_oversized_and_non_utf8_logins_are_400(client, users):
    response = client.post("/auth/login", data={"username": "x" * 10_000, "password": "y"})
    assert response.status_code == 400
    response = client.post(
        "/auth/login",
        data=b"username=%FF%FE&password=%80%81",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (400, 401)
    assert b"Traceback" not in response.data
