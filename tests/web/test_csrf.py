"""Every state-changing browser route refuses a request without the CSRF token.

There is one mechanism: Flask-WTF's global ``CSRFProtect``, which checks every POST before the
view runs. No view checks the token itself, so a route that is exempted, or a protection that
is switched off, fails these tests rather than falling back on a per-view check.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from tests.web.test_practice import form_for, key_of
from tests.web.test_route_matrix import POLICY
from trainer.extensions import db
from trainer.models import Attempt, User
from trainer.services.accounts import create_user

PASSWORD = "correct-horse-battery"
# An LMS posts these from its own site (OIDC login initiation, the id_token form post), so a
# CSRF token cannot exist; the OIDC state cookie, the nonce and the id_token signature stand in.
LTI_PROTOCOL = {"/lti/login", "/lti/launch"}

API_PREFIX = "/api/"


def test_lti_protocol_posts_need_a_verified_launch(csrf_app):
    """Without a registered issuer, a state the tool issued and a signed id_token, nothing
    happens: no account, no session."""
    client = csrf_app.test_client()
    login = client.post("/lti/login", data={"iss": "https://evil.example", "login_hint": "x"})
    assert login.status_code == 400
    launch = client.post("/lti/launch", data={"id_token": "a.b.c", "state": "s"})
    assert launch.status_code == 400
    assert client.get("/progress/").status_code == 302  # still signed out


def _signed_in(app, username: str = "trainee"):  # type: ignore[no-untyped-def]
    with app.app_context():
        create_user(username, PASSWORD)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/auth/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client, token


def test_every_form_post_in_the_route_matrix_needs_the_csrf_token(csrf_app):
    client, _ = _signed_in(csrf_app)
    posts = {
        rule.endpoint: rule
        for rule in csrf_app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
        and not rule.rule.startswith(API_PREFIX)
        and rule.rule not in LTI_PROTOCOL  # cross-site by design: see the LTI test above
    }
    assert set(posts) <= set(POLICY), "every POST route has a policy in the route matrix"
    for endpoint, rule in sorted(posts.items()):
        url = re.sub(r"<int:\w+>", "1", rule.rule).replace("<slug>", "icd10cm-2026")
        response = client.post(url, data={"anything": "x"})
        assert response.status_code == 400, (endpoint, response.status_code)
        assert b"form expired" in response.data or b"not sent by this site" in response.data
    assert len(posts) >= 25


def test_a_submit_without_the_token_changes_nothing(csrf_app):
    """The owner of a real open chart posts its answer without the token: refused before the
    view runs, so the chart is still open; with the token the same post is graded."""
    from trainer.domain import domain
    from trainer.services.practice import start_attempt

    client, token = _signed_in(csrf_app)
    with csrf_app.app_context():
        user_id = db.session.scalars(select(User.id).where(User.username == "trainee")).one()
        template = next(iter(sorted(domain().library.templates.values(), key=lambda t: t.id)))
        attempt_id = start_attempt(user_id, template, seed=3).id
    url = f"/practice/attempt/{attempt_id}/submit"
    answer = form_for(key_of(csrf_app, attempt_id))
    assert client.post(url, data=answer).status_code == 400
    with csrf_app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"
    graded = client.post(url, data={**answer, "csrf_token": token})
    assert graded.status_code == 303
    with csrf_app.app_context():
        assert db.session.get(Attempt, attempt_id).status != "in_progress"


def test_the_json_autosave_is_protected_by_the_header_token(csrf_app):
    from trainer.domain import domain
    from trainer.services.practice import start_attempt

    client, token = _signed_in(csrf_app)
    with csrf_app.app_context():
        user_id = db.session.scalars(select(User.id).where(User.username == "trainee")).one()
        template = next(iter(sorted(domain().library.templates.values(), key=lambda t: t.id)))
        attempt_id = start_attempt(user_id, template, seed=4).id
    url = f"/practice/attempt/{attempt_id}/draft"
    body = {"diagnoses": ["M17.11"], "lines": []}
    assert client.post(url, json=body).status_code == 400
    assert client.post(url, json=body, headers={"X-CSRFToken": token}).status_code < 400


def test_no_view_checks_the_token_itself():
    """The global protection is the only one (a per-view check could never fail after it)."""
    web = Path(__file__).resolve().parents[2] / "trainer" / "web"
    for module in web.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "validate_csrf" not in text and "CsrfOnlyForm" not in text, module.name


def test_api_ignores_cross_site_form_posts(csrf_app):
    """A cross-site form can only send form encodings; the API reads nothing but JSON, and a
    JSON POST from another site needs a CORS preflight this app never grants."""
    client, _ = _signed_in(csrf_app)
    for url in ("/api/v1/exercises/start", "/api/v1/attempts/1/submit", "/api/v1/grade"):
        response = client.post(url, data={"specialty": "orthopaedics"}, content_type="text/plain")
        assert response.status_code in (400, 404)
    response = client.options("/api/v1/grade", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_token_api_is_exempt(csrf_app):
    """API clients authenticate with a Bearer token and send no CSRF token."""
    from trainer.services.tokens import create_token

    with csrf_app.app_context():
        user = create_user("lms", PASSWORD)
        token = create_token(db.session.get(User, user.id), "gateway")
    client = csrf_app.test_client()
    response = client.post(
        "/api/v1/exercises/start",
        json={"specialty": "orthopaedics"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
