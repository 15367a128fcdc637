"""LTI 1.3 Advantage against an independent platform (``lti1p3platform``), over real HTTP.

The test LMS (tests/lti/platform.py) and the trainer each run on a loopback port; a
``requests`` session plays the browser. Covered: the OIDC login and launch, deep linking
round trip (the LMS checks the tool's signed response with the tool's published key set),
names-and-roles roster, a grade sent back to the gradebook and its retry when the LMS was
down; and what an attacker would try: a replayed id_token, a token signed by another key, an
unregistered issuer, a learner opening another course's assignment.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from sqlalchemy import func, select

from tests.conftest import make_app
from tests.lti.platform import INSTRUCTOR, LEARNER, CollegeLms, Person, key_pair, serve
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import (
    Assignment,
    AssignmentRun,
    Attempt,
    Cohort,
    CohortMember,
    LtiContext,
    LtiGradeSend,
    LtiUser,
    User,
)
from trainer.services.accounts import create_user
from trainer.services.assignments import create_assignment
from trainer.services.lti.grades import send_outstanding
from trainer.services.lti.registrations import checked_fields, register_platform
from trainer.services.practice import submit_attempt, variant_of

TEACHER = Person("teacher-7", "Dana Reyes", "dreyes@college.example.edu", [INSTRUCTOR])
LEARNER_ANA = Person("learner-41", "Ana Lopez", "alopez@college.example.edu", [LEARNER])
LEARNER_BO = Person("learner-42", "Bo Chen", "bchen@college.example.edu", [LEARNER])


@dataclass
class World:
    app: Any
    tool: str
    lms: CollegeLms


@pytest.fixture
def world(tmp_path: Path, migrated_sqlite: Path, codeset_index: Path) -> Iterator[World]:
    app = make_app(tmp_path, migrated_sqlite, codeset_index, WTF_CSRF_ENABLED=True)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash is a 500 the LMS would see
    lms = CollegeLms()
    with ExitStack() as stack:
        tool = stack.enter_context(serve(app))
        lms.url = stack.enter_context(serve(lms.app))
        lms.tool_login_url = f"{tool}/lti/login"
        lms.tool_launch_url = f"{tool}/lti/launch"
        lms.tool_jwks_url = f"{tool}/lti/jwks"
        with app.app_context():
            admin = create_user("admin", "correct-horse-battery", "admin")
            register_platform(
                admin,
                checked_fields(
                    "College LMS",
                    lms.issuer,
                    lms.client_id,
                    f"{lms.url}/auth",
                    f"{lms.url}/token",
                    f"{lms.url}/jwks",
                    lms.deployment_id,
                ),
            )
        yield World(app, tool, lms)
    with app.app_context():
        db.engine.dispose()


def launch(world: World, person: Person, browser: requests.Session | None = None, **kw: Any):  # type: ignore[no-untyped-def]
    """The browser's part: LMS login initiation -> tool -> LMS authorisation -> POST to tool."""
    browser = browser or requests.Session()
    answer = browser.get(world.lms.login_initiation_url(person, **kw), timeout=30)
    assert answer.status_code == 200, answer.text  # the LMS's /auth answered with the id_token
    form = answer.json()
    assert form["launch_url"] == f"{world.tool}/lti/launch"
    response = browser.post(
        form["launch_url"],
        data={"id_token": form["id_token"], "state": form["state"]},
        allow_redirects=False,
        timeout=30,
    )
    return browser, response, form


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def _course_assignment(world: World, title: str = "Week 3 set") -> int:
    with world.app.app_context():
        context = db.session.scalar(select(LtiContext))
        supervisor = db.session.get(Cohort, context.cohort_id).supervisor
        library = domain().library
        template = sorted(library.templates.values(), key=lambda t: t.id)[0]
        return create_assignment(
            supervisor, context.cohort_id, title, library, template_ids=[template.id], chart_count=1
        ).id


