"""Demo data: accounts, a cohort and practice history, so no page of a fresh install is empty.

History is made the honest way: real charts are generated from the templates, answered with
the key plus realistic slips (a dropped secondary code, a missing modifier, an unspecified
laterality), and graded by the real grader.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from sqlalchemy import select, text

from ..core.claims import Claim, ServiceLine
from ..database import write_transaction
from ..domain import domain
from ..extensions import db
from ..models import Attempt, Cohort, CohortMember, User, utcnow
from . import practice
from .accounts import create_user
from .assignments import create_assignment
from .disputes import open_dispute

DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("admin", "admin", "admin-demo-2026"),
    ("supervisor", "supervisor", "supervisor-demo-2026"),
    ("trainee", "trainee", "trainee-demo-2026"),
]
EXTRA_TRAINEES = 5
PASSWORD_EXTRA = "trainee-demo-2026"
# The demo marker lives in the data itself: demo accounts get an e-mail address under the
# reserved ".invalid" top-level domain (RFC 2606), which no real account can have. The sign-in
# page lists the demo log-ins only while such accounts exist, so never on production data.
DEMO_EMAIL_DOMAIN = "demo.invalid"


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def demo_logins_present() -> list[tuple[str, str, str]]:
    """The demo log-ins whose marked demo account still exists (none on real data)."""
    marked = set(
        db.session.scalars(
            select(User.username).where(
                User.username.in_([username for _, username, _ in DEMO_LOGINS]),
                User.email.endswith("@" + DEMO_EMAIL_DOMAIN),
            )
        )
    )
    return [login for login in DEMO_LOGINS if login[1] in marked]


def wipe_database() -> None:
    """Drop every table, Alembic's version table included, so migrations rebuild from zero.

    The session's open transaction (the caller counted the accounts it is about to delete) is
    ended first: on PostgreSQL its shared lock on ``users`` would make DROP TABLE wait forever.
    """
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.remove()


def _slip(claim: Claim, rng: random.Random) -> Claim:
    """One mistake of the kinds new coders make, chosen at random."""
    dx, lines = list(claim.diagnoses), list(claim.lines)
    kind = rng.choice(["drop_dx", "drop_modifier", "units", "unspecified", "extra_dx"])
    if kind == "drop_dx" and len(dx) > 1:
        dx.pop()
    elif kind == "drop_modifier" and lines and lines[0].modifiers:
        first = lines[0]
        lines[0] = ServiceLine(
            first.code, first.modifiers[1:], first.units, first.revenue_code, first.pointers
        )
    elif kind == "units" and lines:
        last = lines[-1]
        lines[-1] = ServiceLine(
            last.code, last.modifiers, last.units + 1, last.revenue_code, last.pointers
        )
    elif kind == "unspecified" and dx and "." in dx[0]:
        dx[0] = dx[0].split(".")[0] + ".9"
    else:
        dx.append("R53.83")
    return Claim(tuple(dx), tuple(lines))


def _history(user_id: int, skill: float, rng: random.Random, charts: int) -> int:
    """Submit ``charts`` graded attempts spread over the past weeks."""
    library = domain().library
    catalog = domain().catalog
    specialties = sorted(library.by_specialty())
    focus = rng.sample(specialties, k=min(3, len(specialties)))
    made = 0
    for i in range(charts):
        template = practice.choose_template(library, rng.choice(focus), rng)
        attempt = practice.start_attempt(user_id, template, seed=rng.randrange(2**31))
        key = practice.variant_of(attempt).key.as_claim()
        answer = key if rng.random() < skill else _slip(key, rng)
        seconds = rng.randint(240, 900)
        practice.submit_attempt(attempt.id, user_id, answer, seconds, catalog)
        when = utcnow() - timedelta(days=charts - i, minutes=rng.randint(0, 600))
        with write_transaction(db.session):
            db.session.get(Attempt, attempt.id).submitted_at = when  # type: ignore[union-attr]
        made += 1
    return made


def seed_demo(seed: int = 2026, charts_per_trainee: int = 24) -> str:
    """Create the demo accounts, cohort and history; returns a one-line summary."""
    rng = random.Random(seed)
    from faker import Faker  # imported by the demo seeder only, not at a worker's start

    fake = Faker("en_US")
    fake.seed_instance(seed)
    create_user("admin", DEMO_LOGINS[0][2], "admin", "Avery Admin", demo_email("admin"))
    supervisor = create_user(
        "supervisor", DEMO_LOGINS[1][2], "supervisor", fake.name(), demo_email("supervisor")
    )
    trainees = [
        create_user("trainee", DEMO_LOGINS[2][2], "trainee", fake.name(), demo_email("trainee"))
    ]
    for n in range(EXTRA_TRAINEES):
        name = f"trainee{n + 2}"
        trainees.append(create_user(name, PASSWORD_EXTRA, "trainee", fake.name(), demo_email(name)))
    with write_transaction(db.session) as session:
        cohort = Cohort(
            name="Demo cohort (new coders)",
            supervisor_id=supervisor.id,
            join_code=secrets.token_hex(4).upper(),
        )
        session.add(cohort)
        session.flush()
        for trainee in trainees:
            session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id))
    total = 0
    for trainee in trainees:
        total += _history(trainee.id, rng.uniform(0.6, 0.95), rng, charts_per_trainee)
    library = domain().library
    create_assignment(
        supervisor,
        cohort.id,
        "Week 1: orthopaedics practice",
        library,
        specialty="orthopaedics",
        chart_count=4,
    )
    create_assignment(
        supervisor,
        cohort.id,
        "Primary care check-in exam",
        library,
        specialty="primary_care",
        chart_count=3,
        mode="exam",
        time_limit_minutes=45,
    )
    refreshers = 0
    for update in domain().updates():
        _, items = domain().refresher(update)
        if items:
            create_assignment(
                supervisor,
                cohort.id,
                f"{update.label} refresher",
                library,
                template_ids=[i.template_id for i in items],
                chart_count=min(10, 2 * len(items)),
                refresher=update.slug,
            )
            refreshers += 1
    wrong = db.session.scalar(
        select(Attempt)
        .where(Attempt.user_id == trainees[0].id, Attempt.chart_correct.is_(False))
        .limit(1)
    )
    if wrong is not None:
        open_dispute(
            wrong,
            trainees[0].id,
            "",
            "I coded what the assessment states; please check the key against the "
            "ICD-10-CM guideline the rationale cites.",
        )
    return (
        f"Seeded {len(trainees)} trainees, 1 supervisor, 1 admin, cohort "
        f"{cohort.name!r} (join code {cohort.join_code}), {total} graded charts, "
        f"{2 + refreshers} assignments ({refreshers} code-update refresher), 1 open dispute."
    )
