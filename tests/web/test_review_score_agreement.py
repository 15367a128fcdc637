"""After a second-tier override, every surface shows the score the reviewed verdicts give.

The chart page, the trainee's API, the progress page, the cohort report and its CSV all read
the reviewed grade (or the attempt's figures written from it), never the automatic one.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.web.entry_forms import ub04_form
from tests.web.test_disputes import _cohort
from tests.web.test_practice import key_of, start_chart
from tests.web.test_reports import _csv
from trainer.extensions import db
from trainer.models import Attempt, AttemptGrade, Cohort


def _reviewed_ub04(app, client, auth, users):  # type: ignore[no-untyped-def]
    """A facility chart with a wrong FL 4 and a wrong first diagnosis; the reviewer then
    accepts the diagnosis, so only FL 4 stays wrong."""
    _cohort(app, users)
    auth.login()
    attempt_id = start_chart(client, "emergency_facility")
    key = key_of(app, attempt_id)
    data = ub04_form(key)
    data["type_of_bill"] = "0111"
    data["diagnoses-0"] = "R69"
    assert client.post(f"/practice/attempt/{attempt_id}/submit", data=data).status_code == 303
    auth.logout()
    auth.login("supervisor")
    response = client.post(
        f"/supervise/review/{attempt_id}",
        data={"dx-0-verdict": "correct", "dx-0-reason": "Accepted on second review of the note."},
    )
    assert response.status_code == 303
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        grade = db.session.scalars(
            select(AttemptGrade)
            .where(AttemptGrade.attempt_id == attempt_id)
            .order_by(AttemptGrade.id.desc())
        ).first()
        figures = (attempt.score, attempt.code_correct, attempt.code_total, attempt.chart_correct)
        cohort_id = db.session.scalar(select(Cohort.id))
    return attempt_id, key, grade.reason, grade.result, figures, cohort_id


def test_the_reviewed_score_counts_the_ub04_fields(app, client, auth, users):
    """The reviewer's tick on the diagnosis must not drop FL 4 and FL 70 from the score:
    FL 4 is still wrong, so the chart is not correct and the score is below 100%."""
    attempt_id, key, reason, result, figures, _ = _reviewed_ub04(app, client, auth, users)
    assert reason == "review"
    header = result["header"]
    assert [v["correct"] for v in header if v["target"] == "type_of_bill"] == [False]
    ticks = result["diagnoses"] + result["lines"] + header
    keyed = [v for v in ticks if v["key_index"] is not None]
    assert result["code_correct"] == sum(1 for v in keyed if v["correct"])
    assert result["code_total"] == len(keyed) + sum(1 for v in ticks if v["key_index"] is None)
    assert result["chart_correct"] is False and result["score"] < 1.0
    assert figures == (
        result["score"],
        result["code_correct"],
        result["code_total"],
        result["chart_correct"],
    )


def test_every_surface_shows_the_reviewed_score(app, client, auth, users):
    attempt_id, key, _, result, figures, cohort_id = _reviewed_ub04(app, client, auth, users)
    ticks = result["diagnoses"] + result["lines"] + result["header"]
    correct = sum(1 for v in ticks if v["key_index"] is not None and v["correct"])
    total = len(ticks)  # keyed items plus extra entries: what the ticks show
    score = figures[0]
    accuracy = correct / total
    # The supervisor's cohort report and its CSV.
    page = client.get(f"/supervise/cohorts/{cohort_id}/report").get_data(as_text=True)
    shown = f"{accuracy * 100:.1f} (1)"  # the matrix cell: accuracy % (charts)
    assert shown in page
    rows = _csv(client, cohort_id, "matrix")
    assert any(value.startswith(shown) for row in rows for value in row.values())
    auth.logout()
    auth.login()
    # The chart page.
    body = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert f"Score {score * 100:.0f}%" in body
    assert re.search(rf"codes right {correct}\s+of {total}", body)
    # The JSON API.
    api = client.get(f"/api/v1/attempts/{attempt_id}").get_json()
    assert api["grade"]["score"] == score
    assert (api["grade"]["code_correct"], api["grade"]["code_total"]) == (correct, total)
    # The progress page.
    progress = client.get("/progress/").get_data(as_text=True)
    assert f"{accuracy * 100:.1f}%" in progress
