"""The cohort report reads kept summary rows; they must give exactly the figures the attempts
give (issue 22: reports at 10x).

A cohort is built through the real routes: practice submissions right and wrong, a
second-tier review override, a key correction from an accepted dispute, and an exam still
open (its charts stay out) that is then finished (its charts come in). After each step the
report from the summaries is compared, table by table, with the report computed from the
attempts on the spot.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tests.web.test_exam_integrity import WRONG, _exam
from tests.web.test_practice import form_for, key_of, start_chart
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Attempt, Cohort, Dispute, TraineeTemplateSummary
from trainer.services.reports import cohort_report


def _both(app) -> tuple[dict[str, list[list[object]]], dict[str, list[list[object]]]]:  # type: ignore[no-untyped-def]
    """Every table's rows, from the summaries and from the attempts."""
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        cfg = app.config
        library = domain().library
        args = (cohort, library, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
        kept = cohort_report(*args)
        live = cohort_report(*args, from_attempts=True)
        assert kept.em == live.em
        return (
            {slug: t.rows for slug, t in kept.tables.items()},
            {slug: t.rows for slug, t in live.tables.items()},
        )


def _charts_in_matrix(tables: dict[str, list[list[object]]]) -> str:
    return str(tables["matrix"][0][2])  # the trainee's orthopaedics cell: "acc% (charts) ..."


def _submit(app, client, data_of) -> int:  # type: ignore[no-untyped-def]
    attempt_id = start_chart(client)
    data = data_of(key_of(app, attempt_id))
    assert client.post(f"/practice/attempt/{attempt_id}/submit", data=data).status_code == 303
    return attempt_id


def _unkeyed_dx(key) -> str:  # type: ignore[no-untyped-def]
    """A knee osteoarthritis code this chart's key lacks: wrong now, right after a correction.

    One orthopaedics variant keys M17.0 itself, so a fixed code would sometimes be right from
    the start and no correction could move the figure.
    """
    keyed = {d.code for d in key.diagnoses}
    return next(code for code in ("M17.0", "M17.9") if code not in keyed)


def _wrong_first_dx(key) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = form_for(key)
    data["diagnoses-0"] = _unkeyed_dx(key)
    return data


def _wrong_second(key) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = form_for(key)
    data["diagnoses-0"] = WRONG
    return data


def test_the_report_from_summaries_equals_the_report_from_attempts(app, client, auth, users):
    auth.login()
    disputed = _submit(app, client, _wrong_first_dx)  # the first chart: the knee template
    auth.logout()
    run_id, exam_ids = _exam(app, client, auth, users, charts=2)
    # One exam chart submitted wrong while the exam stays open: it counts nowhere yet.
    wrong_exam = _wrong_second(key_of(app, exam_ids[0]))
    assert (
        client.post(f"/practice/attempt/{exam_ids[0]}/submit", data=wrong_exam).status_code == 303
    )
    for _ in range(2):
        _submit(app, client, form_for)
    reviewed = _submit(app, client, _wrong_second)
    kept, live = _both(app)
    assert kept == live
    assert "(4)" in _charts_in_matrix(kept)  # four practice charts; the open exam's is out
    assert kept["errors"], "the wrong charts' errors are in the error table"

    # A second-tier override accepts the wrong diagnosis on one chart.
    client.post(
        f"/practice/attempt/{disputed}/dispute",
        data={"item": key_of(app, disputed).diagnoses[0].code, "citation": "Both knees (I.B.13)."},
    )
    auth.logout()
    auth.login("supervisor")
    before = kept["matrix"][0][2]
    response = client.post(
        f"/supervise/review/{reviewed}",
        data={"dx-0-verdict": "correct", "dx-0-reason": "Accepted on second review of the note."},
    )
    assert response.status_code == 303
    kept, live = _both(app)
    assert kept == live
    assert kept["matrix"][0][2] != before  # the override moved the figure

    # A key correction (an administrator accepting the dispute: every cohort) rescores it.
    auth.logout()
    auth.login("admin")
    before = kept["matrix"][0][2]
    with app.app_context():
        dispute_id = db.session.scalar(select(Dispute.id))
    key = key_of(app, disputed)
    keyed, entered = key.diagnoses[0].code, _unkeyed_dx(key)
    response = client.post(
        f"/supervise/disputes/{dispute_id}/accept",
        data={"old_code": keyed, "also_accept": entered, "response": f"Agreed: accept {entered}."},
    )
    assert response.status_code == 303
    kept, live = _both(app)
    assert kept == live
    assert kept["matrix"][0][2] != before

    # The exam finishes: its charts (the unsubmitted one graded from its draft) come in.
    auth.logout()
    auth.login()
    assert client.post(f"/assignments/run/{run_id}/finish").status_code in (302, 303)
    kept, live = _both(app)
    assert kept == live
    assert "(6)" in _charts_in_matrix(kept)
    with app.app_context():
        counted = db.session.scalar(select(func.sum(TraineeTemplateSummary.charts)))
        submitted = db.session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.status == "submitted")
        )
    assert counted == submitted == 6
