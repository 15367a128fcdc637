"""Onboarding (issue 14): `trainer demo --force`, a busy port, the demo's sign-in page."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import User
from trainer.services.accounts import create_user
from trainer.services.demo import DEMO_LOGINS


@pytest.fixture
def no_exec(monkeypatch):  # type: ignore[no-untyped-def]
    """Record the gunicorn command instead of replacing the test process with it."""
    calls: list[list[str]] = []
    monkeypatch.setattr("trainer.cli.os.execv", lambda path, args: calls.append(args))
    return calls


@pytest.fixture
def busy_port():  # type: ignore[no-untyped-def]
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_a_busy_port_says_so_and_names_the_option(app, no_exec, busy_port, command):
    result = app.test_cli_runner().invoke(args=[command, "--port", str(busy_port)])
    assert result.exit_code == 1
    assert f"Port {busy_port} on 127.0.0.1 is already in use" in result.output
    assert f"--port {busy_port + 1}" in result.output
    assert "Traceback" not in result.output
    assert no_exec == []  # gunicorn was never started


def _count_users(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count(User.id))) or 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_demo_force_asks_then_reseeds_from_scratch(app, no_exec):
    port = str(_free_port())
    runner = app.test_cli_runner()
    with app.app_context():
        create_user("realcoder", "a-long-real-password", "trainee", "Real Coder")
    refused = runner.invoke(args=["demo", "--force", "--port", port], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    assert "deletes every table" in refused.output and "1 account(s)" in refused.output
    assert _count_users(app) == 1  # nothing was deleted
    done = runner.invoke(args=["demo", "--force", "--port", port], input="y\n")
    assert done.exit_code == 0, done.output
    assert "Database emptied" in done.output and "trainee-demo-2026" in done.output
    with app.app_context():
        names = set(db.session.scalars(select(User.username)))
    assert "realcoder" not in names and {u for _, u, _ in DEMO_LOGINS} <= names
    assert len(no_exec) == 1 and "gunicorn" in no_exec[0][0]
    client = app.test_client()
    response = client.post(
        "/auth/login", data={"username": "trainee", "password": "trainee-demo-2026"}
    )
    assert response.status_code == 302
    client.post("/auth/logout")
    # The sign-in page of the seeded demo shows its log-ins.
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Demo log-ins" in page
    for _, username, password in DEMO_LOGINS:
        assert username in page and password in page


def test_the_sign_in_page_of_real_data_shows_no_demo_log_ins(app, users):
    # Accounts named like the demo ones, but not the demo's marked accounts.
    with app.app_context():
        create_user("admin2", "a-long-real-password", "admin", email="admin@hospital.example")
    page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert "Demo log-ins" not in page
    assert "admin-demo-2026" not in page


def test_a_renamed_demo_account_stops_showing(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        admin.email = "it@hospital.example"  # the demo became a real install
        db.session.commit()
    page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert "admin-demo-2026" not in page
    assert "trainee-demo-2026" in page
