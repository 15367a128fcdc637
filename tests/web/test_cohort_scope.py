"""Supervisors stay in their cohorts: authored templates and key corrections reach only the
cohorts their author has authority over, unless an administrator decides for everyone."""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from tests.conftest import PASSWORD
from tests.web.test_migrations import MIGRATIONS
from tests.web.test_practice import form_for, key_of, start_chart
from trainer import create_app
from trainer.core.claims import claim_from_dict
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import (
    Assignment,
    Attempt,
    AttemptGrade,
    AuthoredTemplate,
    Cohort,
    CohortMember,
    Dispute,
    KeyCorrection,
    User,
)
from trainer.services.accounts import create_user
from trainer.services.disputes import DisputeError, correct_key
from trainer.services.keys import current_key
from trainer.services.library import STARTER_BODY, save_template, starter_toml
from trainer.services.practice import start_attempt, submit_attempt


@pytest.fixture
def two_cohorts(app, users):  # type: ignore[no-untyped-def]
    """Cohort A (supervisor, with trainee) and cohort B (supervisor_b, with trainee_b)."""
    with app.app_context():
        sup_b = create_user("supervisor_b", PASSWORD, "supervisor").id
        trainee_b = create_user("trainee_b", PASSWORD).id
        a = Cohort(name="A", supervisor_id=users["supervisor"], join_code="SCOPEA")
        b = Cohort(name="B", supervisor_id=sup_b, join_code="SCOPEB")
        db.session.add_all([a, b])
        db.session.flush()
        db.session.add(CohortMember(cohort_id=a.id, user_id=users["trainee"]))
        db.session.add(CohortMember(cohort_id=b.id, user_id=trainee_b))
        db.session.commit()
        return {**users, "supervisor_b": sup_b, "trainee_b": trainee_b, "a": a.id, "b": b.id}


def _authored_by(app, user_id: int) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """A checked primary-care template (difficulty 2) written by this user: (row id, uuid)."""
    with app.app_context():
        row = save_template(db.session.get(User, user_id), starter_toml(), STARTER_BODY)
        assert row.status == "checked", row.problems
        return row.id, row.template_id


def _assign(client, cohort_id: int, **fields):  # type: ignore[no-untyped-def]
    data = {
        "cohort": cohort_id,
        "title": "Scoped",
        "chart_count": 6,
        "mode": "practice",
        "policy": "strict",
        "target": 95,
        **fields,
    }
    return client.post("/supervise/assignments", data=data)


def _run_templates(app, client, username: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Log in as the trainee, start the newest assignment, return its charts' template ids."""
    client.post("/auth/logout")
    client.post("/auth/login", data={"username": username, "password": PASSWORD})
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id).order_by(Assignment.id.desc()))
    assert client.post(f"/assignments/{assignment_id}/start").status_code == 303
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        return set(
            db.session.scalars(
                select(Attempt.template_id).where(
                    Attempt.user_id == user_id, Attempt.run_id.is_not(None)
                )
            )
        )


def test_a_filter_assignment_of_b_never_draws_a_private_template_of_a(
    app, client, auth, two_cohorts
):
    _, template_a = _authored_by(app, two_cohorts["supervisor"])
    auth.login("supervisor_b")
    # Primary care at difficulty 2: one built-in template and supervisor A's; six charts
    # would cycle through both if A's were in the pool.
    created = _assign(client, two_cohorts["b"], specialty="primary_care", difficulty=2)
    assert created.status_code == 303
    drawn = _run_templates(app, client, "trainee_b")
    assert drawn and template_a not in drawn
    # ...while A's own filter assignment does draw it.
    client.post("/auth/logout")
    auth.login("supervisor")
    assert _assign(client, two_cohorts["a"], specialty="primary_care", difficulty=2).status_code
    assert template_a in _run_templates(app, client, "trainee")


