"""The report's "Ready" table lists exactly the trainees whose evidence reaches the target."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from tests.conftest import PASSWORD
from tests.web.test_reports import _csv, _row
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Attempt, Cohort, CohortMember, utcnow
from trainer.services.accounts import create_user
from trainer.services.report_summaries import rebuild


def _cohort_with_records(app, users, records: dict[str, tuple[int, int]]) -> int:  # type: ignore[no-untyped-def]
    """One trainee per record: (charts, of which right); each chart keys 4 codes."""
    with app.app_context():
        template = sorted(domain().library.by_specialty()["orthopaedics"], key=lambda t: t.id)[0]
        cohort = Cohort(name="Ready cohort", supervisor_id=users["supervisor"], join_code="RDY1")
        db.session.add(cohort)
        db.session.flush()
        now, rows = utcnow(), []
        for name, (charts, right) in records.items():
            trainee = create_user(name, PASSWORD, "trainee", name.title())
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id))
            for j in range(charts):
                rows.append(_row(trainee.id, template, j, j < right, now - timedelta(hours=j)))
        db.session.execute(insert(Attempt), rows)
        db.session.commit()
        rebuild(db.session)  # rows inserted past the services
        db.session.commit()
        return cohort.id


def test_ready_lists_the_trainees_at_target_and_elite_and_no_one_else(app, client, auth, users):
    cohort_id = _cohort_with_records(
        app,
        users,
        {
            "thirty": (30, 30),  # 120/120 codes: lower bound 0.969, at target after 30 charts
            "twentynine": (29, 29),  # perfect, but one chart short of the minimum
            "expert": (200, 200),  # lower bound 0.995: elite
            "learner": (60, 40),  # 200/240 codes: below target
        },
    )
    auth.login("supervisor")
    ready = _csv(client, cohort_id, "ready")
    assert sorted(r["username"] for r in ready) == ["expert", "thirty"]
    thirty = next(r for r in ready if r["username"] == "thirty")
    assert thirty["charts"] == "30" and thirty["target_%"] == "95.0"
    assert float(thirty["ci_low_%"]) >= 95.0
