"""Disputes: a trainee challenges a key; the supervisor rejects, or corrects it and regrades."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.test_practice import form_for, key_of, start_chart
from trainer.extensions import db
from trainer.models import Attempt, AttemptGrade, Cohort, CohortMember, Dispute
from trainer.services.accounts import create_user


def _cohort(app, users) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        cohort = Cohort(name="A", supervisor_id=users["supervisor"], join_code="JOINA1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=users["trainee"]))
        db.session.commit()


def _wrong_submission(app, client, auth):  # type: ignore[no-untyped-def]
    auth.login()
    attempt_id = start_chart(client)
    key = key_of(app, attempt_id)
    data = form_for(key)
    data["diagnoses-0"] = "M17.0"  # bilateral: wrong for this chart, 'right' after a correction
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    return attempt_id, key.diagnoses[0].code


def test_dispute_accept_corrects_the_key_and_regrades(app, client, auth, users):
    _cohort(app, users)
    attempt_id, keyed = _wrong_submission(app, client, auth)
    response = client.post(
        f"/practice/attempt/{attempt_id}/dispute",
        data={"item": keyed, "citation": "The note documents both knees (ICD-10-CM I.B.13)."},
    )
    assert response.status_code == 303
    auth.logout()
    auth.login("supervisor")
    queue = client.get("/supervise/disputes").get_data(as_text=True)
    assert "both knees" in queue
    with app.app_context():
        dispute_id = db.session.scalar(select(Dispute.id))
    response = client.post(
        f"/supervise/disputes/{dispute_id}/accept",
        data={"old_code": keyed, "also_accept": "M17.0", "response": "Agreed: accept M17.0."},
    )
    assert response.status_code == 303
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        grades = db.session.scalars(
            select(AttemptGrade).where(AttemptGrade.attempt_id == attempt_id)
        ).all()
        assert [g.key_version for g in grades] == [1, 2]  # the first grade stays in history
        assert grades[0].result["chart_correct"] is False
        assert attempt.chart_correct is True
        assert db.session.get(Dispute, dispute_id).status == "accepted"
    auth.logout()
    auth.login()
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "Agreed: accept M17.0." in page and "Every line matches the key" in page


def test_dispute_reject_explains(app, client, auth, users):
    _cohort(app, users)
    attempt_id, keyed = _wrong_submission(app, client, auth)
    client.post(
        f"/practice/attempt/{attempt_id}/dispute",
        data={"item": keyed, "citation": "I think bilateral fits the note."},
    )
    auth.logout()
    auth.login("supervisor")
    with app.app_context():
        dispute_id = db.session.scalar(select(Dispute.id))
    assert (
        client.post(
            f"/supervise/disputes/{dispute_id}/reject", data={"response": "short"}
        ).status_code
        == 400
    )
    client.post(
        f"/supervise/disputes/{dispute_id}/reject",
        data={"response": "The note documents the right knee only."},
    )
    auth.logout()
    auth.login()
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "rejected" in page and "right knee only" in page


def test_short_or_foreign_disputes_are_refused(app, client, auth, users):
    attempt_id, keyed = _wrong_submission(app, client, auth)
    response = client.post(
        f"/practice/attempt/{attempt_id}/dispute", data={"item": keyed, "citation": "no"}
    )
    assert response.status_code == 400
    auth.logout()
    auth.login("other")
    response = client.post(
        f"/practice/attempt/{attempt_id}/dispute", data={"item": keyed, "citation": "x" * 20}
    )
    assert response.status_code == 404


def test_other_supervisors_cannot_see_or_resolve(app, client, auth, users):
    _cohort(app, users)
    attempt_id, keyed = _wrong_submission(app, client, auth)
    client.post(
        f"/practice/attempt/{attempt_id}/dispute",
        data={"item": keyed, "citation": "Bilateral is documented in the note."},
    )
    with app.app_context():
        create_user("stranger", "correct-horse-battery", "supervisor")
        dispute_id = db.session.scalar(select(Dispute.id))
    auth.logout()
    auth.login("stranger")
    assert "Bilateral is documented" not in client.get("/supervise/disputes").get_data(as_text=True)
    assert (
        client.post(
            f"/supervise/disputes/{dispute_id}/reject", data={"response": "not mine to judge"}
        ).status_code
        == 404
    )
    auth.logout()
    auth.login("trainee")
    assert client.get("/supervise/disputes").status_code == 403