def test_a_private_template_cannot_be_chosen_for_another_cohort_even_by_an_admin(
    app, client, auth, two_cohorts
):
    _, template_a = _authored_by(app, two_cohorts["supervisor"])
    auth.login("supervisor_b")
    assert _assign(client, two_cohorts["b"], templates=[template_a]).status_code == 400
    client.post("/auth/logout")
    auth.login("admin")
    refused = _assign(client, two_cohorts["b"], templates=[template_a])
    assert refused.status_code == 400
    assert "cannot be assigned to this cohort" in refused.get_data(as_text=True)
    # In A's own cohort, the administrator may assign A's template.
    assert _assign(client, two_cohorts["a"], templates=[template_a]).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Assignment.cohort_id)) == two_cohorts["a"]


def test_an_admin_published_template_is_assignable_by_both_supervisors(
    app, client, auth, two_cohorts
):
    row_id, template_a = _authored_by(app, two_cohorts["supervisor"])
    auth.login("supervisor")
    assert client.post(f"/supervise/templates/{row_id}/publish").status_code == 403
    client.post("/auth/logout")
    auth.login("supervisor_b")
    assert client.post(f"/supervise/templates/{row_id}/publish").status_code == 403
    client.post("/auth/logout")
    auth.login("admin")
    assert client.post(f"/supervise/templates/{row_id}/publish").status_code == 303
    listing = client.get("/supervise/templates/").get_data(as_text=True)
    assert "every cohort (published by admin" in listing
    with app.app_context():
        row = db.session.get(AuthoredTemplate, row_id)
        assert row.published_by == two_cohorts["admin"] and row.published_at is not None
    for supervisor, cohort, trainee in (
        ("supervisor_b", "b", "trainee_b"),
        ("supervisor", "a", "trainee"),
    ):
        client.post("/auth/logout")
        auth.login(supervisor)
        assert _assign(client, two_cohorts[cohort], templates=[template_a]).status_code == 303
        assert _run_templates(app, client, trainee) == {template_a}


def test_an_edit_by_the_author_takes_a_published_template_back_to_their_cohorts(
    app, client, auth, two_cohorts
):
    row_id, template_a = _authored_by(app, two_cohorts["supervisor"])
    auth.login("admin")
    client.post(f"/supervise/templates/{row_id}/publish")
    client.post("/auth/logout")
    auth.login("supervisor")
    with app.app_context():
        text = db.session.get(AuthoredTemplate, row_id).toml_text
    edited = text.replace("My template", "Mine, edited")
    client.post(f"/supervise/templates/{row_id}", data={"toml_text": edited, "body": STARTER_BODY})
    with app.app_context():
        row = db.session.get(AuthoredTemplate, row_id)
        assert row.status == "checked" and row.published_at is None
    client.post("/auth/logout")
    auth.login("supervisor_b")
    assert _assign(client, two_cohorts["b"], templates=[template_a]).status_code == 400


def _same_wrong_chart_in_both_cohorts(app, client, auth, cohorts):  # type: ignore[no-untyped-def]
    """Trainee A submits a chart with a wrong diagnosis (M17.0) and disputes it; trainee B
    submits the same variant with the same answer. Returns (attempt A, attempt B, keyed dx)."""
    auth.login()
    attempt_a = start_chart(client)
    key = key_of(app, attempt_a)
    data = form_for(key)
    data["diagnoses-0"] = "M17.0"
    client.post(f"/practice/attempt/{attempt_a}/submit", data=data)
    client.post(
        f"/practice/attempt/{attempt_a}/dispute",
        data={"item": key.diagnoses[0].code, "citation": "The note documents both knees."},
    )
    with app.app_context():
        first = db.session.get(Attempt, attempt_a)
        template = domain().library.get(first.template_id)
        other = start_attempt(cohorts["trainee_b"], template, seed=first.seed)
        answer = claim_from_dict(first.answer)
        submit_attempt(other.id, cohorts["trainee_b"], answer, 60, domain().catalog)
        assert db.session.get(Attempt, other.id).chart_correct is False
        attempt_b = other.id
    client.post("/auth/logout")
    return attempt_a, attempt_b, key.diagnoses[0].code


