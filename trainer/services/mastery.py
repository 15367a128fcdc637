"""Choosing the next chart: spaced review of missed code families, then the weakest specialty."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from trainer.core.content.generation import generate
from trainer.core.content.templates import TemplateLibrary
from trainer.core.stats.mastery import (
    AccuracySummary,
    FamilyHistory,
    NextChart,
    choose_next,
    family_of,
)

from ..extensions import db
from ..models import Attempt, AttemptError
from .figures import counted_errors, practice_figures
from .progress import specialty_summaries

_FAMILIES: dict[int, dict[str, dict[str, set[str]]]] = {}


def template_families(library: TemplateLibrary) -> dict[str, dict[str, set[str]]]:
    """specialty -> template id -> code families its keys use (every variant, seed 0); cached."""
    cached = _FAMILIES.get(id(library))
    if cached is None:
        cached = {}
        for template in library.templates.values():
            families: set[str] = set()
            for choice in template.choices():
                key = generate(template, 0, choices=choice).key
                families |= {family_of(d.code) for d in key.diagnoses}
                families |= {family_of(k.line.code) for k in key.lines}
            cached.setdefault(template.specialty, {})[template.id] = families
        _FAMILIES[id(library)] = cached
    return cached


def family_histories(user_id: int) -> list[FamilyHistory]:
    """Replay the trainee's charts: a miss resets a family; a right review moves it along."""
    attempts = db.session.execute(
        select(Attempt.id, Attempt.submitted_at, Attempt.variant)
        .where(Attempt.user_id == user_id, *practice_figures())
        .order_by(Attempt.submitted_at)
    ).all()
    missed_by_attempt: dict[int, set[str]] = {}
    for attempt_id, family in db.session.execute(
        select(AttemptError.attempt_id, AttemptError.code_family).where(
            AttemptError.user_id == user_id, counted_errors()
        )
    ):
        missed_by_attempt.setdefault(attempt_id, set()).add(family)
    history: dict[str, FamilyHistory] = {}
    for attempt_id, when, variant in attempts:
        day = when.date()
        key = variant.get("key", {})
        keyed = {family_of(d["code"]) for d in key.get("diagnoses", [])}
        keyed |= {family_of(line["code"]) for line in key.get("lines", [])}
        missed = missed_by_attempt.get(attempt_id, set()) & keyed
        for family in missed:
            history[family] = FamilyHistory(family, day)
        for family in keyed - missed:
            item = history.get(family)
            due = item.due_on() if item else None
            if item and due and day >= due:
                history[family] = FamilyHistory(
                    family, item.last_missed, item.correct_reviews + 1, day
                )
    return list(history.values())


def next_chart(
    user_id: int, library: TemplateLibrary, target: float, elite: float
) -> tuple[NextChart, str | None] | None:
    """The recommended specialty, the reason, and a template that holds the due family."""
    summaries: dict[str, AccuracySummary] = {
        s.specialty: s.summary for s in specialty_summaries(user_id, target, elite)
    }
    by_template = template_families(library)
    by_specialty = {spec: set().union(*t.values()) for spec, t in by_template.items()}
    pick = choose_next(summaries, family_histories(user_id), by_specialty, datetime.now(UTC).date())
    if pick is None:
        return None
    template_id = None
    if pick.family:
        template_id = next(
            (
                tid
                for tid, fams in sorted(by_template[pick.specialty].items())
                if pick.family in fams
            ),
            None,
        )
    return pick, template_id


def drill_target(
    user_id: int, error_type: str, library: TemplateLibrary
) -> tuple[str, str | None, str] | None:
    """Where the trainee last made this error: (specialty, template id, reason), or None."""
    row = db.session.execute(
        select(AttemptError.specialty, AttemptError.code_family)
        .where(
            AttemptError.user_id == user_id,
            AttemptError.error_type == error_type,
            counted_errors(),
        )
        .order_by(AttemptError.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    specialty, family = row
    templates = template_families(library).get(specialty, {})
    template_id = next((tid for tid, fams in sorted(templates.items()) if family in fams), None)
    words = error_type.replace("_", " ")
    # Shown with the chart before it is answered: naming the code family would give it away.
    reason = f"Drill on '{words}': you last made this error on a chart of this specialty."
    return specialty, template_id, reason
