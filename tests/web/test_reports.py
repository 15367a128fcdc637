"""The cohort report: every table, its CSV, item-analysis flags, and refreshers kept apart."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from tests.conftest import PASSWORD
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Attempt, AttemptError, Cohort, CohortMember, User, utcnow
from trainer.services.accounts import create_user
from trainer.services.report_summaries import rebuild


def _seed(app, users) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Eight trainees of rising skill on three real templates; one of them is 'miskeyed'."""
    with app.app_context():
        library = domain().library
        ortho = sorted(library.by_specialty()["orthopaedics"], key=lambda t: t.id)
        good, bad, anchor = ortho[0], ortho[1], ortho[2]
        cohort = Cohort(name="Spring cohort", supervisor_id=users["supervisor"], join_code="RPT1")
        db.session.add(cohort)
        db.session.flush()
        trainees = [create_user(f"coder{i}", PASSWORD, "trainee", f"Coder {i}") for i in range(8)]
        for t in trainees:
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=t.id))
        now = utcnow()
        rows = []
        for skill, t in enumerate(trainees):
            for j in range(40):
                right_good = j % 8 < skill + 1  # coder7 gets every chart right
                rows.append(_row(t.id, good, j, right_good, now - timedelta(hours=j)))
                rows.append(_row(t.id, anchor, 50 + j, right_good, now - timedelta(hours=j)))
            for j in range(10):
                right_bad = skill < 1 and j == 0  # everyone misses it, strong ones too
                rows.append(_row(t.id, bad, 100 + j, right_bad, now - timedelta(hours=j)))
        # A refresher chart, wrong, must not pull coder7 below target.
        refresher = _row(trainees[7].id, good, 999, False, now)
        refresher["course"] = "icd10cm:2026"
        rows.append(refresher)
        db.session.execute(insert(Attempt), rows)
        db.session.commit()
        first = db.session.query(Attempt).filter_by(user_id=trainees[0].id).first()
        db.session.add(
            AttemptError(
                attempt_id=first.id,
                user_id=trainees[0].id,
                specialty="orthopaedics",
                error_type="laterality",
                code_family="M17",
            )
        )
        db.session.commit()
        rebuild(db.session)  # rows inserted past the services
        db.session.commit()
        return {"cohort": cohort.id, "good": good, "bad": bad}


def _row(user_id, template, seed, right, when):  # type: ignore[no-untyped-def]
    return {
        "user_id": user_id,
        "template_id": template.id,
        "template_version": template.version,
        "seed": seed,
        "specialty": template.specialty,
        "setting": template.setting,
        "difficulty": template.difficulty,
        "mode": "practice",
        "policy": "strict",
        "variant": {},
        "status": "submitted",
        "score": 1.0 if right else 0.5,
        "code_correct": 4 if right else 2,
        "code_total": 4,
        "chart_correct": right,
        "seconds_spent": 240,
        "submitted_at": when,
    }


