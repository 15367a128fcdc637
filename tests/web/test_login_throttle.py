"""Login throttling slows guessing but never locks the real user out; join codes too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.conftest import PASSWORD, make_app
from trainer.extensions import db
from trainer.models import Cohort, LoginFailure, User, utcnow
from trainer.services.accounts import create_user

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def _try(client, password, username="trainee", where=ATTACKER):  # type: ignore[no-untyped-def]
    return client.post(
        "/auth/login",
        data={"username": username, "password": password},
        environ_base=where,
    )


def test_hammering_an_account_never_refuses_its_owner_elsewhere(app, client, users):
    statuses = {_try(client, f"guess-{n}-wrong").status_code for n in range(30)}
    assert 429 in statuses  # the attacker is slowed down
    owner = app.test_client()
    assert _try(owner, PASSWORD, where=OWNER).status_code == 302


def _record_failures(app, count: int, where=ATTACKER) -> None:  # type: ignore[no-untyped-def]
    """``count`` failed tries on the trainee's account from one address, all just now."""
    with app.app_context():
        db.session.add_all(
            LoginFailure(username="trainee", remote_addr=where["REMOTE_ADDR"], at=utcnow())
            for _ in range(count)
        )
        db.session.commit()


@pytest.mark.parametrize(
    ("failures", "wait"), [(4, 0), (5, 1), (6, 2), (7, 4), (10, 32), (40, 900)]
)
def test_the_wait_doubles_after_the_free_failures_up_to_its_cap(app, users, failures, wait):
    from trainer.services.login_throttle import ThrottleRule, wait_seconds

    _record_failures(app, failures)
    with app.app_context():
        got = wait_seconds("trainee", ATTACKER["REMOTE_ADDR"], ThrottleRule(5, 15, 900))
        other = wait_seconds("trainee", OWNER["REMOTE_ADDR"], ThrottleRule(5, 15, 900))
    assert wait - 1 <= got <= wait and other == 0


def test_while_backing_off_even_the_right_password_waits_then_gets_in(app, client, users):
    _record_failures(app, 8)  # the ninth try must wait 8 s
    refused = _try(client, PASSWORD)
    assert refused.status_code == 429 and refused.headers["Retry-After"] in ("7", "8")
    assert b"Try again in" in refused.data
    _age_failures(app, seconds=9)
    assert _try(client, PASSWORD).status_code == 302


def _age_failures(app, seconds: int) -> None:  # type: ignore[no-untyped-def]
    """Move the recorded failures into the past, as if the attacker had waited."""
    with app.app_context():
        for row in db.session.scalars(db.select(LoginFailure)):
            row.at = row.at - timedelta(seconds=seconds)
        db.session.commit()


def test_failures_older_than_the_window_are_forgotten(app, client, users):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _try(client, "wrong-password-here")
    with app.app_context():
        window = timedelta(minutes=app.config["LOGIN_FAILURE_WINDOW_MINUTES"] + 1)
        db.session.execute(update(LoginFailure).values(at=LoginFailure.at - window))
        db.session.commit()
    assert _try(client, PASSWORD).status_code == 302


@pytest.fixture
def strict_app(tmp_path, migrated_sqlite, codeset_index):  # type: ignore[no-untyped-def]
    application = make_app(
        tmp_path,
        migrated_sqlite,
        codeset_index,
        LOGIN_ADDRESS_LIMIT="4 per minute",
        JOIN_CODE_LIMIT="3 per minute",
    )
    with application.app_context():
        for name in ("trainee", "other", "supervisor"):
            create_user(name, PASSWORD, "supervisor" if name == "supervisor" else "trainee")
    yield application
    with application.app_context():
        db.engine.dispose()


def test_one_address_guessing_many_accounts_is_limited(strict_app):
    client = strict_app.test_client()
    for n in range(4):
        assert _try(client, "wrong-password-here", username=f"user{n}").status_code == 401
    limited = _try(client, "wrong-password-here", username="user9")
    assert limited.status_code == 429
    assert b"from this address" in limited.data
    elsewhere = strict_app.test_client()
    assert _try(elsewhere, PASSWORD, where=OWNER).status_code == 302


def test_successful_sign_ins_from_one_address_are_not_limited(strict_app):
    """A classroom behind one NAT signs in at the start of an exam."""
    for _ in range(8):
        client = strict_app.test_client()
        assert _try(client, PASSWORD, where=OWNER).status_code == 302


def test_join_code_guessing_is_throttled(strict_app):
    with strict_app.app_context():
        supervisor = db.session.scalar(db.select(User).where(User.username == "supervisor"))
        db.session.add(Cohort(name="Day", supervisor_id=supervisor.id, join_code="RIGHT123"))
        db.session.commit()

    def join(client, code):  # type: ignore[no-untyped-def]
        return client.post("/assignments/join", data={"code": code}, environ_base=OWNER)

    client = strict_app.test_client()
    _try(client, PASSWORD, where=OWNER)
    for code in ("AAAA0001", "AAAA0002", "AAAA0003"):
        assert join(client, code).status_code == 400
    assert join(client, "AAAA0004").status_code == 429
    assert join(client, "RIGHT123").status_code == 429  # this user waits, however good the code
    other = strict_app.test_client()
    _try(other, PASSWORD, username="other", where=OWNER)
    assert join(other, "RIGHT123").status_code == 303  # same address, another user


def test_behind_a_reverse_proxy_the_forwarded_address_is_throttled(
    tmp_path, migrated_sqlite, codeset_index
):
    """Without PROXY_COUNT every request would come from the proxy's address, and an attacker
    would lock everyone out; with it, the client's own address counts."""
    proxied = make_app(tmp_path, migrated_sqlite, codeset_index, PROXY_COUNT=1)
    with proxied.app_context():
        create_user("trainee", PASSWORD)
    proxy = {"REMOTE_ADDR": "127.0.0.1"}

    def via_proxy(client, password, client_address):  # type: ignore[no-untyped-def]
        return client.post(
            "/auth/login",
            data={"username": "trainee", "password": password},
            environ_base=proxy,
            headers={"X-Forwarded-For": client_address},
        )

    attacker = proxied.test_client()
    statuses = {via_proxy(attacker, f"guess-{n}", "203.0.113.66").status_code for n in range(12)}
    assert 429 in statuses
    owner = proxied.test_client()
    assert via_proxy(owner, PASSWORD, "198.51.100.7").status_code == 302
    with proxied.app_context():
        addresses = set(db.session.scalars(db.select(LoginFailure.remote_addr)))
        db.engine.dispose()
    assert addresses == {"203.0.113.66"}
