"""Two-tier review through the browser's requests: sampled queue, override, trainee's view."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.web.test_disputes import _cohort, _wrong_submission
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Attempt, AttemptGrade, Review, User
from trainer.services.accounts import create_user
from trainer.services.disputes import correct_key


def _review_form(verdict: str = "", reason: str = "", comment: str = "") -> dict[str, str]:
    return {"dx-0-verdict": verdict, "dx-0-reason": reason, "comment": comment}


def test_a_trainee_below_target_has_every_chart_in_the_queue(app, client, auth, users):
    _cohort(app, users)
    attempt_id, _ = _wrong_submission(app, client, auth)
    auth.logout()
    auth.login("supervisor")
    page = client.get("/supervise/review/").get_data(as_text=True)
    assert f"/supervise/review/{attempt_id}" in page
    assert "not yet at target" in page


def test_override_rescores_the_chart_and_the_trainee_reads_why(app, client, auth, users):
    _cohort(app, users)
    attempt_id, _ = _wrong_submission(app, client, auth)
    with app.app_context():
        before = db.session.get(Attempt, attempt_id)
        assert before.chart_correct is False
        score_before = before.score
    auth.logout()
    auth.login("supervisor")
    queued = f"/supervise/review/{attempt_id}?"  # the queue links carry ?why=<reason>
    assert queued in client.get("/supervise/review/").get_data(as_text=True)
    assert client.get(f"/supervise/review/{attempt_id}").status_code == 200
    response = client.post(
        f"/supervise/review/{attempt_id}",
        data=_review_form(
            "correct",
            "Both knees are documented in the exam; M17.0 stands.",
            "Good catch on the exam findings.",
        ),
    )
    assert response.status_code == 303
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.score > score_before
        reasons = db.session.scalars(
            select(AttemptGrade.reason).where(AttemptGrade.attempt_id == attempt_id)
        ).all()
        assert reasons == ["submitted", "review"]  # the automatic grade stays in history
        review = db.session.scalar(select(Review).where(Review.attempt_id == attempt_id))
        assert review.decision == "overridden"
    # The reviewed chart leaves the queue (the same link that was there before the review).
    assert queued not in client.get("/supervise/review/").get_data(as_text=True)
    with app.app_context():
        from trainer.models import User
        from trainer.services.review import review_queue

        supervisor = db.session.get(User, users["supervisor"])
        assert attempt_id not in {item.attempt.id for item in review_queue(supervisor, 0.95, 0.97)}
    auth.logout()
    auth.login()
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "Second-tier review" in page
    assert "Both knees are documented" in page
    assert "Good catch" in page


def test_override_without_reason_is_400_and_changes_nothing(app, client, auth, users):
    _cohort(app, users)
    attempt_id, _ = _wrong_submission(app, client, auth)
    auth.logout()
    auth.login("supervisor")
    response = client.post(f"/supervise/review/{attempt_id}", data=_review_form("correct", ""))
    assert response.status_code == 400
    assert b"reason for every override" in response.data
    with app.app_context():
        assert db.session.scalar(select(Review.id)) is None
    bad = client.post(f"/supervise/review/{attempt_id}", data={"dx-0-verdict": "maybe"})
    assert bad.status_code == 400


def test_confirming_keeps_the_grade(app, client, auth, users):
    _cohort(app, users)
    attempt_id, _ = _wrong_submission(app, client, auth)
    auth.logout()
    auth.login("supervisor")
    client.post(f"/supervise/review/{attempt_id}", data=_review_form())
    with app.app_context():
        assert db.session.scalar(select(Review.decision)) == "confirmed"
        assert (
            db.session.scalar(select(AttemptGrade.id).where(AttemptGrade.reason == "review"))
            is None
        )


def test_another_supervisor_cannot_review(app, client, auth, users):
    _cohort(app, users)
    attempt_id, _ = _wrong_submission(app, client, auth)
    with app.app_context():
        create_user("stranger", PASSWORD, "supervisor")
    auth.logout()
    auth.login("stranger")
    assert client.get(f"/supervise/review/{attempt_id}").status_code == 404
    assert client.post(f"/supervise/review/{attempt_id}", data=_review_form()).status_code == 404


def test_a_key_correction_keeps_the_reviewers_verdicts(app, client, auth, users):
    _cohort(app, users)
    attempt_id, keyed = _wrong_submission(app, client, auth)
    auth.logout()
    auth.login("supervisor")
    client.post(
        f"/supervise/review/{attempt_id}",
        data=_review_form("correct", "Bilateral findings are documented in the exam."),
    )
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        # A later correction of the same item that the trainee still does not match.
        correct_key(
            attempt.template_id,
            {keyed: "M17.9"},
            {},
            "Key fix.",
            db.session.get(User, users["supervisor"]),
            domain().catalog,
        )
        db.session.refresh(attempt)
        grades = db.session.scalars(
            select(AttemptGrade)
            .where(AttemptGrade.attempt_id == attempt_id)
            .order_by(AttemptGrade.id)
        ).all()
        assert [g.reason for g in grades] == ["submitted", "review", "key_correction", "review"]
        automatic, reviewed = grades[-2].result, grades[-1].result
        assert automatic["diagnoses"][0]["expected"] == "M17.9"
        assert automatic["diagnoses"][0]["correct"] is False
        assert reviewed["diagnoses"][0]["correct"] is True  # the reviewer's verdict survives
        assert attempt.score == reviewed["score"]


def test_sample_size_is_validated(app, client, auth, users):
    _cohort(app, users)
    auth.login("supervisor")
    with app.app_context():
        from trainer.models import Cohort

        cohort_id = db.session.scalar(select(Cohort.id))
    ok = client.post(f"/supervise/review/cohorts/{cohort_id}/sample", data={"per_quarter": "4"})
    assert ok.status_code == 303
    client.post(f"/supervise/review/cohorts/{cohort_id}/sample", data={"per_quarter": "-3"})
    with app.app_context():
        from trainer.models import Cohort

        assert db.session.get(Cohort, cohort_id).review_sample == 4
