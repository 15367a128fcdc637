"""The demo seed fills every page a first visitor opens."""

from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import Assignment, Attempt, Dispute, User


def test_seed_demo_fills_the_pages(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "trainee-demo-2026" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 8
        assert db.session.scalar(select(func.count(Attempt.id))) >= 100
        # Two practice/exam sets, and one refresher per code update that has a drill (the
        # ICD-10-CM FY2026 update and, since the gallbladder drainage stay, April 2026 PCS).
        refreshers = set(
            db.session.scalars(select(Assignment.refresher).where(Assignment.refresher != ""))
        )
        assert {"icd10cm-2026", "icd10pcs-2026"} <= refreshers
        assert db.session.scalar(select(func.count(Assignment.id))) == 2 + len(refreshers)
        assert db.session.scalar(select(func.count(Dispute.id))) == 1
    client = app.test_client()
    client.post("/auth/login", data={"username": "supervisor", "password": "supervisor-demo-2026"})
    with app.app_context():
        cohort_id = db.session.scalar(select(Assignment.cohort_id))
    for path in (
        "/supervise/",
        "/supervise/disputes",
        "/supervise/assignments",
        "/supervise/review/",
        f"/supervise/cohorts/{cohort_id}/report",
        "/updates/icd10cm-2026",
        "/supervise/templates/",
    ):
        assert client.get(path).status_code == 200, path
    queue = client.get("/supervise/review/").get_data(as_text=True)
    assert "Every chart: trainee not yet at target" in queue  # demo trainees have < 30 charts
    client.post("/auth/logout")
    client.post("/auth/login", data={"username": "trainee", "password": "trainee-demo-2026"})
    home = client.get("/").get_data(as_text=True)
    assert "Code accuracy" in home
    assert "Primary care check-in exam" in client.get("/assignments/").get_data(as_text=True)
    again = runner.invoke(args=["seed-demo"])
    assert "not added" in again.output  # a second run does not duplicate the demo
