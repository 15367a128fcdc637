"""Certification: signed on the evidence (minimum charts, Wilson lower bound at the target,
reviewed charts counted), printable, revocable with a reason, and reported per cohort."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.extensions import db
from trainer.models import Attempt, AuditEvent, Certificate, Cohort, CohortMember, Review
from trainer.services.accounts import create_user


def _history(user_id: int, specialty: str, charts: int, codes: int, right: int) -> list[int]:
    """``charts`` submitted charts of ``codes`` codes in all, ``right`` of them correct."""
    ids, start = [], datetime(2026, 10, 1, tzinfo=UTC)
    per, extra = divmod(codes, charts)
    wrong = codes - right
    for n in range(charts):
        total = per + (1 if n < extra else 0)
        missed = min(wrong, total)
        wrong -= missed
        attempt = Attempt(
            user_id=user_id,
            template_id="t-cert",
            template_version=1,
            seed=n,
            specialty=specialty,
            setting="professional",
            variant={"title": f"Chart {n}"},
            status="submitted",
            score=(total - missed) / total,
            code_correct=total - missed,
            code_total=total,
            chart_correct=missed == 0,
            seconds_spent=60,
            submitted_at=start + timedelta(hours=n),
        )
        db.session.add(attempt)
        db.session.flush()
        ids.append(attempt.id)
    db.session.commit()
    return ids


@pytest.fixture
def world(app, users):  # type: ignore[no-untyped-def]
    with app.app_context():
        create_user("rival", PASSWORD, "supervisor")
        cohort = Cohort(name="Cert class", supervisor_id=users["supervisor"], join_code="CERT1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=users["trainee"]))
        db.session.add(
            CohortMember(
                cohort_id=cohort.id, user_id=users["other"], targets={"orthopaedics": 0.97}
            )
        )
        db.session.commit()
        # 30 charts, 90 codes all right: lower bound 90/(90+z^2) = 95.9% >= 95%.
        ortho = _history(users["trainee"], "orthopaedics", 30, 90, 90)
        db.session.add(
            Review(attempt_id=ortho[0], reviewer_id=users["supervisor"], decision="confirmed")
        )
        # 29 perfect radiology charts: not enough charts whatever the accuracy.
        _history(users["trainee"], "radiology", 29, 300, 300)
        # The same orthopaedics evidence falls short of this trainee's own 97% target.
        _history(users["other"], "orthopaedics", 30, 90, 90)
        db.session.commit()
        return {"cohort": cohort.id}


def _certify(client, trainee_id: int, specialty: str):  # type: ignore[no-untyped-def]
    return client.post(f"/supervise/trainees/{trainee_id}/certify", data={"specialty": specialty})


def test_certify_on_sufficient_evidence_records_the_figures(app, client, auth, users, world):
    auth.login("supervisor")
    page = client.get(f"/supervise/trainees/{users['trainee']}").get_data(as_text=True)
    assert "Certify in Orthopaedics" in page and "Certify in Radiology" not in page
    assert "29 of the 30 charts needed" in page
    response = _certify(client, users["trainee"], "orthopaedics")
    assert response.status_code == 303
    with app.app_context():
        cert = db.session.scalar(select(Certificate))
        assert (cert.charts, cert.reviewed_charts, cert.codes_correct, cert.codes_total) == (
            30,
            1,
            90,
            90,
        )
        assert cert.target == 0.95 and 0.959 < cert.wilson_low < 0.960
        assert cert.signed_by == users["supervisor"] and cert.revoked_at is None
        logged = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "certificate.sign")
        )
        assert (
            logged.target_id == users["trainee"] and "90/90 codes over 30 charts" in logged.detail
        )
    printable = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Certificate of coding accuracy" in printable
        and "95.9" in printable
        and "supervisor" in printable
    )
    again = _certify(client, users["trainee"], "orthopaedics")
    assert again.status_code == 400 and "already certified" in again.get_data(as_text=True)


def test_insufficient_evidence_or_bad_input_is_a_400(app, client, auth, users, world):
    auth.login("supervisor")
    few = _certify(client, users["trainee"], "radiology")
    assert few.status_code == 400 and "29 of the 30 charts" in few.get_data(as_text=True)
    own_target = _certify(client, users["other"], "orthopaedics")
    assert own_target.status_code == 400 and "below the 97% target" in own_target.get_data(
        as_text=True
    )
    for specialty in ("", "astrology", "dermatology"):
        assert _certify(client, users["trainee"], specialty).status_code == 400, specialty
    with app.app_context():
        assert db.session.scalar(select(Certificate)) is None


def test_revoke_keeps_the_record_and_the_reason(app, client, auth, users, world):
    auth.login("supervisor")
    url = _certify(client, users["trainee"], "orthopaedics").headers["Location"]
    revoke = url + "/revoke"
    assert client.post(revoke, data={"reason": "   "}).status_code == 400
    assert client.post(revoke, data={"reason": "Charts were coded with help."}).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "REVOKED" in page and "coded with help" in page and 'id="revoke-form"' not in page
    assert client.post(revoke, data={"reason": "twice"}).status_code == 400
    with app.app_context():
        cert = db.session.scalar(select(Certificate))
        assert (
            cert.revoked_by == users["supervisor"]
            and cert.revoke_reason == "Charts were coded with help."
        )
        assert db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "certificate.revoke")
        ).endswith("coded with help.")
    # Revoked, the trainee may be certified again on the evidence.
    assert _certify(client, users["trainee"], "orthopaedics").status_code == 303


def test_the_report_lists_who_is_ready_and_who_is_certified(app, client, auth, users, world):
    auth.login("supervisor")
    url = f"/supervise/cohorts/{world['cohort']}/certification"
    page = client.get(url).get_data(as_text=True)
    ready = page.split('id="ready"', 1)[1].split("</section>", 1)[0]
    assert "Orthopaedics" in ready and "(1)" in ready
    _certify(client, users["trainee"], "orthopaedics")
    page = client.get(url).get_data(as_text=True)
    ready = page.split('id="ready"', 1)[1].split("</section>", 1)[0]
    certified = page.split('id="certified"', 1)[1].split("</section>", 1)[0]
    not_yet = page.split('id="not-yet"', 1)[1].split("</section>", 1)[0]
    assert "Nobody." in ready and "trainee" in certified and "signed" in certified
    assert "Radiology" in not_yet and "below the 97% target" in not_yet


def test_wrong_cohort_and_wrong_role(app, client, auth, users, world):
    auth.login("supervisor")
    url = _certify(client, users["trainee"], "orthopaedics").headers["Location"]
    auth.logout()
    auth.login("rival")
    assert _certify(client, users["trainee"], "orthopaedics").status_code == 404
    assert client.get(url).status_code == 404
    assert client.post(url + "/revoke", data={"reason": "mine"}).status_code == 404
    assert client.get(f"/supervise/cohorts/{world['cohort']}/certification").status_code == 404
    auth.logout()
    auth.login("trainee")
    assert client.get(url).status_code == 403
    assert client.post(url + "/revoke", data={"reason": "mine"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Certificate)).revoked_at is None
