"""Every route against every role, generated from the URL map so no route can be forgotten.

A new route fails this test until POLICY says who may use it. Also checks that no response
reveals a chart's key while the attempt is still open.
"""

from __future__ import annotations

import json
import random
import re

import pytest
from markupsafe import escape
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
    "account.password": "login",
    "account.tokens": "login",
    "account.revoke": "token_owner",
    "account.reset_password": "cohort_supervisor",
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
    "reference.ed_facility_levels": "login",
    "lookup.detail": "login",
    "lookup.pcs_builder": "login",
    "practice.home": "login",
    "practice.start": "login",
    "practice.drill": "login",
    "progress.index": "login",
    "progress.trend_chart": "login",
    "progress.errors_chart": "login",
    "progress.table_csv": "login",
    "practice.attempt": "owner",
    "practice.result": "owner",
    "practice.draft": "owner",
    "practice.submit": "owner",
    "practice.dispute": "owner",
    "practice.skip": "owner",
    "practice_pairs.start": "login",
    "practice_pairs.result": "owner",
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
    "lti.jwks": "public",
    "lti.login": "public",
    "lti.launch": "public",
    "lti.deep_link": "lti_launched",
    "lti.deep_link_choose": "lti_launched",
    "lti.course": "cohort_supervisor",
    "lti.roster": "cohort_supervisor",
    "lti_admin.index": "admin",
    "lti_admin.register": "admin",
    "lti_admin.toggle": "admin",
    "lti_admin.grades": "admin",
    "admin.users": "admin",
    "admin.create": "admin",
    "admin.change_role": "admin",
    "admin.change_active": "admin",
    "admin.audit": "admin",
    "admin.audit_export": "admin",
    "members.add": "cohort_supervisor",
    "members.remove": "cohort_supervisor",
    "cohort_instructors.page": "cohort_supervisor",
    "cohort_instructors.hand_over_view": "cohort_supervisor",
    "cohort_instructors.add": "cohort_supervisor",
    "cohort_instructors.remove": "cohort_supervisor",
    "assignment_changes.edit": "cohort_supervisor",
    "assignment_changes.update": "cohort_supervisor",
    "assignment_changes.close": "cohort_supervisor",
    "assignment_changes.delete": "cohort_supervisor",
    "assignment_changes.duplicate": "cohort_supervisor",
    "trainee_detail.errors_chart": "cohort_supervisor",
    "certification.sign": "cohort_supervisor",
    "certification.certificate": "cohort_supervisor",
    "certification.revoke_view": "cohort_supervisor",
    "certification.report": "cohort_supervisor",
    "progress.certificates": "login",
    "progress.certificate": "owner",
}
ROLES = ("anonymous", "owner", "other_trainee", "supervisor", "other_supervisor", "admin")
PASSWORD = "correct-horse-battery"


def _key_codes(template) -> set[str]:  # type: ignore[no-untyped-def]
    """Every code any variant of the template keys (the codes a leak would show)."""
    from trainer.core.content.generation import generate

    found: set[str] = set()
    for choice in template.choices():
        key = generate(template, 0, choices=choice).key
        found |= {d.code for d in key.diagnoses} | {k.line.code for k in key.lines}
        found |= {p.code for p in key.procedures}
    return found


def _disjoint_templates(library, count: int, avoid: set[str]) -> list:  # type: ignore[no-untyped-def]
    """Templates whose keys share no code with each other (nor with ``avoid``), so a code in a
    response can only have come from that one chart's key."""
    chosen, used = [], set(avoid)
    for template in sorted(library.templates.values(), key=lambda t: t.id):
        codes = _key_codes(template)
        if "code-update" in template.slug or codes & used:
            continue  # refresher templates are listed, with their codes, on the update pages
        chosen.append(template)
        used |= codes
        if len(chosen) == count:
            return chosen
    raise AssertionError("the library has too few templates with disjoint keys")


LOOKUP_CODE = "M17.11"  # the code the lookup routes are called with
# The new-template page's starter example keys 99213: a chart keyed with it could not be told
# apart from that page.
STARTER_EXAMPLE_CODE = "99213"


