"""Refresher pages, practice and the one-step cohort assignment, on the FY2026 update."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import make_app
from trainer.core.content.refresher import CodeUpdate
from trainer.core.content.refresher_cache import Refreshers
from trainer.domain import DomainContext
from trainer.extensions import db
from trainer.models import Assignment, Attempt, Cohort, CohortMember

FY2026 = CodeUpdate("icd10cm", 2026)


def _cohort(app, users) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        cohort = Cohort(name="Update class", supervisor_id=users["supervisor"], join_code="UPD001")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=users["trainee"]))
        db.session.commit()
        return cohort.id


def test_what_changed_page(client, auth):
    auth.login()
    index = client.get("/updates/").get_data(as_text=True)
    assert "FY2026 ICD-10-CM update" in index and "487 codes added" in index
    page = client.get("/updates/icd10cm-2026").get_data(as_text=True)
    assert "E78.01 → E78.010, E78.011, E78.019" in page
    assert "S30.1XXA → S30.11XA" in page
    assert "4 Endocrine, nutritional and metabolic" in page
    assert "Cardiology" in page  # by specialty
    assert client.get("/updates/icd10cm-2031").status_code == 404
    assert client.get("/updates/nonsense").status_code == 404


def test_the_april_pcs_update_has_its_page_and_its_drill(app, client, auth):
    """The April 2026 ICD-10-PCS addenda are listed with the other updates, and practising
    them starts the inpatient chart that keys one of the new gallbladder drainage qualifiers
    (0F9480D/0F9480E), dated after the update (it was a 409 while no template keyed one)."""
    auth.login()
    index = client.get("/updates/").get_data(as_text=True)
    assert "April 2026 ICD-10-PCS update" in index
    page = client.get("/updates/icd10pcs-2026").get_data(as_text=True)
    assert "3E033AZ" in page and "30233AZ" in page
    assert "PCS section 3 Administration" in page
    response = client.post("/updates/icd10pcs-2026/practice")
    assert response.status_code == 303
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.course == "icd10pcs-2026" and attempt.setting == "inpatient"
        dos = date.fromisoformat(attempt.variant["date_of_service"])
        assert date(2026, 4, 1) <= dos <= date(2026, 9, 30)
        (procedure,) = attempt.variant["key"]["procedures"]
        assert procedure["code"] in ("0F9480D", "0F9480E")
        assert date.fromisoformat(procedure["date"]) >= date(2026, 4, 1)


def test_practising_a_refresher_dates_the_chart_after_the_update(app, client, auth):
    auth.login()
    response = client.post("/updates/icd10cm-2026/practice")
    assert response.status_code == 303
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.course == "icd10cm-2026"
        dos = date.fromisoformat(attempt.variant["date_of_service"])
        assert date(2025, 10, 1) <= dos <= date(2026, 9, 30)


def test_one_step_assignment_and_its_report(app, client, auth, users):
    cohort_id = _cohort(app, users)
    auth.login("supervisor")
    response = client.post(
        "/updates/icd10cm-2026/assign", data={"cohort_id": cohort_id, "chart_count": "3"}
    )
    assert response.status_code == 303
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        assert assignment.refresher == "icd10cm-2026" and assignment.template_ids
        assignment_id = assignment.id
    auth.logout()
    auth.login()
    started = client.post(f"/assignments/{assignment_id}/start")
    assert started.status_code == 303
    run_id = int(started.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attempts = db.session.scalars(select(Attempt).where(Attempt.run_id == run_id)).all()
        assert len(attempts) == 3
        assert all(a.course == "icd10cm-2026" for a in attempts)
        assert all(a.variant["date_of_service"] >= "2025-10-01" for a in attempts)
    auth.logout()
    auth.login("supervisor")
    report = client.get(f"/supervise/cohorts/{cohort_id}/report/refreshers.csv")
    text = report.get_data(as_text=True)
    assert "FY2026 ICD-10-CM update refresher" in text and ",yes,no,0," in text


def test_bad_assignment_input_is_a_400(app, client, auth, users):
    cohort_id = _cohort(app, users)
    auth.login("supervisor")
    for data in (
        {"cohort_id": "999", "chart_count": "3"},
        {"cohort_id": str(cohort_id), "chart_count": "0"},
        {"cohort_id": str(cohort_id), "chart_count": "3", "due": "next week"},
    ):
        response = client.post("/updates/icd10cm-2026/assign", data=data)
        assert response.status_code == 400, data
    with app.app_context():
        assert db.session.scalar(select(Assignment.id)) is None


def test_refresher_results_are_kept_apart_on_the_progress_page(app, client, auth):
    from tests.web.test_practice import form_for, key_of

    auth.login()
    response = client.post("/updates/icd10cm-2026/practice")
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    key = key_of(app, attempt_id)
    assert client.post(
        f"/practice/attempt/{attempt_id}/submit", data=form_for(key)
    ).status_code in (302, 303)
    page = client.get("/progress/").get_data(as_text=True)
    assert "Code-update refreshers" in page and "FY2026 ICD-10-CM update" in page
    assert "No charts submitted yet." in page  # the practice figures have none


def _two_templates(root: Path) -> Path:
    exercises = Path(__file__).resolve().parents[2] / "exercises"
    for relative in (
        "cardiology/familial-hypercholesterolemia-code-update",
        "orthopaedics/knee-arthroscopy-meniscectomy",
    ):
        shutil.copytree(exercises / relative, root / "exercises" / relative)
    return root / "exercises"


def test_a_fresh_worker_reads_the_refreshers_instead_of_computing_them(
    tmp_path: Path, codeset_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh worker used to render every variant of every template on its first request
    # to an update page (7-30 s); now the first worker (or init-db) writes them down.
    exercises, cache = _two_templates(tmp_path), tmp_path / "instance" / "refreshers.json"
    first = DomainContext(exercises, codeset_index, refresher_file=cache).refreshers()
    assert cache.exists()

    def no_compute(*_args: object) -> Refreshers:
        raise AssertionError("computed again")

    monkeypatch.setattr(Refreshers, "compute", no_compute)
    fresh = DomainContext(exercises, codeset_index, refresher_file=cache)
    assert fresh.updates() == first.updates
    assert fresh.refresher(FY2026) == first.by_slug["icd10cm-2026"]
    assert fresh._library is None  # nor was the library parsed to check the file


def test_init_db_precomputes_the_refreshers(
    tmp_path: Path, migrated_sqlite: Path, codeset_index: Path
) -> None:
    cache = tmp_path / "cache" / "refreshers.json"
    app = make_app(
        tmp_path,
        migrated_sqlite,
        codeset_index,
        EXERCISES_DIR=str(_two_templates(tmp_path)),
        REFRESHER_CACHE=str(cache),
    )
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Code-update refreshers ready" in result.output and cache.exists()
    with app.app_context():
        db.engine.dispose()