def _csv(client, cohort_id: int, table: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    response = client.get(f"/supervise/cohorts/{cohort_id}/report/{table}.csv")
    assert response.status_code == 200, table
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_report_shows_every_table_and_prints(app, client, auth, users):
    seeded = _seed(app, users)
    auth.login("supervisor")
    page = client.get(f"/supervise/cohorts/{seeded['cohort']}/report").get_data(as_text=True)
    for title in (
        "Accuracy by specialty against target",
        "Ready: at target per specialty",
        "Weekly trend",
        "Error types across the cohort",
        "Productivity",
        "Peer comparison",
        "Item analysis by template",
        "Code-update refreshers",
    ):
        assert title in page
    assert "Coder 7" in page
    css = (Path(app.static_folder) / "css" / "app.css").read_text()
    assert "@media print" in css and ".no-print" in css


def test_ready_list_and_refreshers_kept_apart(app, client, auth, users):
    seeded = _seed(app, users)
    auth.login("supervisor")
    ready = _csv(client, seeded["cohort"], "ready")
    assert [r["username"] for r in ready] == []  # the miskeyed template pulls everyone down
    matrix = _csv(client, seeded["cohort"], "matrix")
    coder7 = next(r for r in matrix if r["username"] == "coder7")
    # 80 right charts (4 codes each) + 10 wrong on the bad one (2 of 4) = 340 / 360, 90 charts
    assert coder7["Orthopaedics"].startswith("94.4 (90)")


def test_item_analysis_flags_the_miskeyed_template(app, client, auth, users):
    seeded = _seed(app, users)
    auth.login("supervisor")
    items = {r["template_id"]: r for r in _csv(client, seeded["cohort"], "items")}
    bad, good = items[seeded["bad"].id], items[seeded["good"].id]
    assert "check the key" in bad["flag"]
    assert good["flag"] == ""
    assert float(good["discrimination"]) > 0.5
    assert bad["template"] == seeded["bad"].title


def test_productivity_peers_and_errors(app, client, auth, users):
    seeded = _seed(app, users)
    auth.login("supervisor")
    productivity = {r["username"]: r for r in _csv(client, seeded["cohort"], "productivity")}
    assert productivity["coder0"]["charts"] == "90"
    assert productivity["coder0"]["charts_per_hour"] == "15.0"  # 4 minutes a chart
    peers = {r["username"]: r for r in _csv(client, seeded["cohort"], "peers")}
    assert peers["coder7"]["percentile"] == "100"
    assert peers["coder0"]["percentile"] == "0"
    errors = _csv(client, seeded["cohort"], "errors")
    assert errors[0]["error_type"] == "laterality" and errors[0]["count"] == "1"
    trend = _csv(client, seeded["cohort"], "trend")
    assert len(trend) == 8


def test_unknown_table_and_other_supervisors_are_404(app, client, auth, users):
    seeded = _seed(app, users)
    auth.login("supervisor")
    assert client.get(f"/supervise/cohorts/{seeded['cohort']}/report/nope.csv").status_code == 404
    auth.logout()
    with app.app_context():
        create_user("stranger", PASSWORD, "supervisor")
    auth.login("stranger")
    assert client.get(f"/supervise/cohorts/{seeded['cohort']}/report").status_code == 404
    with app.app_context():
        coder = db.session.query(User).filter_by(username="coder1").one()
    assert client.get(f"/supervise/trainees/{coder.id}").status_code == 404


def test_trainee_page_has_the_trend_chart(app, client, auth, users):
    _seed(app, users)
    auth.login("supervisor")
    with app.app_context():
        coder = db.session.query(User).filter_by(username="coder3").one()
    page = client.get(f"/supervise/trainees/{coder.id}").get_data(as_text=True)
    assert "Coder 3" in page and "trend.svg" in page
    svg = client.get(f"/supervise/trainees/{coder.id}/trend.svg")
    body = svg.get_data(as_text=True).replace("'", '"')
    assert svg.mimetype == "image/svg+xml"
    assert "<script src" not in body and 'src="http' not in body  # nothing from a CDN
    assert "Benchmark 95%" in body


def test_weekly_trend_sums_each_iso_week(app, client, auth, users):
    seeded = _seed(app, users)
    with app.app_context():
        coder = db.session.query(User).filter_by(username="coder0").one()
        now = utcnow()
        monday = (now - timedelta(days=now.weekday())).replace(hour=12, minute=0)
        good = seeded["good"]
        db.session.execute(
            insert(Attempt),
            [_row(coder.id, good, 500 + i, True, monday - timedelta(days=14)) for i in range(3)],
        )
        db.session.commit()
        rebuild(db.session)  # rows inserted past the services
        db.session.commit()
    auth.login("supervisor")
    rows = {r["username"]: r for r in _csv(client, seeded["cohort"], "trend")}
    two_weeks_ago = (monday - timedelta(days=14)).isocalendar()
    label = f"{two_weeks_ago[0]}-W{two_weeks_ago[1]:02d}"
    assert rows["coder0"][label] == "100.0"  # 3 charts, 12 of 12 codes
    assert rows["coder1"][label] == ""
