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
    result = runner.invoke(args=["create-token", "trainee", "--name", "LMS"])
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
