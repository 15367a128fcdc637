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


# --- a correction can change any part of the key (issue 17) ------------------------------

from trainer.models import KeyCorrection  # noqa: E402


def _disputed(app, client, auth, users, extra_dx: str = "E66.9"):  # type: ignore[no-untyped-def]
    """A trainee answers with the key plus one extra diagnosis, then disputes it."""
    _cohort(app, users)
    auth.login()
    attempt_id = start_chart(client)
    key = key_of(app, attempt_id)
    data = form_for(key)
    data[f"diagnoses-{len(key.diagnoses)}"] = extra_dx
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    client.post(
        f"/practice/attempt/{attempt_id}/dispute",
        data={"item": extra_dx, "citation": "The note documents obesity, BMI 32, managed today."},
    )
    auth.logout()
    with app.app_context():
        dispute_id = db.session.scalar(select(Dispute.id))
    return attempt_id, key, dispute_id


def test_accepting_a_dispute_can_add_a_missing_code(app, client, auth, users):
    """Once a 400 ("a correction replaces a keyed code"): now the code is added and the
    trainee's answer regraded right."""
    attempt_id, key, dispute_id = _disputed(app, client, auth, users)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).chart_correct is False
    auth.login("supervisor")
    response = client.post(
        f"/supervise/disputes/{dispute_id}/accept",
        data={"new_code": "E66.9", "response": "Agreed: obesity was managed, so it is coded."},
    )
    assert response.status_code == 303
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.chart_correct is True and attempt.score == 1.0
        row = db.session.scalar(select(KeyCorrection))
        assert row.changes == [{"op": "add_diagnosis", "code": "E66.9"}]
        assert row.created_by == users["supervisor"] and row.created_at is not None
        dispute = db.session.get(Dispute, dispute_id)
        assert dispute.resolved_by == users["supervisor"] and dispute.resolved_at is not None
    page = client.get("/supervise/disputes").get_data(as_text=True)
    assert "add diagnosis <code>E66.9</code>" in page