@pytest.fixture
def world(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        from trainer.domain import domain
        from trainer.models import User
        from trainer.services.assignments import create_assignment, start_run

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
        catalog = domain().catalog
        done_t, open_t, exam_a, exam_b = _disjoint_templates(
            library, 4, {LOOKUP_CODE, STARTER_EXAMPLE_CODE}
        )
        done = start_attempt(ids["owner"], done_t, seed=1)
        submit_attempt(done.id, ids["owner"], variant_of(done).key.as_claim(), 60, catalog)
        dispute = open_dispute(
            db.session.get(Attempt, done.id), ids["owner"], "", "A citation long enough to count."
        )
        open_attempt = start_attempt(ids["owner"], open_t, seed=2)
        supervisor = db.session.get(User, ids["supervisor"])
        owner = db.session.get(User, ids["owner"])
        assignment = create_assignment(
            supervisor, cohort.id, "Set", library, template_ids=[done_t.id], chart_count=2
        )
        run = start_run(assignment, owner, library)
        # An open exam: one chart answered (saved, not yet graded for the trainee), one not.
        exam = create_assignment(
            supervisor,
            cohort.id,
            "Exam",
            library,
            template_ids=[exam_a.id, exam_b.id],
            chart_count=2,
            mode="exam",
            time_limit_minutes=120,
        )
        exam_run = start_run(exam, owner, library)
        exam_saved, exam_open = sorted(
            db.session.scalars(select(Attempt).where(Attempt.run_id == exam_run.id)),
            key=lambda a: a.id,
        )
        assert exam_saved.template_id != exam_open.template_id
        submit_attempt(
            exam_saved.id, ids["owner"], variant_of(exam_saved).key.as_claim(), 60, catalog
        )
        from trainer.services.tokens import create_token, visible_tokens

        create_token(owner, "matrix")
        from trainer.models import Certificate

        certificate = Certificate(
            user_id=ids["owner"],
            specialty="orthopaedics",
            charts=30,
            reviewed_charts=0,
            codes_correct=73,
            codes_total=73,
            wilson_low=0.9500,
            target=0.95,
            signed_by=ids["supervisor"],
        )
        db.session.add(certificate)
        db.session.commit()
        context, platform = _lti_course(cohort.id, ids["admin"])
        from trainer.services.practice_pairs import start_pair

        pair = start_pair(ids["owner"], library, random.Random(3), seed=3)
        return {
            "pair": pair.id,
            "context_pk": context,
            "platform_id": platform,
            "certificate": certificate.id,
            "token": visible_tokens(owner)[0].id,
            "attempt": open_attempt.id,
            "dispute": dispute.id,
            "done": done.id,
            "assignment": assignment.id,
            "run": run.id,
            "exam_run": exam_run.id,
            "exam_open": exam_open.id,
            "exam_saved": exam_saved.id,
            "cohort": cohort.id,
            "trainee": ids["owner"],
            "authored": _authored(supervisor),
        }


def _lti_course(cohort_id: int, admin_id: int) -> tuple[int, int]:
    """An LMS course linked to the cohort (as a first instructor launch leaves it)."""
    from trainer.models import LtiContext, LtiPlatform

    platform = LtiPlatform(
        name="LMS",
        issuer="https://lms.example.edu",
        client_id="c1",
        auth_login_url="https://lms.example.edu/auth",
        auth_token_url="https://lms.example.edu/token",
        key_set_url="https://lms.example.edu/jwks",
        deployment_ids=["d1"],
        tool_private_key="",
        tool_public_key="",
        created_by=admin_id,
    )
    db.session.add(platform)
    db.session.flush()
    context = LtiContext(platform_id=platform.id, context_id="course-1", cohort_id=cohort_id)
    db.session.add(context)
    db.session.commit()
    return context.id, platform.id


def _authored(supervisor) -> int:  # type: ignore[no-untyped-def]
    """A checked template the supervisor wrote, for the authoring routes."""
    from trainer.services.library import STARTER_BODY, save_template, starter_toml

    row = save_template(supervisor, starter_toml(), STARTER_BODY)
    assert row.status == "checked", row.problems
    return row.id


def _url(rule, world, subject: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """The rule's URL with this world's ids filled in (``subject``: the chart and run to aim
    every chart and run route at, review routes included)."""
    values = {
        "attempt_id": world["attempt"],
        "dispute_id": world["dispute"],
        "assignment_id": world["assignment"],
        "cohort_id": world["cohort"],
        "run_id": world["run"],
        "trainee_id": world["trainee"],
        "table": "matrix",
        "name": "claims",
        "slug": "icd10cm-2026",
        "row_id": world["authored"],
        "kind": "icd10cm",
        "code": LOOKUP_CODE,
        "filename": "css/app.css",
        "token_id": world["token"],
        "context_pk": world["context_pk"],
        "platform_id": world["platform_id"],
        "user_id": world["trainee"],
        "certificate_id": world["certificate"],
        "pair_id": world["pair"],
    }
    if rule.endpoint.startswith("review."):
        values["attempt_id"] = world["done"]  # only a submitted chart can be reviewed
    if subject is not None:
        chart, run = SUBJECTS[subject][:2]
        values["attempt_id"], values["run_id"] = world[chart], world[run]
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
    if policy == "lti_launched":  # reached only through a verified LMS launch, never directly
        return "hidden"
    if policy == "token_owner":  # its owner and administrators; nobody else learns it exists
        return "allowed" if role in ("owner", "admin") else "hidden"
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


# ------------------------------------------------------------------ no key before it is earned

# subject: (the chart in the world, its run, the roles that may see its key: reviewers of a
# submitted chart of their cohort; never the trainee while the exam is open)
SUBJECTS = {
    "practice_open": ("attempt", "run", ()),
    "exam_open": ("exam_open", "exam_run", ()),
    "exam_saved": ("exam_saved", "exam_run", ("supervisor", "admin")),
}
# Requests that end a chart or an exam (after them a key may rightly show): they run last.
CLOSERS = ("practice.skip", "assignments.finish")


def _key_secrets(app, attempt_id: int) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
    """The chart's key codes, and its rationales as a page or a JSON body would print them."""
    with app.app_context():
        key = variant_of(db.session.get(Attempt, attempt_id)).key
    codes = {d.code for d in key.diagnoses} | {k.line.code for k in key.lines}
    texts = set()
    for rationale in [d.rationale for d in key.diagnoses] + [k.rationale for k in key.lines]:
        for form in (rationale, str(escape(rationale)), json.dumps(rationale)[1:-1]):
            texts.add(form[:60])
    return codes, texts


def _leaked(body: str, codes: set[str], texts: set[str]) -> list[str]:
    found = [c for c in sorted(codes) if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w])", body)]
    return found + [t for t in sorted(texts) if t in body]


@pytest.mark.parametrize("subject", sorted(SUBJECTS))
def test_no_route_reveals_a_key_before_it_is_earned(app, world, subject):
    """Every route and method of the matrix, as every role, aimed at an unsubmitted practice
    chart, an unanswered exam chart and an answered chart of an open exam: no response (page,
    redirect, error page or JSON) holds a key code or a rationale of that chart."""
    chart, _run, may_see = SUBJECTS[subject]
    codes, texts = _key_secrets(app, world[chart])
    assert codes and texts
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        if role != "anonymous":
            login = {"username": role, "password": PASSWORD}
            assert clients[role].post("/auth/login", data=login).status_code == 302
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in ("static", "auth.logout")]
    ordered = [r for r in rules if r.endpoint not in CLOSERS] + [
        r for r in rules if r.endpoint in CLOSERS
    ]
    leaks = []
    for phase in (False, True):
        for role in ROLES:
            if role in may_see:
                continue
            for rule in (r for r in ordered if (r.endpoint in CLOSERS) == phase):
                url = _url(rule, world, subject)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = clients[role].open(url, method=method, data={})
                    found = _leaked(response.get_data(as_text=True), codes, texts)
                    if found:
                        leaks.append(f"{role} {method} {url} ({response.status_code}): {found}")
    assert leaks == []
    # The check can see a key: the chart's reviewers (or, once the exam is over, the trainee)
    # are shown it on the pages meant for them.
    if subject == "exam_saved":
        page = clients["supervisor"].get(f"/supervise/review/{world[chart]}")
        assert _leaked(page.get_data(as_text=True), codes, texts)
        owner = clients["owner"].get(f"/practice/attempt/{world[chart]}/result")
        assert owner.status_code == 200 and _leaked(owner.get_data(as_text=True), codes, texts)
