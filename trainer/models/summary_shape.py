"""The one shape of every summary table: an owner key, the model's own keys, the sums.

A per-trainee summary (``TraineeRows``) is keyed on ``user_id`` and a per-cohort one
(``CohortRows``) on ``cohort_id`` plus ``trainees`` (how many member rows it sums); each model
then states only its own key columns (``key``) and what it sums (``summed``). The column order
is part of the contract: ``services.report_summaries`` fills a table from a SELECT whose
columns come in the table's order, so the owner comes first, then the model's keys, then
``trainees``, then the sums (``sort_order``; a mixin's columns would otherwise come last).

The tables were created by migrations ``f2b8d4a6c1e9`` and ``a7c3e9b1d5f2``; this shape yields
exactly their schema (the names of the foreign keys included).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeEngine

OWNER, KEYS, TRAINEES, SUMS = -1, 0, 1, 2
"""The ``sort_order`` of each part of a summary row."""

CLUSTERED = {"sqlite_with_rowid": False}
"""Stored in key order (SQLite): the report reads each owner's rows as one range."""


def key(type_: TypeEngine[Any]) -> Any:
    """One of a summary model's own key columns (after the owner's)."""
    return mapped_column(type_, primary_key=True, sort_order=KEYS)


def summed(type_: type[TypeEngine[Any]] | TypeEngine[Any] = Integer) -> Any:
    """A column the summary sums (never NULL: an empty sum is stored as 0)."""
    return mapped_column(type_, sort_order=SUMS)


class TraineeRows:
    """A per-trainee summary: keyed first on the trainee, clustered on the key."""

    __tablename__: str

    @declared_attr.directive
    def __table_args__(cls) -> Any:
        return dict(CLUSTERED)

    @declared_attr
    def user_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("users.id", name=f"fk_{cls.__tablename__}_user_id"),
            primary_key=True,
            sort_order=OWNER,
        )


class CohortRows:
    """A per-cohort sum of its members' rows: keyed first on the cohort, then counting the
    member rows it sums (``trainees``; a row summing none is deleted)."""

    __tablename__: str

    @declared_attr.directive
    def __table_args__(cls) -> Any:
        return dict(CLUSTERED)

    @declared_attr
    def cohort_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("cohorts.id", name=f"fk_{cls.__tablename__}_cohort_id"),
            primary_key=True,
            sort_order=OWNER,
        )

    @declared_attr
    def trainees(cls) -> Mapped[int]:
        return mapped_column(Integer, sort_order=TRAINEES)
