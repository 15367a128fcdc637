"""A trainee sees their own certificates (list and printable view, revoked ones marked as
revoked) and never anyone else's (issue 22)."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.test_certification import _certify, world  # noqa: F401  (the fixture)
from trainer.extensions import db
from trainer.models import Certificate


def _signed(app, client, auth, users) -> int:  # type: ignore[no-untyped-def]
    auth.login("supervisor")
    assert _certify(client, users["trainee"], "orthopaedics").status_code == 303
    auth.logout()
    with app.app_context():
        return int(db.session.scalar(select(Certificate.id)))


def test_a_trainee_lists_and_prints_their_certificate(app, client, auth, users, world):  # noqa: F811
    certificate_id = _signed(app, client, auth, users)
    auth.login()
    assert 'id="certificates-link"' in client.get("/progress/").text
    listing = client.get("/progress/certificates")
    assert listing.status_code == 200
    assert "Orthopaedics" in listing.text and "Valid" in listing.text
    assert f"/progress/certificates/{certificate_id}" in listing.text
    printable = client.get(f"/progress/certificates/{certificate_id}")
    assert printable.status_code == 200
    body = printable.text
    assert "Certificate of coding accuracy" in body and "95.9" in body
    assert "Revoke certificate" not in body  # the holder reads it; only a supervisor revokes


def test_a_revoked_certificate_shows_as_revoked(app, client, auth, users, world):  # noqa: F811
    certificate_id = _signed(app, client, auth, users)
    auth.login("supervisor")
    revoked = client.post(
        f"/supervise/certificates/{certificate_id}/revoke",
        data={"reason": "Charts found to be copied from a classmate."},
    )
    assert revoked.status_code == 303
    auth.logout()
    auth.login()
    listing = client.get("/progress/certificates").text
    assert "Revoked" in listing and "copied from a classmate" in listing and "Valid" not in listing
    printable = client.get(f"/progress/certificates/{certificate_id}").text
    assert "REVOKED on" in printable and "copied from a classmate" in printable


def test_another_trainee_never_sees_it(app, client, auth, users, world):  # noqa: F811
    certificate_id = _signed(app, client, auth, users)
    auth.login("other")
    assert client.get(f"/progress/certificates/{certificate_id}").status_code == 404
    listing = client.get("/progress/certificates")
    assert listing.status_code == 200 and "No certificates yet" in listing.text
    assert f"/progress/certificates/{certificate_id}" not in listing.text
    # Nor through the supervisors' view.
    assert client.get(f"/supervise/certificates/{certificate_id}").status_code == 403
    # An id that does not exist reads the same as another trainee's.
    assert client.get(f"/progress/certificates/{certificate_id + 999}").status_code == 404