def test_deep_linking_round_trip_places_an_assignment_with_a_gradebook_column(world: World) -> None:
    browser, first, _ = launch(world, TEACHER, deep_linking=True)
    assert first.status_code == 303 and first.headers["Location"].endswith("/lti/deep-link")
    with world.app.app_context():
        teacher = db.session.scalar(
            select(User).join(LtiUser).where(LtiUser.subject == "teacher-7")
        )
        assert teacher.role == "supervisor" and teacher.display_name == "Dana Reyes"
        context = db.session.scalar(select(LtiContext))
        cohort = db.session.get(Cohort, context.cohort_id)
        assert (cohort.name, cohort.supervisor_id) == ("HIM 210 Coding II", teacher.id)
    empty = browser.get(f"{world.tool}/lti/deep-link", timeout=30)
    assert "has no assignment yet" in empty.text
    assignment_id = _course_assignment(world)

    browser, again, _ = launch(world, TEACHER, browser, deep_linking=True)
    page = browser.get(f"{world.tool}/lti/deep-link", timeout=30)
    assert "Week 3 set" in page.text
    chosen = browser.post(
        f"{world.tool}/lti/deep-link",
        data={"assignment_id": str(assignment_id), "csrf_token": _csrf(page.text)},
        timeout=30,
    )
    assert chosen.status_code == 200
    action = re.search(
        r'action="([^"]+)"', chosen.text.split('id="lti-deep-link-return"')[1]
    ).group(1)
    assert action == f"{world.lms.url}/deep_link_return"
    assert f"form-action 'self' {world.lms.url}" in chosen.headers["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', chosen.text).group(1)
    returned = requests.post(action, data={"JWT": token}, timeout=30)
    assert returned.json() == {"received": 1}, returned.text  # the LMS verified our signature
    (item,) = world.lms.content_items
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == f"{world.tool}/lti/launch"
    assert item["custom"] == {"assignment_id": str(assignment_id)}
    assert item["lineItem"]["scoreMaximum"] == 100


def test_learner_launch_joins_the_course_and_the_score_reaches_the_gradebook(world: World) -> None:
    launch(world, TEACHER, deep_linking=True)
    assignment_id = _course_assignment(world)
    browser, response, _ = launch(world, LEARNER_ANA, custom={"assignment_id": str(assignment_id)})
    assert response.status_code == 303
    assert f"#assignment-{assignment_id}" in response.headers["Location"]
    index = browser.get(f"{world.tool}/assignments/", timeout=30)
    assert "Week 3 set" in index.text
    started = browser.post(
        f"{world.tool}/assignments/{assignment_id}/start",
        data={"csrf_token": _csrf(index.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert started.status_code == 303
    with world.app.app_context():
        ana = db.session.scalar(select(User).join(LtiUser).where(LtiUser.subject == "learner-41"))
        member = db.session.scalar(select(CohortMember).where(CohortMember.user_id == ana.id))
        context = db.session.scalar(select(LtiContext))
        assert member.cohort_id == context.cohort_id and ana.role == "trainee"
        run = db.session.scalar(select(AssignmentRun).where(AssignmentRun.user_id == ana.id))
        (attempt,) = db.session.scalars(select(Attempt).where(Attempt.run_id == run.id))
        answer = variant_of(attempt).key.as_claim()
        first = answer.lines[0]  # one wrong service line: a score under 100%
        wrong = dataclasses.replace(first, code="99213" if first.code != "99213" else "99214")
        answer = dataclasses.replace(answer, lines=(wrong, *answer.lines[1:]))
        submit_attempt(attempt.id, ana.id, answer, 90, domain().catalog)
        expected = round(db.session.get(Attempt, attempt.id).score * 100, 2)
        assert 0 < expected < 100
        run_id = run.id
    run_page = browser.get(f"{world.tool}/assignments/run/{run_id}", timeout=30)
    assert run_page.status_code == 200
    (score,) = world.lms.scores
    assert score["userId"] == "learner-41"
    assert score["scoreGiven"] == pytest.approx(expected)
    assert (score["scoreMaximum"], score["activityProgress"], score["gradingProgress"]) == (
        100.0,
        "Completed",
        "FullyGraded",
    )
    assert score["lineitem"] == "link-1"


def test_a_down_lms_keeps_the_score_owed_and_the_cli_sends_it_later(world: World) -> None:
    launch(world, TEACHER, deep_linking=True)
    assignment_id = _course_assignment(world)
    browser, _, _ = launch(world, LEARNER_ANA, custom={"assignment_id": str(assignment_id)})
    world.lms.refuse_scores = True
    index = browser.get(f"{world.tool}/assignments/", timeout=30)
    browser.post(
        f"{world.tool}/assignments/{assignment_id}/start",
        data={"csrf_token": _csrf(index.text)},
        timeout=30,
    )
    with world.app.app_context():
        run = db.session.scalar(select(AssignmentRun))
        run_id = run.id
    run_page = browser.get(f"{world.tool}/assignments/run/{run_id}", timeout=30)
    finished = browser.post(
        f"{world.tool}/assignments/run/{run_id}/finish",
        data={"csrf_token": _csrf(run_page.text)},
        timeout=30,
    )
    assert finished.status_code == 200  # the trainee's submission never waits on the LMS
    assert world.lms.scores == []
    with world.app.app_context():
        row = db.session.scalar(select(LtiGradeSend))
        assert (row.status, row.tries) == ("failed", 1) and "503" in row.last_error
        world.lms.refuse_scores = False
        summary = send_outstanding()
        assert (summary.sent, summary.failed) == (1, 0)
        assert db.session.scalar(select(LtiGradeSend.status)) == "sent"
    assert [s["userId"] for s in world.lms.scores] == ["learner-41"]


def test_roster_sync_provisions_the_course_learners_into_its_cohort(world: World) -> None:
    browser, _, _ = launch(world, TEACHER, deep_linking=True)
    world.lms.roster = [TEACHER, LEARNER_ANA, LEARNER_BO]
    with world.app.app_context():
        context_pk = db.session.scalar(select(LtiContext.id))
    page = browser.get(f"{world.tool}/lti/courses/{context_pk}", timeout=30)
    synced = browser.post(
        f"{world.tool}/lti/courses/{context_pk}/roster",
        data={"csrf_token": _csrf(page.text)},
        timeout=30,
    )
    assert "2 learners in the cohort (2 new accounts); 1 others left out" in synced.text
    with world.app.app_context():
        context = db.session.get(LtiContext, context_pk)
        names = set(
            db.session.scalars(
                select(User.display_name)
                .join(CohortMember, CohortMember.user_id == User.id)
                .where(CohortMember.cohort_id == context.cohort_id)
            )
        )
        assert names == {"Ana Lopez", "Bo Chen"}
    # A learner who then launches is the same account, not a second one.
    launch(world, LEARNER_BO, custom={"assignment_id": str(_course_assignment(world))})
    with world.app.app_context():
        assert (
            db.session.scalar(select(func.count(User.id)).where(User.display_name == "Bo Chen"))
            == 1
        )


def test_a_replayed_id_token_is_refused(world: World) -> None:
    launch(world, TEACHER, deep_linking=True)
    browser, first, form = launch(world, TEACHER, deep_linking=True)
    assert first.status_code == 303
    replay = browser.post(
        form["launch_url"], data={"id_token": form["id_token"], "state": form["state"]}, timeout=30
    )
    assert replay.status_code == 400 and "could not be verified" in replay.text


def test_a_token_signed_by_another_key_or_issuer_is_refused(world: World) -> None:
    browser = requests.Session()
    answer = browser.get(world.lms.login_initiation_url(TEACHER, deep_linking=True), timeout=30)
    form = answer.json()
    claims = jwt.decode(form["id_token"], options={"verify_signature": False})
    header = jwt.get_unverified_header(form["id_token"])
    forged_key, _ = key_pair()
    claims["https://purl.imsglobal.org/spec/lti/claim/roles"] = [INSTRUCTOR]
    forged = jwt.encode(claims, forged_key, algorithm="RS256", headers={"kid": header["kid"]})
    refused = browser.post(
        form["launch_url"], data={"id_token": forged, "state": form["state"]}, timeout=30
    )
    assert refused.status_code == 400
    stranger = requests.get(
        f"{world.tool}/lti/login",
        params={
            "iss": "https://evil.example",
            "login_hint": "x",
            "target_link_uri": "https://evil.example",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert stranger.status_code == 400
    with world.app.app_context():
        assert db.session.scalar(select(func.count(LtiUser.id))) == 0


def test_a_learner_cannot_open_another_courses_assignment(world: World) -> None:
    launch(world, TEACHER, deep_linking=True)
    with world.app.app_context():
        outsider = create_user("outside-sup", "correct-horse-battery", "supervisor")
        other = Cohort(name="Other college", supervisor_id=outsider.id, join_code="OTHER1")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
        library = domain().library
        template = sorted(library.templates.values(), key=lambda t: t.id)[0]
        foreign = create_assignment(
            outsider, other.id, "Theirs", library, template_ids=[template.id]
        ).id
    _, response, _ = launch(world, LEARNER_ANA, custom={"assignment_id": str(foreign)})
    assert response.status_code == 403
    with world.app.app_context():
        assert (
            db.session.scalar(
                select(func.count(CohortMember.id)).where(CohortMember.cohort_id == other_id)
            )
            == 0
        )
        assert db.session.get(Assignment, foreign).cohort_id == other_id


def test_a_learner_cannot_start_a_deep_linking_request(world: World) -> None:
    _, response, _ = launch(world, LEARNER_ANA, deep_linking=True)
    assert response.status_code == 403
    assert "Only an instructor" in response.text


def test_registration_needs_https_and_an_admin(world: World) -> None:
    from trainer.services.lti.registrations import RegistrationError

    with pytest.raises(RegistrationError, match="https"):
        checked_fields(
            "X", "http://lms.example.edu", "c", "https://a", "https://b", "https://c", "d"
        )
    with world.app.app_context():
        trainee = create_user("plain", "correct-horse-battery")
        fields = checked_fields(
            "X",
            "https://x.example",
            "c",
            "https://x.example/a",
            "https://x.example/t",
            "https://x.example/k",
            "d",
        )
        with pytest.raises(PermissionError):
            register_platform(trainee, fields)
