"""What errors cost, end to end: the graded chart page, the progress page and the cohort report.

The chart is the shipped risk-adjustment template (diabetes with CKD and heart failure, an
office visit); the trainee codes one E/M level low and leaves off the heart failure codes
(both I13.0 and I50.x map to HCC 226 in V28, so dropping only one would lose no HCC).
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert

from tests.conftest import PASSWORD
from trainer.core.claims import Claim, ServiceLine
from trainer.core.pricing import price_claim
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Attempt, Cohort, CohortMember, utcnow
from trainer.services.accounts import create_user
from trainer.services.practice import current_grade, start_attempt, submit_attempt, variant_of
from trainer.services.report_summaries import rebuild

TEMPLATE = "2d9f7b13-8e4a-4c6d-b1a0-5e3c9f7d2a86"  # diabetes-ckd-heart-failure
EM_DOWN = {"99215": "99214", "99214": "99213", "99213": "99212", "99205": "99204"}


def _undercoded(app, user_id: int) -> tuple[int, Decimal]:  # type: ignore[no-untyped-def]
    """Submit the key with its E/M one level low and I13.0/I50.x left off; the priced loss."""
    with app.app_context():
        template = domain().library.get(TEMPLATE)
        for seed in range(40):
            attempt = start_attempt(user_id, template, seed=seed)
            key = variant_of(attempt).key.as_claim()
            if any(d.startswith("I50") for d in key.diagnoses):
                break
            db.session.delete(attempt)
            db.session.commit()
        em = next(line for line in key.lines if line.code in EM_DOWN)
        lines = tuple(
            replace(line, code=EM_DOWN[line.code]) if line is em else line for line in key.lines
        )
        dx = tuple(d for d in key.diagnoses if not d.startswith(("I50", "I13")))
        submit_attempt(attempt.id, user_id, Claim(dx, lines), 300, domain().catalog)
        catalog = domain().catalog
        full = price_claim([em], catalog, facility=False).total
        low = price_claim([ServiceLine(EM_DOWN[em.code])], catalog, facility=False).total
        return attempt.id, full - low


def test_the_graded_chart_prices_each_error_and_names_the_missed_hcc(app, client, auth, users):
    attempt_id, loss = _undercoded(app, users["trainee"])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.revenue_under_cents == int(loss * 100) > 0
        assert attempt.revenue_over_cents == 0 and attempt.lines_denied == 0
        assert attempt.em_key[:4] == attempt.em_given[:4] and attempt.em_key > attempt.em_given
        costs = current_grade(attempt)["costs"]
        assert Decimal(costs["under"]) == loss
        assert [h["hcc"] for h in costs["risk"]["missed"]] == ["226"]  # heart failure
        low = next(e for e in costs["errors"] if e["type"] == "em_level_low")
        assert low["direction"] == "under" and Decimal(low["amount"]) == -loss
    auth.login()
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "What your errors would cost" in page
    assert f"${loss}" in page and "National unadjusted Medicare estimate" in page
    assert "Clean claim" in page and "HCC 226" in page
    # A locality re-prices the chart; an unknown one is a clear 400, never a 500.
    with app.app_context():
        alaska = next(g for g in domain().catalog.localities() if g.state == "AK")
    priced = client.get(f"/practice/attempt/{attempt_id}/result?locality={alaska.locality}")
    assert priced.status_code == 200
    assert f'value="{alaska.locality}" selected' in priced.get_data(as_text=True)
    assert client.get(f"/practice/attempt/{attempt_id}/result?locality=nowhere").status_code == 400


def test_progress_page_shows_the_trainees_costs_and_exports_them(app, client, auth, users):
    attempt_id, loss = _undercoded(app, users["trainee"])
    auth.login()
    page = client.get("/progress/").get_data(as_text=True)
    for title in (
        "Revenue lost and at risk, per week",
        "Clean claims, denials and productivity beside accuracy",
        "E/M level distribution against the keys",
    ):
        assert title in page
    assert "<svg" in page and 'aria-label="E/M level distribution"' in page
    rows = list(
        csv.DictReader(io.StringIO(client.get("/progress/costs/claims.csv").get_data(as_text=True)))
    )
    assert rows[0]["username"] == "trainee" and rows[0]["revenue_lost_$"] == str(loss)
    assert rows[0]["clean_claim_%"] == "100.0" and rows[0]["charts_per_hour"] == "12.0"
    revenue = client.get("/progress/costs/revenue.csv").get_data(as_text=True)
    assert f"Total,1,{loss},0.00" in revenue
    assert client.get("/progress/costs/matrix.csv").status_code == 404
    # Another trainee sees only their own (empty) figures, never this one's.
    auth.logout()
    auth.login("other")
    other = list(
        csv.DictReader(io.StringIO(client.get("/progress/costs/claims.csv").get_data(as_text=True)))
    )
    assert [r["username"] for r in other] == ["other"] and other[0]["charts"] == "0"


def _cohort_with_costs(app, users) -> int:  # type: ignore[no-untyped-def]
    """A cohort of two: one undercodes E/M ten times out of twelve, one codes them right."""
    with app.app_context():
        template = domain().library.get(TEMPLATE)
        cohort = Cohort(name="Costs", supervisor_id=users["supervisor"], join_code="COST1")
        db.session.add(cohort)
        db.session.flush()
        low = create_user("lowcoder", PASSWORD, "trainee", "Low Coder")
        right = create_user("rightcoder", PASSWORD, "trainee", "Right Coder")
        for u in (low, right):
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=u.id))
        now, rows = utcnow(), []
        for j in range(12):
            for user, given, under, denied in (
                (low, "99213" if j < 10 else "99214", 3623 if j < 10 else 0, 1 if j == 0 else 0),
                (right, "99214", 0, 0),
            ):
                rows.append(
                    {
                        "user_id": user.id,
                        "template_id": template.id,
                        "template_version": template.version,
                        "seed": j,
                        "specialty": template.specialty,
                        "setting": "professional",
                        "difficulty": 1,
                        "mode": "practice",
                        "policy": "strict",
                        "variant": {},
                        "status": "submitted",
                        "score": 1.0,
                        "code_correct": 4,
                        "code_total": 4,
                        "chart_correct": True,
                        "seconds_spent": 600,
                        "submitted_at": now - timedelta(minutes=j),
                        "revenue_under_cents": under,
                        "lines_denied": denied,
                        "lines_total": 2,
                        "em_key": "99214",
                        "em_given": given,
                    }
                )
        db.session.execute(insert(Attempt), rows)
        db.session.commit()
        rebuild(db.session)  # rows inserted past the services
        db.session.commit()
        return cohort.id


def _report_csv(client, cohort_id: int, table: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    response = client.get(f"/supervise/cohorts/{cohort_id}/report/{table}.csv")
    assert response.status_code == 200, table
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_cohort_report_sums_costs_and_flags_the_undercoder(app, client, auth, users):
    cohort_id = _cohort_with_costs(app, users)
    auth.login("supervisor")
    page = client.get(f"/supervise/cohorts/{cohort_id}/report").get_data(as_text=True)
    assert "E/M level distribution against the keys" in page
    assert 'aria-label="E/M level distribution"' in page
    claims = {r["username"]: r for r in _report_csv(client, cohort_id, "claims")}
    assert claims["lowcoder"]["revenue_lost_$"] == "362.30"  # 10 x $36.23
    # 11 of 12 charts clean; 1 denied line of 24 entered.
    assert claims["lowcoder"]["clean_claim_%"] == "91.7"
    assert claims["lowcoder"]["denial_rate_%"] == "4.2"
    assert claims["lowcoder"]["charts_per_hour"] == "6.0"
    assert claims["rightcoder"]["revenue_lost_$"] == "0.00"
    # 10 lower, 0 higher: two-sided exact p = 2 / 2**10 = 0.00195.
    assert claims["lowcoder"]["em_n"] == "10" and claims["lowcoder"]["em_p_value"] == "0.002"
    assert claims["lowcoder"]["em_bias"] == "under-coding"
    assert claims["rightcoder"]["em_n"] == "0" and claims["rightcoder"]["em_bias"] == ""
    levels = {r["code"]: r for r in _report_csv(client, cohort_id, "em_levels")}
    assert levels["99214"]["key_charts"] == "24" and levels["99213"]["trainee_charts"] == "10"
    revenue = _report_csv(client, cohort_id, "revenue")
    total = [r for r in revenue if r["specialty"] == "Total"]
    assert sum(Decimal(r["revenue_lost_$"]) for r in total) == Decimal("362.30")


def test_cost_tables_keep_to_the_supervisors_own_cohort(app, client, auth, users):
    cohort_id = _cohort_with_costs(app, users)
    with app.app_context():
        create_user("elsewhere", PASSWORD, "supervisor")
    auth.login("elsewhere")
    for table in ("claims", "revenue", "em_levels"):
        assert client.get(f"/supervise/cohorts/{cohort_id}/report/{table}.csv").status_code == 404
    auth.logout()
    auth.login("lowcoder")
    assert client.get(f"/supervise/cohorts/{cohort_id}/report/claims.csv").status_code == 403


def test_the_drg_base_rate_is_an_administrators_setting(tmp_path, migrated_sqlite, codeset_index):  # type: ignore[no-untyped-def]
    """TRAINER_DRG_BASE_RATE prices the inpatient hook; a bad value stops the start-up."""
    import pytest

    from tests.conftest import make_app
    from trainer.core.pricing import drg_payment_difference

    app = make_app(tmp_path, migrated_sqlite, codeset_index, DRG_BASE_RATE="6000")
    rate = app.config["DRG_BASE_RATE"]
    assert rate == Decimal("6000")
    assert drg_payment_difference(1.5, 1.0, rate).difference == Decimal("-3000.00")
    bad = tmp_path / "bad"
    bad.mkdir()
    with pytest.raises(ValueError, match="DRG_BASE_RATE"):
        make_app(bad, migrated_sqlite, codeset_index, DRG_BASE_RATE="-5")
