"""The per-trainee page: every chart with score, time, errors and a link to the graded chart,
filters, and the error-type chart; scoped to the supervisor's cohorts and the key rules."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Attempt, AttemptError, Cohort, CohortMember, User
from trainer.services.accounts import create_user
from trainer.services.assignments import create_assignment, start_run
from trainer.services.practice import start_attempt, submit_attempt, variant_of


def _submit(user_id: int, template, seed: int, right: bool, seconds: int = 125) -> int:  # type: ignore[no-untyped-def]
    attempt = start_attempt(user_id, template, seed=seed)
    claim = variant_of(attempt).key.as_claim()
    if not right:
        claim = replace(claim, diagnoses=("R69",) + claim.diagnoses[1:])
    submit_attempt(attempt.id, user_id, claim, seconds, domain().catalog)
    return attempt.id


@pytest.fixture
def world(app, users):  # type: ignore[no-untyped-def]
    with app.app_context():
        create_user("rival", PASSWORD, "supervisor")
        cohort = Cohort(name="Day", supervisor_id=users["supervisor"], join_code="DAYT")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=users["trainee"]))
        db.session.commit()
        library = domain().library
        templates = sorted(library.templates.values(), key=lambda t: t.id)
        ortho = [t for t in templates if t.specialty == "orthopaedics"]
        radio = next(t for t in templates if t.specialty == "radiology")
        right = _submit(users["trainee"], ortho[0], 1, True)
        wrong = _submit(users["trainee"], ortho[0], 2, False)
        scan = _submit(users["trainee"], radio, 3, True, 61)
        supervisor = db.session.get(User, users["supervisor"])
        exam = create_assignment(
            supervisor,
            cohort.id,
            "Exam",
            library,
            template_ids=[ortho[1].id],
            chart_count=1,
            mode="exam",
            time_limit_minutes=60,
        )
        run = start_run(exam, db.session.get(User, users["trainee"]), library)
        exam_chart = db.session.scalar(select(Attempt).where(Attempt.run_id == run.id))
        claim = replace(variant_of(exam_chart).key.as_claim(), diagnoses=("R69",))
        submit_attempt(exam_chart.id, users["trainee"], claim, 30, domain().catalog)
        kinds = sorted(
            set(
                db.session.scalars(
                    select(AttemptError.error_type).where(AttemptError.attempt_id == wrong)
                )
            )
        )
        return {"right": right, "wrong": wrong, "scan": scan, "exam": exam_chart.id, "kinds": kinds}


def _rows(page: str) -> str:
    return (
        page.split('id="trainee-charts"', 1)[1].split("</table>", 1)[0]
        if 'id="trainee-charts"' in page
        else ""
    )


def test_every_chart_with_score_time_errors_and_link(client, auth, users, world):
    auth.login("supervisor")
    page = client.get(f"/supervise/trainees/{users['trainee']}").get_data(as_text=True)
    rows = _rows(page)
    assert "Charts (4)" in page
    for name in ("right", "wrong", "scan"):
        assert f'href="/supervise/review/{world[name]}"' in rows
    assert "2 min 5 s" in rows and "1 min 1 s" in rows and "100%" in rows
    assert world["kinds"], "the wrong chart has errors"
    # The open exam's chart is listed without a score, errors or a link.
    assert f'href="/supervise/review/{world["exam"]}"' not in rows
    assert "exam still open" in rows
    assert '/errors.svg"' in page


def test_filters_by_specialty_and_error_type(client, auth, users, world):
    auth.login("supervisor")
    base = f"/supervise/trainees/{users['trainee']}"
    radiology = _rows(client.get(f"{base}?specialty=radiology").get_data(as_text=True))
    assert (
        f'/supervise/review/{world["scan"]}"' in radiology
        and f'/supervise/review/{world["right"]}"' not in radiology
    )
    kind = world["kinds"][0]
    errors = _rows(client.get(f"{base}?error={kind}").get_data(as_text=True))
    assert f'/supervise/review/{world["wrong"]}"' in errors
    assert (
        f'/supervise/review/{world["right"]}"' not in errors
        and f'/supervise/review/{world["scan"]}"' not in errors
    )
    for query in ("?error=bribery", "?specialty=astrology", "?page=0", "?page=x"):
        assert client.get(base + query).status_code == 400, query


def test_error_type_chart_is_svg_from_the_trainees_errors(client, auth, users, world):
    from trainer.core.grading.types import error_label

    auth.login("supervisor")
    svg = client.get(f"/supervise/trainees/{users['trainee']}/errors.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert error_label(world["kinds"][0]) in svg.get_data(as_text=True)


def test_wrong_cohort_and_wrong_role(client, auth, users, world):
    auth.login("rival")
    for url in (
        f"/supervise/trainees/{users['trainee']}",
        f"/supervise/trainees/{users['trainee']}/errors.svg",
    ):
        assert client.get(url).status_code == 404
    auth.logout()
    auth.login("other")
    assert client.get(f"/supervise/trainees/{users['trainee']}/errors.svg").status_code == 403