def _accept(app, client, username: str, keyed: str, why: str):  # type: ignore[no-untyped-def]
    client.post("/auth/logout")
    client.post("/auth/login", data={"username": username, "password": PASSWORD})
    with app.app_context():
        dispute_id = db.session.scalar(select(Dispute.id).where(Dispute.status == "open"))
    return client.post(
        f"/supervise/disputes/{dispute_id}/accept",
        data={"old_code": keyed, "also_accept": "M17.0", "response": why},
    )


def _grades(app, attempt_id: int) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (g.key_version, g.reason)
            for g in db.session.scalars(
                select(AttemptGrade).where(AttemptGrade.attempt_id == attempt_id)
            )
        ]


def test_a_supervisors_correction_regrades_only_their_own_cohorts(app, client, auth, two_cohorts):
    attempt_a, attempt_b, keyed = _same_wrong_chart_in_both_cohorts(app, client, auth, two_cohorts)
    # Supervisor B cannot resolve A's dispute (another cohort's chart).
    client.post("/auth/login", data={"username": "supervisor_b", "password": PASSWORD})
    with app.app_context():
        dispute_id = db.session.scalar(select(Dispute.id))
    assert client.post(f"/supervise/disputes/{dispute_id}/accept").status_code == 404
    response = _accept(app, client, "supervisor", keyed, "Both knees: accept M17.0.")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Attempt, attempt_a).chart_correct is True
        kept = db.session.get(Attempt, attempt_b)
        assert kept.chart_correct is False  # cohort B keeps its grade
        assert "M17.0" not in current_key(kept).diagnoses[0].alternates
        correction = db.session.scalar(select(KeyCorrection))
        assert correction.applies_to == "cohorts" and correction.cohort_ids == [two_cohorts["a"]]
        assert kept.cohort_id == two_cohorts["b"]
    assert _grades(app, attempt_a) == [(1, "submitted"), (2, "key_correction")]
    assert _grades(app, attempt_b) == [(1, "submitted")]
    # B's supervisor is not shown A's private correction; A's is.
    client.post("/auth/logout")
    auth.login("supervisor_b")
    page = client.get("/supervise/disputes").get_data(as_text=True)
    assert "Both knees: accept M17.0." not in page
    # Trainee B's result page still grades on the original key.
    client.post("/auth/logout")
    auth.login("trainee_b")
    result = client.get(f"/practice/attempt/{attempt_b}/result").get_data(as_text=True)
    assert "Both knees" not in result


def test_an_admin_acceptance_regrades_every_cohort_and_b_sees_it(app, client, auth, two_cohorts):
    attempt_a, attempt_b, keyed = _same_wrong_chart_in_both_cohorts(app, client, auth, two_cohorts)
    response = _accept(app, client, "admin", keyed, "Documented bilateral: M17.0 is right.")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Attempt, attempt_a).chart_correct is True
        assert db.session.get(Attempt, attempt_b).chart_correct is True
        assert db.session.scalar(select(KeyCorrection.applies_to)) == "all"
    assert _grades(app, attempt_b) == [(1, "submitted"), (2, "key_correction")]
    client.post("/auth/logout")
    auth.login("supervisor_b")
    page = client.get("/supervise/disputes").get_data(as_text=True)
    assert "Documented bilateral: M17.0 is right." in page
    assert "every cohort (administrator)" in page


def test_only_an_admin_may_correct_a_key_for_every_cohort(app, two_cohorts):
    with app.app_context():
        template = sorted(domain().library.templates.values(), key=lambda t: t.id)[0]
        attempt = start_attempt(two_cohorts["trainee"], template, seed=3)
        keyed = current_key(attempt).diagnoses[0].code
        supervisor = db.session.get(User, two_cohorts["supervisor"])
        with pytest.raises(DisputeError, match="Only an administrator"):
            correct_key(
                template.id, {}, {keyed: ["Z00.00"]}, "why", supervisor, None, everyone=True
            )
        assert db.session.scalar(select(KeyCorrection.id)) is None


