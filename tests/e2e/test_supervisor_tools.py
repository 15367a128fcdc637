"""Browser: an administrator manages accounts and reads the audit log; a supervisor filters
the review queue and moves through it by keyboard, edits an assignment, certifies a trainee,
prints the certificate and revokes it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from tests.web.test_certification import _history
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Cohort, CohortMember, User
from trainer.services.accounts import create_user
from trainer.services.assignments import create_assignment


def _class(app):  # type: ignore[no-untyped-def]
    """A supervisor 'boss' running 'Day' (trainee 'rita') and 'Night' (trainee 'sam')."""
    with app.app_context():
        rita = create_user("rita", PASSWORD, "trainee", "Rita Trainee")
        sam = create_user("sam", PASSWORD, "trainee", "Sam Trainee")
        boss = create_user("boss", PASSWORD, "supervisor", "Bea Boss")
        day = Cohort(name="Day", supervisor_id=boss.id, join_code="E2EDAY")
        night = Cohort(name="Night", supervisor_id=boss.id, join_code="E2ENIGHT")
        db.session.add_all([day, night])
        db.session.flush()
        db.session.add_all(
            [
                CohortMember(cohort_id=day.id, user_id=rita.id),
                CohortMember(cohort_id=night.id, user_id=sam.id),
            ]
        )
        db.session.commit()
        return {"rita": rita.id, "sam": sam.id, "boss": boss.id, "day": day.id, "night": night.id}


def test_admin_creates_reroles_and_deactivates_accounts(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("root", PASSWORD, "admin", "Ada Admin")
    login(page, base, "root", PASSWORD)
    page.click("nav >> text=Accounts")
    page.fill("#username", "casey")
    page.fill("#display_name", "Casey Coordinator")
    page.select_option("#role", "supervisor")
    page.click('button:text-is("Create account")')
    password = page.inner_text("#created-password code").strip()
    assert len(password) >= 16
    row = page.locator('#users tr[data-username="casey"]')
    assert row.locator(".role").inner_text() == "supervisor"
    row.locator("select").select_option("admin")
    row.locator("text=Set role").click()
    page.wait_for_selector("text=casey is now admin")
    page.locator('#users tr[data-username="casey"] >> text=Deactivate').click()
    page.wait_for_selector("text=deactivated and signed out everywhere")
    assert page.locator('#users tr[data-username="casey"] .state').inner_text() == "deactivated"
    page.click("nav >> text=Audit log")
    log = page.inner_text("#audit")
    for action in ("user.create", "user.role", "user.deactivate"):
        assert action in log
    screenshot(page, "audit-log")
    with page.expect_download() as download:
        page.click("text=Export CSV")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("id,at,actor,action") and "casey" in text
    page.click("text=Sign out")
    page.goto(f"{base}/auth/login")
    page.fill("#username", "casey")
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Unknown username or wrong password")


def test_filtered_review_queue_and_keyboard(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    ids = _class(live_app)
    with live_app.app_context():
        _history(ids["rita"], "orthopaedics", 3, 9, 6)
        _history(ids["sam"], "radiology", 2, 6, 6)
    login(page, base, "boss", PASSWORD)
    page.goto(f"{base}/supervise/review/")
    assert page.locator("#review-queue tbody tr").count() == 5
    page.select_option("#f-cohort", str(ids["night"]))
    page.click("#queue-filters >> text=Show")
    page.wait_for_url(re.compile(r".*cohort=.*"))
    rows = page.locator("#review-queue tbody tr")
    assert rows.count() == 2 and "Sam Trainee" in rows.first.inner_text()
    page.select_option("#f-cohort", "")
    page.select_option("#f-sort", "score")
    page.click("#queue-filters >> text=Show")
    page.wait_for_url(re.compile(r".*sort=score.*"))
    assert "Rita Trainee" in page.locator("#review-queue tbody tr").first.inner_text()
    screenshot(page, "review-queue-filtered")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.locator("#review-queue tr.selected").count() == 1
    expected = page.locator("#review-queue tbody tr").nth(0).get_attribute("data-href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/supervise/review/\d+.*"))
    assert page.url.endswith(expected)


def test_edit_close_and_duplicate_an_assignment(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    ids = _class(live_app)
    with live_app.app_context():
        boss = db.session.get(User, ids["boss"])
        create_assignment(
            boss,
            ids["day"],
            "Knee exam",
            domain().library,
            specialty="orthopaedics",
            chart_count=2,
            mode="exam",
            time_limit_minutes=45,
        )
    login(page, base, "boss", PASSWORD)
    page.goto(f"{base}/supervise/assignments")
    page.click('a[aria-label="Edit Knee exam"]')
    page.fill("#title", "Knee exam (final)")
    page.fill("#due", "2027-02-01")
    page.fill("#time_limit_minutes", "90")
    page.click("#edit-assignment >> text=Save")
    page.wait_for_selector("text=time limit 45 -> 90 min")
    row = page.locator("tr", has_text="Knee exam (final)")
    assert "2027-02-01" in row.inner_text() and "90 min" in row.inner_text()
    page.click('a[aria-label="Edit Knee exam (final)"]')
    page.select_option("#dup-cohort", str(ids["night"]))
    page.click('button:text-is("Duplicate")')
    page.wait_for_selector("text=Copied to Night")
    assert page.locator("tr", has_text="Knee exam (final)").count() == 2
    page.locator('a[aria-label="Edit Knee exam (final)"]').first.click()
    page.click("text=Close early")
    page.wait_for_selector("text=is closed")
    screenshot(page, "assignments-edited")
    page.locator('a[aria-label="Edit Knee exam (final)"]').last.click()
    page.fill("#confirm-title", "Knee exam (final)")
    page.click("#delete-assignment >> text=Delete")
    page.wait_for_selector("text='Knee exam (final)' deleted")
    assert page.locator("tr", has_text="Knee exam (final)").count() == 1


def test_certify_print_and_revoke(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    ids = _class(live_app)
    with live_app.app_context():
        _history(ids["rita"], "orthopaedics", 30, 90, 90)
    login(page, base, "boss", PASSWORD)
    page.goto(f"{base}/supervise/cohorts/{ids['day']}/certification")
    assert "Rita Trainee" in page.inner_text("#ready")
    page.click("#ready >> text=Rita Trainee")
    page.click("text=Certify in Orthopaedics")
    page.wait_for_url(re.compile(r".*/supervise/certificates/\d+$"))
    certificate = page.inner_text("#certificate")
    assert "Rita Trainee" in certificate and "90 of 90" in certificate and "Bea Boss" in certificate
    page.emulate_media(media="print")
    assert not page.is_visible("#revoke-form") and not page.is_visible("header.topbar")
    assert page.is_visible("#certificate")
    screenshot(page, "certificate-print")
    page.emulate_media(media="screen")
    page.fill("#reason", "Coded with outside help.")
    page.click("text=Revoke certificate")
    page.wait_for_selector("text=Certificate revoked")
    assert "REVOKED" in page.inner_text("#certificate")
    page.goto(f"{base}/supervise/cohorts/{ids['day']}/certification")
    assert "Rita Trainee" in page.inner_text("#ready") and "Nobody." in page.inner_text(
        "#certified"
    )
