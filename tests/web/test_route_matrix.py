"""Every route against every role, generated from the URL map so no route can be forgotten.

A new route fails this test until POLICY says who may use it. Also checks that no response
reveals a chart's key while the attempt is still open.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from trainer.extensions import db
from trainer.models import Attempt, Cohort, CohortMember
from trainer.services.accounts import create_user
from trainer.services.disputes import open_dispute
from trainer.services.practice import start_attempt, submit_attempt, variant_of

POLICY = {
    "static": "public",
    "health.healthz": "public",
    "auth.login": "public",
    "auth.logout": "login",
    "api.codeset_diff": "login",
    "api.openapi": "public",
    "api_clients.api_start": "login",
    "api_clients.api_submit": "owner",
    "api_clients.api_attempt": "owner",
    "api_clients.api_cohort_report": "cohort_supervisor",
    "api.grade_claim": "login",
    "api.search_codes": "login",
    "api.validate_code": "login",
    "lookup.index": "login",
    "lookup.detail": "login",
    "practice.home": "login",
    "practice.start": "login",
    "practice.drill": "login",
    "progress.index": "login",
    "progress.trend_chart": "login",
    "progress.errors_chart": "login",
    "practice.attempt": "owner",
    "practice.result": "owner",
    "practice.draft": "owner",
    "practice.submit": "owner",
    "practice.dispute": "owner",
    "practice.skip": "owner",
    "supervise.index": "supervisor",
    "supervise.disputes": "supervisor",
    "supervise.accept": "cohort_supervisor",
    "supervise.assignments": "supervisor",
    "supervise.create_assignment_view": "supervisor",
    "assignments.index": "login",
    "assignments.join": "login",
    "supervise.create_cohort_view": "supervisor",
    "supervise.import_trainees": "cohort_supervisor",
    "supervise.move": "supervisor",
    "supervise.cohort_csv": "cohort_supervisor",
    "assignments.start": "member",
    "assignments.run": "owner",
    "assignments.finish": "owner",
    "supervise.reject": "cohort_supervisor",
    "review.queue": "supervisor",
    "review.chart": "cohort_supervisor",
    "review.save": "cohort_supervisor",
    "review.sample_size": "cohort_supervisor",
    "reports.cohort": "cohort_supervisor",
    "reports.table_csv": "cohort_supervisor",
    "reports.trainee": "cohort_supervisor",
    "reports.trainee_trend": "cohort_supervisor",
    "authoring.index": "supervisor",
    "authoring.new": "supervisor",
    "authoring.create": "supervisor",
    "authoring.edit": "author",
    "authoring.update": "author",
    "authoring.preview": "author",
    "authoring.publish": "admin",
    "refreshers.index": "login",
    "refreshers.update": "login",
    "refreshers.practice": "login",
    "refreshers.assign": "supervisor",
}
ROLES = ("anonymous", "owner", "other_trainee", "supervisor", "other_supervisor", "admin")
PASSWORD = "correct-horse-battery"


@pytest.fixture
def world(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        from trainer.domain import domain

        ids = {
            "owner": create_user("owner", PASSWORD).id,
            "other_trainee": create_user("other_trainee", PASSWORD).id,
            "supervisor": create_user("supervisor", PASSWORD, "supervisor").id,
            "other_supervisor": create_user("other_supervisor", PASSWORD, "supervisor").id,
            "admin": create_user("admin", PASSWORD, "admin").id,
        }
        cohort = Cohort(name="M", supervisor_id=ids["supervisor"], join_code="MATRIX")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=ids["owner"]))
        db.session.commit()
        library = domain().library
        template = sorted(library.templates.values(), key=lambda t: t.id)[0]
        done = start_attempt(ids["owner"], template, seed=1)
        submit_attempt(done.id, ids["owner"], variant_of(done).key.as_claim(), 60, domain().catalog)
        dispute = open_dispute(
            db.session.get(Attempt, done.id), ids["owner"], "", "A citation long enough to count."
        )
        open_attempt = start_attempt(ids["owner"], template, seed=2)
        from trainer.models import User
        from trainer.services.assignments import create_assignment, start_run

        supervisor = db.session.get(User, ids["supervisor"])
        assignment = create_assignment(supervisor, cohort.id, "Set", library, chart_count=2)
        run = start_run(assignment, db.session.get(User, ids["owner"]), library)
        return {
            "attempt": open_attempt.id,
            "dispute": dispute.id,
            "done": done.id,
            "assignment": assignment.id,
            "run": run.id,
            "cohort": cohort.id,
            "trainee": ids["owner"],
            "authored": _authored(supervisor),
        }


def _authored(supervisor) -> int:  # type: ignore[no-untyped-def]
    """A checked template the supervisor wrote, for the authoring routes."""
    from trainer.services.library import STARTER_BODY, save_template, starter_toml

    row = save_template(supervisor, starter_toml(), STARTER_BODY)
    assert row.status == "checked", row.problems
    return row.id


def _url(rule, world) -> str:  # type: ignore[no-untyped-def]
    """The rule's URL with this world's ids filled in."""
    values = {
        "attempt_id": world["attempt"],
        "dispute_id": world["dispute"],
        "assignment_id": world["assignment"],
        "cohort_id": world["cohort"],
        "run_id": world["run"],
        "trainee_id": world["trainee"],
        "table": "matrix",
        "slug": "icd10cm-2026",
        "row_id": world["authored"],
        "kind": "icd10cm",
        "code": "M17.11",
        "filename": "css/app.css",
    }
    if rule.endpoint.startswith("review."):
        values["attempt_id"] = world["done"]  # only a submitted chart can be reviewed
    out = rule.rule
    for name, value in values.items():
        for conv in (f"<int:{name}>", f"<path:{name}>", f"<{name}>"):
            out = out.replace(conv, str(value))
    return out


def _allowed(response) -> bool:  # type: ignore[no-untyped-def]
    location = response.headers.get("Location", "")
    return response.status_code not in (401, 403, 404) and "/auth/login" not in location


def _expect(policy: str, role: str) -> str:
    if policy == "public":
        return "allowed"
    if role == "anonymous":
        return "login"
    if policy == "login":
        return "allowed"
    if policy in ("owner", "member"):
        return "allowed" if role == "owner" else "hidden"
    if policy == "admin":
        return "allowed" if role == "admin" else "forbidden"
    if policy == "supervisor":
        return "allowed" if role in ("supervisor", "other_supervisor", "admin") else "forbidden"
    if policy == "author":  # the supervisor wrote it; an admin may edit any
        if role in ("owner", "other_trainee"):
            return "forbidden"
        return "allowed" if role in ("supervisor", "admin") else "hidden"
    if policy == "cohort_supervisor":
        if role in ("owner", "other_trainee"):
            return "forbidden"
        return "allowed" if role in ("supervisor", "admin") else "hidden"
    raise AssertionError(policy)


def test_every_route_has_a_policy(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(POLICY) == set(), "add the new route to POLICY"


def test_role_and_ownership_matrix(app, world):
    leaks = []
    # Mutating owner requests (skip) run last so the attempt stays open for the rest.
    rules = sorted(
        app.url_map.iter_rules(), key=lambda r: (r.endpoint == "practice.skip", r.endpoint)
    )
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            assert (
                client.post(
                    "/auth/login", data={"username": role, "password": PASSWORD}
                ).status_code
                == 302
            )
        for rule in rules:
            url = _url(rule, world)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if rule.endpoint == "auth.logout" or (
                    rule.endpoint == "practice.skip" and role == "owner"
                ):
                    continue
                response = client.open(url, method=method, data={})
                response.close()
                expected = _expect(POLICY[rule.endpoint], role)
                status = response.status_code
                location = response.headers.get("Location", "")
                ok = {
                    "allowed": _allowed(response),
                    "login": status == 401 or (status == 302 and "/auth/login" in location),
                    "hidden": status == 404,
                    "forbidden": status == 403,
                }[expected]
                if not ok:
                    leaks.append(f"{role} {method} {url}: {status}, expected {expected}")
    assert leaks == []


def test_no_response_reveals_an_open_attempts_key(app, world):
    with app.app_context():
        attempt = db.session.get(Attempt, world["attempt"])
        key = variant_of(attempt).key
        secrets = [d.rationale for d in key.diagnoses] + [k.rationale for k in key.lines]
        secrets.append(json.dumps(attempt.variant["key"]))
        assert db.session.scalar(select(Attempt.status).where(Attempt.id == world["attempt"]))
    client = app.test_client()
    client.post("/auth/login", data={"username": "owner", "password": PASSWORD})
    bodies = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            bodies.append(client.get(_url(rule, world)).get_data(as_text=True))
    bodies.append(
        client.post(f"/practice/attempt/{world['attempt']}/draft", json={"diagnoses": []}).get_data(
            as_text=True
        )
    )
    for secret in secrets:
        assert all(secret not in body for body in bodies)