def test_charts_coded_before_joining_a_cohort_are_reached_by_its_supervisors_correction(
    app, two_cohorts
):
    with app.app_context():
        loner = create_user("loner", PASSWORD).id
        template = sorted(domain().library.templates.values(), key=lambda t: t.id)[0]
        early = start_attempt(loner, template, seed=5)
        assert early.cohort_id is None
        from trainer.services.cohorts import join_cohort

        join_cohort(db.session.get(User, loner), "SCOPEB")
        keyed = current_key(early).diagnoses[0].code
        supervisor_b = db.session.get(User, two_cohorts["supervisor_b"])
        correct_key(template.id, {}, {keyed: ["Z00.00"]}, "Also right.", supervisor_b, None)
        db.session.refresh(early)
        assert early.cohort_id == two_cohorts["b"]
        assert "Z00.00" in current_key(early).diagnoses[0].alternates
        # A chart of cohort A's trainee, of the same template, is not reached.
        other = start_attempt(two_cohorts["trainee"], template, seed=5)
        assert "Z00.00" not in current_key(other).diagnoses[0].alternates


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="uses its own SQLite file")
def test_the_migration_files_existing_attempts_under_their_cohort(tmp_path, codeset_index):
    """A run's chart takes its assignment's cohort, a practice chart its trainee's cohort;
    existing corrections keep reaching everyone, as they did when they were made."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
            "SECRET_KEY": "x",
            "CODESET_INDEX": str(codeset_index),
        }
    )
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="8191eb6e65c9")
        with db.engine.begin() as conn:
            for statement in (
                "INSERT INTO users (id, username, email, display_name, password_hash, role, "
                "active, created_at) VALUES (1, 's', '', 'S', 'x', 'supervisor', 1, '2025-01-01'),"
                " (2, 't', '', 'T', 'x', 'trainee', 1, '2025-01-01')",
                "INSERT INTO cohorts (id, name, supervisor_id, join_code, review_sample, "
                "created_at) VALUES (1, 'Old', 1, 'OLD1', 10, '2025-01-01'),"
                " (2, 'Now', 1, 'NOW2', 10, '2025-01-01')",
                "INSERT INTO cohort_members (id, cohort_id, user_id, targets, joined_at) "
                "VALUES (1, 2, 2, '{}', '2025-01-01')",
                "INSERT INTO assignments (id, cohort_id, title, specialty, template_ids, "
                "chart_count, mode, policy, target, skills, refresher, created_by, created_at) "
                "VALUES (1, 1, 'A', '', '[]', 1, 'practice', 'strict', 0.95, '[]', '', 1, "
                "'2025-01-01')",
                "INSERT INTO assignment_runs (id, assignment_id, user_id, started_at) "
                "VALUES (1, 1, 2, '2025-01-01')",
                "INSERT INTO attempts (id, user_id, template_id, template_version, seed, "
                "specialty, setting, difficulty, mode, policy, variant, status, code_correct, "
                "code_total, chart_correct, seconds_spent, started_at, run_id) VALUES "
                "(1, 2, 't', 1, 1, 'x', 'professional', 1, 'practice', 'strict', '{}', "
                "'submitted', 0, 0, 0, 0, '2025-01-01', 1), (2, 2, 't', 1, 1, 'x', "
                "'professional', 1, 'practice', 'strict', '{}', 'submitted', 0, 0, 0, 0, "
                "'2025-01-01', NULL)",
                "INSERT INTO key_corrections (id, template_id, version, replace, accept, reason, "
                "created_by, created_at) VALUES (1, 't', 2, '{}', '{}', 'r', 1, '2025-01-01')",
            ):
                conn.execute(text(statement))
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            cohorts = conn.execute(text("SELECT id, cohort_id FROM attempts ORDER BY id")).all()
            assert [tuple(r) for r in cohorts] == [(1, 1), (2, 2)]
            reach = conn.execute(text("SELECT applies_to, cohort_ids FROM key_corrections")).one()
            assert tuple(reach) == ("all", "[]")
        db.engine.dispose()
