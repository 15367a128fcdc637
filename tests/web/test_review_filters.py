"""The review queue as a supervisor works it: filters, sorting, paging and scope."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Cohort, CohortMember, User
from trainer.services import review_queue as queue_module
from trainer.services.accounts import create_user
from trainer.services.disputes import open_dispute
from trainer.services.practice import start_attempt, submit_attempt, variant_of
from trainer.services.review import record_review


def _submit(user_id: int, template, seed: int, right: bool) -> int:  # type: ignore[no-untyped-def]
    attempt = start_attempt(user_id, template, seed=seed)
    claim = variant_of(attempt).key.as_claim()
    if not right:
        claim = replace(claim, diagnoses=("R69",) + claim.diagnoses[1:])
    submit_attempt(attempt.id, user_id, claim, 40, domain().catalog)
    return attempt.id


@pytest.fixture
def world(app, users):  # type: ignore[no-untyped-def]
    """Cohorts Day and Night of 'supervisor' (trainee, other), one of 'rival' (stranger).
    Every trainee has too few charts to be at target, so every chart is sampled."""
    with app.app_context():
        rival = create_user("rival", PASSWORD, "supervisor")
        stranger = create_user("stranger", PASSWORD)
        day = Cohort(name="Day", supervisor_id=users["supervisor"], join_code="DAYQ")
        night = Cohort(name="Night", supervisor_id=users["supervisor"], join_code="NIGHTQ")
        theirs = Cohort(name="Theirs", supervisor_id=rival.id, join_code="THEIRSQ")
        db.session.add_all([day, night, theirs])
        db.session.flush()
        for cohort, user_id in (
            (day, users["trainee"]),
            (night, users["other"]),
            (theirs, stranger.id),
        ):
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=user_id))
        db.session.commit()
        library = domain().library.templates.values()
        ortho = sorted((t for t in library if t.specialty == "orthopaedics"), key=lambda t: t.id)[0]
        radio = sorted((t for t in library if t.specialty == "radiology"), key=lambda t: t.id)[0]
        ids = {
            "t_ortho_right": _submit(users["trainee"], ortho, 1, True),
            "t_ortho_wrong": _submit(users["trainee"], ortho, 2, False),
            "t_radio": _submit(users["trainee"], radio, 3, True),
            "o_ortho": _submit(users["other"], ortho, 4, False),
            "stranger": _submit(stranger.id, ortho, 5, True),
        }
        from trainer.models import Attempt

        open_dispute(
            db.session.get(Attempt, ids["t_ortho_wrong"]),
            users["trainee"],
            "",
            "The note documents it (ICD-10-CM I.B.13).",
        )
        supervisor = db.session.get(User, users["supervisor"])
        record_review(
            db.session.get(Attempt, ids["t_radio"]), supervisor, [], "Fine.", "below_target"
        )
        return {**ids, "day": day.id, "night": night.id, "theirs": theirs.id}


def _ids(page: str, world) -> set[str]:  # type: ignore[no-untyped-def]
    return {
        name
        for name, value in world.items()
        if name not in ("day", "night", "theirs") and f"/supervise/review/{value}?" in page
    }


def test_filters_narrow_the_queue_within_the_supervisors_cohorts(client, auth, world):
    auth.login("supervisor")
    get = lambda q="": client.get(f"/supervise/review/{q}").get_data(as_text=True)  # noqa: E731
    everything = _ids(get(), world)
    # The reviewed chart has left the queue; the disputed one is there twice (sample and dispute).
    assert everything == {"t_ortho_right", "t_ortho_wrong", "o_ortho"}
    assert _ids(get(f"?cohort={world['night']}"), world) == {"o_ortho"}
    assert _ids(get("?specialty=radiology&status=all"), world) == {"t_radio"}
    assert _ids(get("?status=reviewed"), world) == {"t_radio"}
    disputes = get("?reason=dispute")
    assert _ids(disputes, world) == {"t_ortho_wrong"} and "Accept or reject" in disputes
    with client.application.app_context():
        trainee = db.session.scalar(select(User.id).where(User.username == "trainee"))
    assert _ids(get(f"?trainee={trainee}&status=all"), world) == {
        "t_ortho_right",
        "t_ortho_wrong",
        "t_radio",
    }
    assert "No chart matches these filters" in get("?specialty=dermatology")


def test_sorting_and_paging_happen_on_the_server(client, auth, world, monkeypatch):
    auth.login("supervisor")
    monkeypatch.setattr(queue_module, "PAGE_SIZE", 2)
    first = client.get("/supervise/review/?status=all&sort=score&reason=below_target").get_data(
        as_text=True
    )
    assert "Page 1 of 2" in first
    order = [
        name
        for name in ("o_ortho", "t_ortho_wrong", "t_ortho_right", "t_radio")
        if f"/supervise/review/{world[name]}?" in first
    ]
    assert (
        set(order) <= {"o_ortho", "t_ortho_wrong"} and len(order) == 2
    )  # the two wrong charts score lowest
    second = client.get(
        "/supervise/review/?status=all&sort=score&reason=below_target&page=2"
    ).get_data(as_text=True)
    assert _ids(second, world) == {"t_ortho_right", "t_radio"} and "Page 2 of 2" in second
    assert 'rel="prev"' in second and "sort=score" in second.split('rel="prev"', 1)[1][:200]
    past = client.get("/supervise/review/?status=all&page=99").get_data(as_text=True)
    assert "Page 3 of 3" in past  # 5 rows (4 charts + the dispute) over pages of 2


def test_bad_filters_are_a_400_and_another_cohort_a_404(client, auth, world):
    auth.login("supervisor")
    for query in (
        "?cohort=abc",
        "?page=0",
        "?trainee=-1",
        "?status=everything",
        "?sort=evil",
        "?reason=bribe",
        "?page=１",
    ):
        assert client.get(f"/supervise/review/{query}").status_code == 400, query
    assert client.get(f"/supervise/review/?cohort={world['theirs']}").status_code == 404
    assert client.get("/supervise/review/?cohort=999999").status_code == 404
    # The rival sees only their own trainee's chart, under any filter.
    auth.logout()
    auth.login("rival")
    assert _ids(client.get("/supervise/review/?status=all").get_data(as_text=True), world) == {
        "stranger"
    }
    assert client.get(f"/supervise/review/?cohort={world['day']}").status_code == 404
    auth.logout()
    auth.login("trainee")
    assert client.get("/supervise/review/?status=all").status_code == 403


def test_an_admin_sees_every_cohort(client, auth, world):
    auth.login("admin")
    page = client.get("/supervise/review/?status=all").get_data(as_text=True)
    assert _ids(page, world) == {"t_ortho_right", "t_ortho_wrong", "t_radio", "o_ortho", "stranger"}
