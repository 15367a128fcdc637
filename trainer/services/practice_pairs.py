"""Pair practice: one encounter coded as the professional claim, then as the facility claim.

A pair is two ordinary practice attempts drawn from one seed (``core.content.pairs``), tied by
a ``PracticePair`` row. Everything a single attempt obeys still holds for each of them (drafts,
one submit, the exam deadline check, and ``access.may_see_key`` for the key and the grade):
the pair's page shows a grade only where that function allows it, so a pair can never show a
key earlier than its charts would on their own.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..core.content.pairs import PairDifferences, differences, generate_pair, paired_professionals
from ..core.content.pairs import twin_of as _twin_of
from ..core.content.sandbox import RenderLimitError
from ..core.content.templates import TemplateLibrary
from ..database import write_transaction
from ..extensions import db
from ..models import Attempt, CohortMember, PracticePair
from .access import may_see_key
from .keys import current_key
from .practice import PracticeError, current_grade, new_attempt

#: What the trainee reads when a pair's first grade is asked for before the second chart is in.
PAIR_CLOSED = "Grades open when both charts of the pair are submitted."


def start_pair(
    user_id: int, library: TemplateLibrary, rng: random.Random, seed: int | None = None
) -> PracticePair:
    """Draw a paired encounter and store both charts (professional first) in one transaction."""
    offered = paired_professionals(library)
    if not offered:
        raise PracticeError("No professional + facility pairs are available yet.")
    professional = rng.choice(offered)
    facility = _twin_of(library, professional)
    if facility is None:  # paired_professionals only lists templates whose twin loaded
        raise PracticeError("That pair's facility chart is not available.")
    seed = secrets.randbelow(2**31) if seed is None else seed
    try:
        charts = generate_pair(professional, facility, seed)
    except RenderLimitError as exc:
        raise PracticeError(f"The pair {professional.title!r} cannot be rendered: {exc}.") from exc
    cohort_id = db.session.scalar(
        select(CohortMember.cohort_id).where(CohortMember.user_id == user_id)
    )
    reason = "Pair practice: the same encounter as the professional and the facility claim."
    with write_transaction(db.session) as session:
        first = new_attempt(
            user_id, professional, charts.professional, reason=reason, cohort_id=cohort_id
        )
        second = new_attempt(user_id, facility, charts.facility, reason=reason, cohort_id=cohort_id)
        session.add_all([first, second])
        session.flush()
        pair = PracticePair(
            user_id=user_id, professional_attempt_id=first.id, facility_attempt_id=second.id
        )
        session.add(pair)
    return pair


def own_pair(pair_id: int, user_id: int) -> PracticePair | None:
    """The user's own pair by id; None for anyone else's (the page answers 404 alike)."""
    pair = db.session.get(PracticePair, pair_id)
    return pair if pair is not None and pair.user_id == user_id else None


def next_chart(pair: PracticePair) -> Attempt | None:
    """The pair's chart still to code: the professional one first, then the facility one."""
    for attempt in (pair.professional, pair.facility):
        if attempt.status == "in_progress":
            return attempt
    return None


def step_of(pair: PracticePair, attempt: Attempt) -> int:
    """1 for the professional chart, 2 for the facility chart."""
    return 1 if attempt.id == pair.professional_attempt_id else 2


@dataclass(frozen=True)
class PairSide:
    attempt: Attempt
    grade: dict[str, Any] | None  # None: not submitted, or not to be seen by this viewer yet


@dataclass(frozen=True)
class PairView:
    pair: PracticePair
    professional: PairSide
    facility: PairSide
    differences: PairDifferences | None  # only once both keys may be seen


def pair_view(viewer: Any, pair: PracticePair) -> PairView:
    """Both sides of a pair as this viewer may see them now (``may_see_key`` per chart)."""
    pro, fac = pair.professional, pair.facility
    pro_open, fac_open = may_see_key(viewer, pro), may_see_key(viewer, fac)
    found = differences(current_key(pro), current_key(fac)) if pro_open and fac_open else None
    return PairView(
        pair,
        PairSide(pro, current_grade(pro) if pro_open else None),
        PairSide(fac, current_grade(fac) if fac_open else None),
        found,
    )
