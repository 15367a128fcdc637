"""XSS payloads in template text and dispute text are inert when shown."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.test_practice import form_for, key_of, start_chart
from trainer.core.content.rendering import render_markdown
from trainer.extensions import db
from trainer.models import Cohort, CohortMember, Dispute

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    '"><iframe src="https://evil.example"></iframe>',
]


def test_template_markdown_payloads_are_stripped():
    for payload in PAYLOADS:
        html = render_markdown(f"Assessment: {payload}")
        lowered = html.lower()
        assert "<script" not in lowered and "onerror" not in lowered
        assert "javascript:" not in lowered and "<iframe" not in lowered
        assert "onload" not in lowered


def test_dispute_text_is_escaped_for_the_trainee_and_the_supervisor(app, client, auth, users):
    with app.app_context():
        cohort = Cohort(name="X", supervisor_id=users["supervisor"], join_code="XSS001")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=users["trainee"]))
        db.session.commit()
    auth.login()
    attempt_id = start_chart(client)
    client.post(f"/practice/attempt/{attempt_id}/submit", data=form_for(key_of(app, attempt_id)))
    text = " ".join(PAYLOADS)
    client.post(
        f"/practice/attempt/{attempt_id}/dispute", data={"item": PAYLOADS[0], "citation": text}
    )
    with app.app_context():
        assert db.session.scalar(select(Dispute.citation)) == text  # stored as typed
    trainee_page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    auth.logout()
    auth.login("supervisor")
    supervisor_page = client.get("/supervise/disputes").get_data(as_text=True)
    for page in (trainee_page, supervisor_page):
        for payload in PAYLOADS:
            assert payload not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
