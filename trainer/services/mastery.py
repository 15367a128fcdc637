"""Choosing the next chart: spaced review of missed code families, then the weakest specialty."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
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

VariantFamilies = dict[str, dict[str, list[tuple[dict[str, str], frozenset[str]]]]]
"""specialty -> template id -> (the variant's choices, the code families its key uses)."""


@dataclass(frozen=True, slots=True)
class ReviewChart:
    """A template and the variant of it whose key holds the family to review or drill."""

    template_id: str
    choices: dict[str, str]


@dataclass(frozen=True, slots=True)
class _CachedFamilies:
    library: weakref.ReferenceType[TemplateLibrary]
    families: VariantFamilies


# Keyed by id() for speed, but each entry keeps a weak reference to its library and is only
# used while that very library is alive: CPython reuses the id of a freed object, and a cache
# keyed by the bare id once served one library's families to another.
_FAMILIES: dict[int, _CachedFamilies] = {}


def variant_families(library: TemplateLibrary) -> VariantFamilies:
    """Every variant of every template (seed 0) with the code families its key uses; cached."""
    key = id(library)
    cached = _FAMILIES.get(key)
    if cached is not None and cached.library() is library:
        return cached.families
    found: VariantFamilies = {}
    for template in library.templates.values():
        variants = found.setdefault(template.specialty, {}).setdefault(template.id, [])
        for choice in template.choices():
            variant_key = generate(template, 0, choices=choice).key
            families = {family_of(d.code) for d in variant_key.diagnoses}
            families |= {family_of(k.line.code) for k in variant_key.lines}
            variants.append((choice, frozenset(families)))
    _FAMILIES[key] = _CachedFamilies(
        weakref.ref(library, lambda _ref: _FAMILIES.pop(key, None)), found
    )
    return found


def template_families(library: TemplateLibrary) -> dict[str, dict[str, set[str]]]:
    """specialty -> template id -> code families any variant of its key uses."""
    return {
        specialty: {
            tid: set().union(*(fams for _, fams in variants)) for tid, variants in templates.items()
        }
        for specialty, templates in variant_families(library).items()
    }


def review_chart(library: TemplateLibrary, specialty: str, family: str) -> ReviewChart | None:
    """The first template (by id) of the specialty, and its first variant, that key the family.

    Picking the variant matters: a template's variants may key different families (the
    meniscus template keys M23 in one variant and S83 in another), and a trainee told that a
    missed M23 code comes back must get an M23 chart, every time.
    """
    for template_id, variants in sorted(variant_families(library).get(specialty, {}).items()):
        for choices, families in variants:
            if family in families:
                return ReviewChart(template_id, choices)
    return None


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
) -> tuple[NextChart, ReviewChart | None] | None:
    """The recommended specialty and reason, and the chart variant that holds the due family."""
    summaries: dict[str, AccuracySummary] = {
        s.specialty: s.summary for s in specialty_summaries(user_id, target, elite)
    }
    by_template = template_families(library)
    by_specialty = {spec: set().union(*t.values()) for spec, t in by_template.items()}
    pick = choose_next(summaries, family_histories(user_id), by_specialty, datetime.now(UTC).date())
    if pick is None:
        return None
    chart = review_chart(library, pick.specialty, pick.family) if pick.family else None
    return pick, chart


def drill_target(
    user_id: int, error_type: str, library: TemplateLibrary
) -> tuple[str, ReviewChart | None, str] | None:
    """Where the trainee last made this error: (specialty, chart variant, reason), or None."""
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
    chart = review_chart(library, specialty, family) if family else None
    words = error_type.replace("_", " ")
    # Shown with the chart before it is answered: naming the code family would give it away.
    reason = f"Drill on '{words}': you last made this error on a chart of this specialty."
    return specialty, chart, reason
