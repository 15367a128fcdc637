"""Assignments: a supervisor sets work; a timed exam hides grades until done or out of time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.web.test_practice import form_for, key_of
from trainer.extensions import db
from trainer.models import Assignment, AssignmentRun, Attempt, Cohort, CohortMember, utcnow


def _cohort(app, users) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        cohort = Cohort(name="Night class", supervisor_id=users["supervisor"], join_code="NIGHT1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=users["trainee"]))
        db.session.commit()
        return cohort.id


def _create_exam(client, cohort_id: int, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "cohort": cohort_id,
        "title": "Ortho exam",
        "specialty": "orthopaedics",
        "chart_count": 3,
        "mode": "exam",
        "policy": "strict",
        "time_limit_minutes": 30,
        "target": 95,
    }
    data.update(overrides)
    return client.post("/supervise/assignments", data=data)


def _start(app, client) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    response = client.post(f"/assignments/{assignment_id}/start")
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_exam_hides_grades_until_the_set_is_submitted(app, client, auth, users):
    cohort_id = _cohort(app, users)
    auth.login("supervisor")
    assert _create_exam(client, cohort_id).status_code == 303
    auth.logout()
    auth.login()
    assert "Ortho exam" in client.get("/assignments/").get_data(as_text=True)
    run_id = _start(app, client)
    assert _start(app, client) == run_id  # starting again returns the same run and charts
    with app.app_context():
        attempts = db.session.scalars(select(Attempt).where(Attempt.run_id == run_id)).all()
        ids = [a.id for a in attempts]
        assert len(ids) == 3 and all(a.mode == "exam" for a in attempts)
    first, second = ids[0], ids[1]
    response = client.post(f"/practice/attempt/{first}/submit", data=form_for(key_of(app, first)))
    assert response.headers["Location"].endswith(f"/assignments/run/{run_id}")
    hidden = client.get(f"/practice/attempt/{first}/result")
    assert hidden.status_code == 302 and f"/assignments/run/{run_id}" in hidden.headers["Location"]
    page = client.get(f"/assignments/run/{run_id}").get_data(as_text=True)
    assert "after the exam" in page and "answer saved" in page
    # The second chart only has an autosaved draft; the third nothing at all.
    key = key_of(app, second)
    client.post(
        f"/practice/attempt/{second}/draft",
        json={"diagnoses": [d.code for d in key.diagnoses], "lines": []},
    )
    client.post(f"/assignments/run/{run_id}/finish")
    with app.app_context():
        graded = {
            a.id: a for a in db.session.scalars(select(Attempt).where(Attempt.run_id == run_id))
        }
        assert all(a.status == "submitted" for a in graded.values())
        assert graded[first].chart_correct
        assert graded[second].code_correct == len(key.diagnoses)  # graded from the draft
        assert db.session.get(AssignmentRun, run_id).finished_at is not None
    assert client.get(f"/practice/attempt/{first}/result").status_code == 200
    assert "Code-level accuracy on this set" in client.get(f"/assignments/run/{run_id}").get_data(
        as_text=True
    )


def test_time_running_out_submits_what_was_typed(app, client, auth, users):
    cohort_id = _cohort(app, users)
    auth.login("supervisor")
    _create_exam(client, cohort_id, chart_count=1)
    auth.logout()
    auth.login()
    run_id = _start(app, client)
    with app.app_context():
        attempt_id = db.session.scalar(select(Attempt.id).where(Attempt.run_id == run_id))
    client.post(f"/practice/attempt/{attempt_id}/draft", json={"diagnoses": ["R69"]})
    with app.app_context():
        run = db.session.get(AssignmentRun, run_id)
        run.deadline_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(f"/practice/attempt/{attempt_id}")
    assert f"/assignments/run/{run_id}" in response.headers["Location"]
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted" and attempt.answer["diagnoses"] == ["R69"]
    late = client.post(
        f"/practice/attempt/{attempt_id}/submit", data=form_for(key_of(app, attempt_id))
    )
    assert late.status_code == 409 and "The exam closed at" in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).answer["diagnoses"] == ["R69"]


def test_bad_assignment_forms_are_400(app, client, auth, users):
    cohort_id = _cohort(app, users)
    auth.login("supervisor")
    assert _create_exam(client, cohort_id, time_limit_minutes="").status_code == 400
    assert _create_exam(client, cohort_id, chart_count=0).status_code == 400
    assert _create_exam(client, cohort_id, title="x" * 500).status_code == 400
    assert _create_exam(client, 999).status_code == 400
    assert _create_exam(client, cohort_id, specialty="astrology").status_code == 400
    too_high = _create_exam(client, cohort_id, target=99)
    assert too_high.status_code == 400 and "98% (elite)" in too_high.get_data(as_text=True)
    assert _create_exam(client, cohort_id, target=90).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Assignment.id)) is None
    assert _create_exam(client, cohort_id, target=98).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Assignment.target)) == 0.98


def test_practice_assignment_gives_feedback_per_chart(app, client, auth, users):
    cohort_id = _cohort(app, users)
    auth.login("supervisor")
    _create_exam(client, cohort_id, mode="practice", time_limit_minutes="", chart_count=2)
    auth.logout()
    auth.login()
    run_id = _start(app, client)
    with app.app_context():
        attempt_id = db.session.scalar(select(Attempt.id).where(Attempt.run_id == run_id))
    response = client.post(
        f"/practice/attempt/{attempt_id}/submit", data=form_for(key_of(app, attempt_id))
    )
    assert response.headers["Location"].endswith(f"/practice/attempt/{attempt_id}/result")


def test_exam_chart_shows_the_countdown(app, client, auth, users):
    cohort_id = _cohort(app, users)
    auth.login("supervisor")
    _create_exam(client, cohort_id, chart_count=1)
    auth.logout()
    auth.login()
    run_id = _start(app, client)
    with app.app_context():
        attempt_id = db.session.scalar(select(Attempt.id).where(Attempt.run_id == run_id))
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'id="countdown" data-deadline="' in page
    assert "Save answer" in page and "Skip this chart" not in page


def test_an_assignment_from_chosen_templates_and_a_code_year(app, client, auth, users):
    from trainer.domain import domain

    cohort_id = _cohort(app, users)
    with app.app_context():
        chosen = sorted(domain().library.by_specialty()["cardiology"], key=lambda t: t.id)[:2]
    auth.login("supervisor")
    response = _create_exam(
        client,
        cohort_id,
        title="Two cardiology charts",
        specialty="",
        mode="practice",
        chart_count=4,
        templates=[t.id for t in chosen],
        code_year="2026",
    )
    assert response.status_code == 303
    auth.logout()
    auth.login()
    run_id = _start(app, client)
    with app.app_context():
        attempts = db.session.scalars(select(Attempt).where(Attempt.run_id == run_id)).all()
        assert {a.template_id for a in attempts} == {t.id for t in chosen}
        assert all(a.variant["date_of_service"].startswith("2026") for a in attempts)


def test_a_skills_filter_draws_only_templates_teaching_them(app, client, auth, users):
    from trainer.domain import domain

    cohort_id = _cohort(app, users)
    auth.login("supervisor")
    response = _create_exam(
        client, cohort_id, title="Laterality", specialty="", mode="practice", skills="laterality"
    )
    assert response.status_code == 303
    auth.logout()
    auth.login()
    run_id = _start(app, client)
    with app.app_context():
        library = domain().library
        attempts = db.session.scalars(select(Attempt).where(Attempt.run_id == run_id)).all()
        assert attempts and all("laterality" in library.get(a.template_id).skills for a in attempts)


def test_unknown_template_or_skill_is_a_400(app, client, auth, users):
    cohort_id = _cohort(app, users)
    auth.login("supervisor")
    bad = _create_exam(client, cohort_id, templates=["not-a-template"])
    assert bad.status_code == 400
    bad = _create_exam(client, cohort_id, skills="juggling")
    assert bad.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Assignment.id)) is None
