"""The cohort report's summary rows: each trainee's counted practice charts, summed.

The report used to scan every attempt of a cohort (about 150 ms at 100,000); at 1,000,000 a
scan cannot answer in time, so the sums are kept: per trainee and template, per trainee, week
and specialty, per trainee and E/M pair, per trainee and error type. They are rewritten
for the trainees a change touched, in the transaction of that change: a submission, a review
override, a key correction's rescore, and an exam run finishing (its charts start to count).

A trainee's rows are recomputed from their attempts, not adjusted by a difference: the
statement that refreshes one trainee is the statement that fills the table for everyone (the
migration's backfill does the same in SQL of its own), so a summary can never drift from the
attempts it sums. The predicates are the report's own (``figures.practice_figures``,
``figures.counted_errors``), so an open exam's charts stay out exactly as before.

At 1,000,000 attempts even the per-trainee rows are too many to sum per request (2,000
trainees x 213 templates), so each cohort keeps the sums of its members' rows too (the
``Cohort*Summary`` models): a trainee's refresh takes their old rows' share out of their
cohort, rewrites their rows, and puts the new share in, as row-level increments (UPSERT), in
the same transaction; a trainee joining, moving or leaving moves their share the same way
(mapper events on ``CohortMember``, so every path that changes a membership is covered). On
PostgreSQL the trainee's row and then their cohort's row are locked first (``FOR NO KEY
UPDATE``, in id order): two refreshes of one trainee cannot both take out the same old share,
and the cohort's rows are changed by one transaction at a time (no deadlock between the
take-out and the put-in of two members).

The modules: ``trainee_rows`` (the per-trainee statements over the attempts), ``cohort_sums``
(each cohort's share of its members' rows, as UPSERT increments), ``refresh_rows`` (a refresh in
the caller's transaction, and the rebuild of everything), ``membership`` (the mapper events on
``CohortMember``, registered by importing this package).
"""

from __future__ import annotations

from . import membership  # noqa: F401  (registers the CohortMember events)
from .cohort_sums import COHORT_MODELS, COHORTS, cohort_sources
from .refresh_rows import rebuild, refresh
from .trainee_rows import (
    IDS,
    SUMMARY_MODELS,
    TRAINEE_MODELS,
    Ids,
    em_source,
    error_source,
    sources,
    specialty_source,
    summary_of,
    template_source,
    total_source,
    week_of,
    week_source,
)

__all__ = [
    "COHORTS",
    "COHORT_MODELS",
    "IDS",
    "SUMMARY_MODELS",
    "TRAINEE_MODELS",
    "Ids",
    "cohort_sources",
    "em_source",
    "error_source",
    "rebuild",
    "refresh",
    "sources",
    "specialty_source",
    "summary_of",
    "template_source",
    "total_source",
    "week_of",
    "week_source",
]
