"""API clients: Bearer tokens instead of a session, and the OpenAPI contract."""

from __future__ import annotations

import re

from sqlalchemy import update

from trainer.extensions import db
from trainer.models import ApiToken

BODY = {
    "key": {
        "diagnoses": ["M17.11"],
        "lines": [{"code": "20610", "modifiers": ["RT"], "pointers": [1]}],
    },
    "answer": {
        "diagnoses": ["M17.9"],
        "lines": [{"code": "20610", "modifiers": ["RT"], "pointers": [1]}],
    },
    "date_of_service": "2026-03-02",
}


def _token(app) -> str:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-token", "trainee", "--name", "LMS-gateway"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_a_bearer_token_authenticates_the_api(app, client, users):
    token = _token(app)
    headers = {"Authorization": f"Bearer {token}"}
    data = client.post("/api/v1/grade", json=BODY, headers=headers).get_json()
    assert data["chart_correct"] is False
    assert (
        client.get(
            "/api/v1/codes/validate?code=M17&kind=icd10cm&dos=2026-03-02", headers=headers
        ).get_json()["reason"]
        == "header"
    )
    assert client.get("/", headers=headers).status_code == 302  # tokens open the API only


def test_bad_and_revoked_tokens_are_401(app, client, users):
    token = _token(app)
    assert (
        client.post(
            "/api/v1/grade", json=BODY, headers={"Authorization": "Bearer ctr_nope"}
        ).status_code
        == 401
    )
    with app.app_context():
        db.session.execute(update(ApiToken).values(revoked=True))
        db.session.commit()
    assert (
        client.post(
            "/api/v1/grade", json=BODY, headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 401
    )


def test_openapi_document_describes_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    api_rules = {
        re.sub(r"<(?:int:)?(\w+)>", r"{\1}", r.rule)
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and not r.rule.endswith("openapi.json")
    }
    assert api_rules == set(spec["paths"])
    assert "bearer" in spec["components"]["securitySchemes"]


def _grade(client, token: str) -> int:  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/grade", json=BODY, headers={"Authorization": f"Bearer {token}"}
    ).status_code


def test_a_token_with_an_expiry_stops_working_when_it_expires(app, client, users):
    from datetime import timedelta

    from trainer.models import utcnow

    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-token", "trainee", "--name", "LMS", "--expires-days", "30"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert _grade(client, token) == 200
    with app.app_context():
        row = db.session.scalar(db.select(ApiToken))
        assert (
            29 <= (row.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)).days <= 30
        )
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _grade(client, token) == 401
    listed = runner.invoke(args=["list-tokens", "trainee"]).output
    assert "LMS" in listed and "expired" in listed
    bad = runner.invoke(args=["create-token", "trainee", "--expires-days", "0"])
    assert bad.exit_code != 0


def test_the_cli_lists_and_revokes_tokens(app, client, users):
    token = _token(app)
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["list-tokens"]).output
    assert "trainee" in listed and "LMS" in listed and "active" in listed and "never" in listed
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    result = runner.invoke(args=["revoke-token", str(token_id)])
    assert result.exit_code == 0 and "revoked" in result.output
    assert _grade(client, token) == 401
    assert "revoked" in runner.invoke(args=["list-tokens"]).output
    assert runner.invoke(args=["revoke-token", "999"]).exit_code != 0


def test_owners_and_admins_list_and_revoke_tokens_in_the_browser(app, client, auth, users):
    token = _token(app)
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    revoke = f"/account/tokens/{token_id}/revoke"
    auth.login("other")  # another trainee: neither sees nor revokes it
    assert "LMS-gateway" not in client.get("/account/tokens").get_data(as_text=True)
    assert client.post(revoke).status_code == 404
    client.post("/auth/logout")
    auth.login("supervisor")  # a supervisor is no token's administrator
    assert "LMS-gateway" not in client.get("/account/tokens").get_data(as_text=True)
    assert client.post(revoke).status_code == 404
    assert _grade(client, token) == 200
    client.post("/auth/logout")
    auth.login("trainee")
    assert "LMS-gateway" in client.get("/account/tokens").get_data(as_text=True)
    assert client.post(revoke).status_code == 303
    assert _grade(app.test_client(), token) == 401
    client.post("/auth/logout")
    second = _token(app)
    with app.app_context():
        second_id = db.session.scalar(db.select(db.func.max(ApiToken.id)))
    auth.login("admin")
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "trainee" in page and "revoked" in page and "active" in page
    assert client.post(f"/account/tokens/{second_id}/revoke").status_code == 303
    assert _grade(app.test_client(), second) == 401