def test_a_correction_can_remove_a_code_and_change_a_line(app, client, auth, users):
    attempt_id, key, dispute_id = _disputed(app, client, auth, users)
    line = key.lines[0].line
    auth.login("supervisor")
    response = client.post(
        f"/supervise/disputes/{dispute_id}/accept",
        data={
            "change_op": "change_line",
            "change_code": line.code,
            "change_units": str(line.units + 1),
            "response": "The note documents one more unit.",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        grade = db.session.scalars(
            select(AttemptGrade)
            .where(AttemptGrade.attempt_id == attempt_id)
            .order_by(AttemptGrade.id.desc())
        ).first()
        assert grade.key_version == 2
        assert "wrong_units" in [e["type"] for e in grade.result["errors"]]
        assert attempt.chart_correct is False
    from trainer.domain import domain
    from trainer.models import User
    from trainer.services.disputes import correct_key

    with app.app_context():
        author = db.session.get(User, users["supervisor"])
        _, regraded = correct_key(
            db.session.get(Attempt, attempt_id).template_id,
            {},
            {},
            "Remove the last diagnosis after review.",
            author,
            domain().catalog,
            changes=[{"op": "remove", "code": key.diagnoses[-1].code}],
        )
        assert regraded == 1
        grade = db.session.scalars(
            select(AttemptGrade)
            .where(AttemptGrade.attempt_id == attempt_id)
            .order_by(AttemptGrade.id.desc())
        ).first()
        assert grade.key_version == 3
        extras = [e for e in grade.result["errors"] if e["type"] == "extra_code"]
        assert key.diagnoses[-1].code in {e["given"] for e in extras}


def test_bad_changes_are_a_clear_400(app, client, auth, users):
    attempt_id, key, dispute_id = _disputed(app, client, auth, users)
    auth.login("supervisor")
    cases = [
        ({"new_code": "E66.999"}, "cannot be keyed"),  # not a real code
        ({"new_code": key.diagnoses[0].code}, "already in the key"),
        ({"change_op": "remove", "change_code": "I10"}, "not in the current key"),
        (
            {
                "change_op": "change_line",
                "change_code": key.lines[0].line.code,
                "change_units": "0",
            },
            "units must be",
        ),
        (
            {
                "change_op": "change_line",
                "change_code": key.lines[0].line.code,
                "change_modifiers": "QQ",
            },
            "QQ is not a modifier",
        ),
        ({"change_op": "move_diagnosis", "change_code": key.diagnoses[0].code}, "position"),
    ]
    for data, message in cases:
        response = client.post(
            f"/supervise/disputes/{dispute_id}/accept", data={**data, "response": "x" * 12}
        )
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    with app.app_context():
        assert db.session.scalar(select(KeyCorrection)) is None
        assert db.session.get(Dispute, dispute_id).status == "open"


def test_wrong_role_and_wrong_cohort_cannot_change_a_key(app, client, auth, users):
    attempt_id, key, dispute_id = _disputed(app, client, auth, users)
    auth.login()  # the trainee
    data = {"new_code": "E66.9", "response": "I add it myself."}
    assert client.post(f"/supervise/disputes/{dispute_id}/accept", data=data).status_code == 403
    auth.logout()
    with app.app_context():
        create_user("stranger", "correct-horse-battery", "supervisor")
    auth.login("stranger")  # a supervisor of no cohort of this trainee
    assert client.post(f"/supervise/disputes/{dispute_id}/accept", data=data).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(KeyCorrection)) is None
        assert db.session.get(Attempt, attempt_id).chart_correct is False


# --- an inpatient key's correction reaches the 837I's 25th diagnosis (issue 15) ----------

from tests.core.test_key_corrections import SECONDARIES  # noqa: E402
from tests.web.test_inpatient import inpatient_form  # noqa: E402


def _add_secondaries(app, users, attempt_id: int, count: int) -> None:  # type: ignore[no-untyped-def]
    """The supervisor keys ``count`` more real secondary diagnoses in one correction."""
    from trainer.domain import domain
    from trainer.models import User
    from trainer.services.disputes import correct_key
    from trainer.services.keys import current_key

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        keyed = {d.code for d in current_key(attempt).diagnoses}
        codes = [c for c in SECONDARIES if c not in keyed][:count]
        assert len(codes) == count
        correct_key(
            attempt.template_id,
            {},
            {},
            "The discharge summary documents these conditions, each treated or monitored.",
            db.session.get(User, users["supervisor"]),
            domain().catalog,
            changes=[{"op": "add_diagnosis", "code": c} for c in codes],
        )


def _keyed_dx(app, attempt_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    from trainer.services.keys import current_key

    with app.app_context():
        return [d.code for d in current_key(db.session.get(Attempt, attempt_id)).diagnoses]


def _disputed_stay(app, client, auth, users):  # type: ignore[no-untyped-def]
    """A trainee submits a real inpatient stay (UB-04 type of bill 0111) and disputes it."""
    _cohort(app, users)
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    key = key_of(app, attempt_id)
    assert key.setting == "inpatient"
    client.post(f"/practice/attempt/{attempt_id}/submit", data=inpatient_form(key))
    client.post(
        f"/practice/attempt/{attempt_id}/dispute",
        data={"item": key.diagnoses[0].code, "citation": "The record documents more conditions."},
    )
    auth.logout()
    with app.app_context():
        dispute_id = db.session.scalar(select(Dispute.id))
    return attempt_id, key, dispute_id


def test_an_inpatient_key_correction_reaches_the_25th_diagnosis(app, client, auth, users):
    """Once every correction stopped at 12 (the CMS-1500's box 21): adds past it were cut
    off and a move to position 13 was a 400, though the 837I carries 25."""
    attempt_id, key, dispute_id = _disputed_stay(app, client, auth, users)
    _add_secondaries(app, users, attempt_id, 20 - len(key.diagnoses))
    assert len(_keyed_dx(app, attempt_id)) == 20
    auth.login("supervisor")
    moved = key.diagnoses[1].code
    response = client.post(
        f"/supervise/disputes/{dispute_id}/accept",
        data={
            "change_op": "move_diagnosis",
            "change_code": moved,
            "change_position": "18",
            "response": "Sequenced after the conditions treated first.",
        },
    )
    assert response.status_code == 303
    sequence = _keyed_dx(app, attempt_id)
    assert len(sequence) == 20 and sequence.index(moved) == 17
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        newest = attempt.grades[-1]
        assert newest.reason == "key_correction" and newest.key_version == 3
        missed = {e["expected"] for e in newest.result["errors"] if e["type"] == "missing_code"}
        assert set(sequence) - {d.code for d in key.diagnoses} <= missed
        assert db.session.get(Dispute, dispute_id).status == "accepted"


def test_an_inpatient_key_correction_stops_at_the_837i_limit(app, client, auth, users):
    attempt_id, key, dispute_id = _disputed_stay(app, client, auth, users)
    _add_secondaries(app, users, attempt_id, 25 - len(key.diagnoses))
    assert len(_keyed_dx(app, attempt_id)) == 25
    auth.login("supervisor")
    cases = [
        (
            {"change_op": "move_diagnosis", "change_code": key.diagnoses[0].code},
            "26",
            "position must be a whole number from 1 to 25",
        ),
        (
            {"new_code": "E87.1"},
            "",
            "E87.1 cannot be added: the key already holds 25 diagnoses and an inpatient claim "
            "carries 25 diagnoses (the 837I: the principal diagnosis and 24 others)",
        ),
    ]
    for data, position, message in cases:
        response = client.post(
            f"/supervise/disputes/{dispute_id}/accept",
            data={**data, "change_position": position, "response": "x" * 12},
        )
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True).replace("&#39;", "'"), data
    assert len(_keyed_dx(app, attempt_id)) == 25
    with app.app_context():
        assert db.session.get(Dispute, dispute_id).status == "open"


def test_a_professional_key_correction_stays_at_12(app, client, auth, users):
    attempt_id, key, dispute_id = _disputed(app, client, auth, users)
    auth.login("supervisor")
    response = client.post(
        f"/supervise/disputes/{dispute_id}/accept",
        data={
            "change_op": "move_diagnosis",
            "change_code": key.diagnoses[0].code,
            "change_position": "13",
            "response": "x" * 12,
        },
    )
    assert response.status_code == 400
    assert (
        f"{key.diagnoses[0].code}: position 13 is past the claim's last diagnosis: a CMS-1500 "
        "carries 12 diagnoses (box 21, A-L)."
    ) in response.get_data(as_text=True).replace("&#39;", "'")
    _add_secondaries(app, users, attempt_id, 12 - len(key.diagnoses))
    full = _keyed_dx(app, attempt_id)
    assert len(full) == 12
    response = client.post(
        f"/supervise/disputes/{dispute_id}/accept",
        data={"new_code": "E87.1", "response": "x" * 12},
    )
    assert response.status_code == 400  # once accepted, and the 12th diagnosis silently cut
    assert "the key already holds 12 diagnoses" in response.get_data(as_text=True)
    assert _keyed_dx(app, attempt_id) == full
