"""The cohort report: every table a supervisor certifies trainees from, each exportable as CSV.

All figures come from a handful of grouped queries (per trainee and specialty, per trainee and
template, per trainee and week, per error type), so the report stays fast at 200 trainees with
500 charts each. Refresher charts (``Attempt.course``) are left out of the practice figures and
reported in their own table.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, bindparam, case, func, select

from trainer.core.content.templates import SPECIALTIES, TemplateLibrary
from trainer.core.stats.item_analysis import Cell, analyse
from trainer.core.stats.mastery import STATUS_LABELS, AccuracySummary

from ..core.csv_files import write_csv
from ..extensions import db
from ..models import (
    Assignment,
    AssignmentRun,
    Attempt,
    AttemptError,
    Cohort,
    CohortMember,
    Dispute,
    User,
    utcnow,
)
from .figures import counted, counted_errors, practice_figures

TREND_WEEKS = 8


PerTrainee = dict[int, dict[str, tuple[AccuracySummary, int]]]
"""Per trainee id, per specialty: the accuracy summary and the seconds spent."""


@dataclass
class Table:
    """One report table: what the page shows and the CSV export writes, cell for cell."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    classes: list[list[str]] = field(default_factory=list)  # per-cell CSS hints (page only)
    linked: bool = False  # the first column names a trainee (username in the second)
    note: str = ""

    def csv(self) -> str:
        return write_csv(self.columns, self.rows)


@dataclass
class CohortReport:
    cohort: Cohort
    trainees: list[User]
    tables: dict[str, Table]

    @property
    def user_ids(self) -> dict[str, int]:
        """Username to id, so table rows can link to the trainee's page."""
        return {u.username: u.id for u in self.trainees}


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _members(cohort: Cohort) -> tuple[list[User], dict[int, dict[str, float]]]:
    rows = db.session.execute(
        select(User, CohortMember.targets)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.display_name, User.id)
    ).all()
    return [u for u, _ in rows], {u.id: dict(t or {}) for u, t in rows}


def _practice(ids: list[int]) -> Any:
    return (Attempt.user_id.in_(ids), *practice_figures())


def cohort_report(
    cohort: Cohort, library: TemplateLibrary, target: float, elite: float
) -> CohortReport:
    users, targets = _members(cohort)
    ids = [u.id for u in users]
    names = {u.id: u.display_name for u in users}
    cells = _cells(ids)
    sums: dict[tuple[int, str], list[int]] = {}
    for user_id, _template, specialty, n, ok, cc, ct, secs in cells:
        acc = sums.get((user_id, specialty))
        if acc is None:
            sums[(user_id, specialty)] = [n, ok, cc, ct, secs]
        else:
            acc[0] += n
            acc[1] += ok
            acc[2] += cc
            acc[3] += ct
            acc[4] += secs
    per: PerTrainee = {i: {} for i in ids}
    for (user_id, specialty), (n, ok, cc, ct, secs) in sums.items():
        own = float(targets[user_id].get(specialty, target))
        summary = AccuracySummary(n, ok, cc, ct, own, max(own, elite))
        per[user_id][specialty] = (summary, secs)
    specialties = sorted({s for cells in per.values() for s in cells})
    tables = {
        "matrix": _matrix(users, per, specialties),
        "ready": _ready(users, per),
        "trend": _trend(users, ids),
        "errors": _errors(ids),
        "productivity": _productivity(users, per, target),
        "peers": _peers(users, per, specialties, target),
        "items": _items(ids, cells, library),
        "refreshers": _refreshers(cohort, names),
    }
    return CohortReport(cohort, users, tables)


def _cells(ids: list[int]) -> list[tuple[int, str, str, int, int, int, int, int]]:
    """Per trainee and template: charts, charts right, codes right, codes, seconds.

    The one scan of the attempts the report makes (through the covering index); the
    specialty matrix, productivity, peers and item analysis are all sums of these cells.
    """
    if not ids:
        return []
    statement = (
        select(
            Attempt.user_id,
            Attempt.template_id,
            Attempt.specialty,
            func.count(),
            func.coalesce(func.sum(case((Attempt.chart_correct, 1), else_=0)), 0),
            func.coalesce(func.sum(Attempt.code_correct), 0),
            func.coalesce(func.sum(Attempt.code_total), 0),
            func.coalesce(func.sum(Attempt.seconds_spent), 0),
        )
        .where(*_practice(ids))
        .group_by(Attempt.user_id, Attempt.template_id, Attempt.specialty)
    )
    return _plain_rows(statement)[0]


def _plain_rows(statement: Any, runs: list[dict[str, Any]] | None = None) -> list[list[Any]]:
    """Run a statement, once per set of values in ``runs``, on the DBAPI cursor of the
    session's connection, returning plain tuples (its columns must need no type processing:
    ints and strings).

    The report's large query returns ~12,000 rows, and building SQLAlchemy Row objects for
    them costs more than the query itself on SQLite; the weekly trend runs one compiled
    statement eight times.
    """
    dialect = db.engine.dialect
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    sql = str(compiled)
    results: list[list[Any]] = []
    cursor = db.session.connection().connection.cursor()
    try:
        for values in runs or [{}]:
            params: Any = {**compiled.params, **values}
            if compiled.positional:
                params = tuple(params[name] for name in compiled.positiontup or ())
            cursor.execute(sql, params)
            results.append(list(cursor.fetchall()))
    finally:
        cursor.close()
    return results


def _overall(cells: dict[str, tuple[AccuracySummary, int]], target: float) -> AccuracySummary:
    return AccuracySummary(
        sum(s.charts for s, _ in cells.values()),
        sum(s.charts_correct for s, _ in cells.values()),
        sum(s.codes_correct for s, _ in cells.values()),
        sum(s.codes_total for s, _ in cells.values()),
        target,
    )


def _matrix(users: list[User], per: PerTrainee, specialties: list[str]) -> Table:
    table = Table(
        "matrix",
        "Accuracy by specialty against target",
        ["trainee", "username"] + [SPECIALTIES.get(s, s) for s in specialties],
        linked=True,
        note="Code-level accuracy % (charts); the status uses the 95% Wilson lower bound "
        "against the trainee's target for the specialty, after 30 charts.",
    )
    for user in users:
        row: list[Any] = [user.display_name, user.username]
        css = ["", ""]
        for specialty in specialties:
            cell = per[user.id].get(specialty)
            if cell is None:
                row.append("")
                css.append("")
                continue
            summary = cell[0]
            row.append(
                f"{_pct(summary.code_accuracy)} ({summary.charts}) "
                f"{STATUS_LABELS[summary.status].lower()}"
            )
            css.append(f"status-{summary.status}")
        table.rows.append(row)
        table.classes.append(css)
    totals: list[Any] = ["Cohort", ""]
    for specialty in specialties:
        cc = sum(per[u.id][specialty][0].codes_correct for u in users if specialty in per[u.id])
        ct = sum(per[u.id][specialty][0].codes_total for u in users if specialty in per[u.id])
        totals.append(_pct(cc / ct) if ct else "")
    table.rows.append(totals)
    table.classes.append([""] * len(totals))
    return table


def _ready(users: list[User], per: PerTrainee) -> Table:
    table = Table(
        "ready",
        "Ready: at target per specialty",
        ["trainee", "username", "specialty", "code_accuracy_%", "ci_low_%", "target_%", "charts"],
        note="Trainees whose Wilson lower bound has reached their target in a specialty.",
    )
    for user in users:
        for specialty, (summary, _) in sorted(per[user.id].items()):
            if summary.status in ("at_target", "elite"):
                table.rows.append(
                    [
                        user.display_name,
                        user.username,
                        SPECIALTIES.get(specialty, specialty),
                        _pct(summary.code_accuracy),
                        _pct(summary.code_interval[0]),
                        _pct(summary.target),
                        summary.charts,
                    ]
                )
    return table


def _week_starts(now: datetime) -> list[datetime]:
    """Mondays 00:00 UTC of the last TREND_WEEKS ISO weeks, oldest first."""
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return [monday - timedelta(weeks=k) for k in range(TREND_WEEKS - 1, -1, -1)]


def _trend(users: list[User], ids: list[int]) -> Table:
    """Code accuracy per trainee per ISO week.

    One small query per week: each reads that week's range of the trend index in order and
    sums per trainee, which is several times cheaper than grouping every row by a computed
    week (a temporary B-tree over the whole window).
    """
    starts = _week_starts(utcnow())
    labels = [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in starts]
    sums: dict[tuple[int, str], tuple[int, int]] = {}
    if ids:
        ends = starts[1:] + [starts[-1] + timedelta(weeks=1)]
        as_bound = Attempt.__table__.c.submitted_at.type.bind_processor(db.engine.dialect)
        statement = (
            select(
                Attempt.user_id,
                func.coalesce(func.sum(Attempt.code_correct), 0),
                func.coalesce(func.sum(Attempt.code_total), 0),
            )
            .where(
                *_practice(ids),
                Attempt.submitted_at >= bindparam("week_start", starts[0], DateTime(timezone=True)),
                Attempt.submitted_at < bindparam("week_end", ends[-1], DateTime(timezone=True)),
            )
            .group_by(Attempt.user_id)
        )
        runs = [
            {
                "week_start": as_bound(start) if as_bound else start,
                "week_end": as_bound(end) if as_bound else end,
            }
            for start, end in zip(starts, ends, strict=True)
        ]
        for label, rows in zip(labels, _plain_rows(statement, runs), strict=True):
            for user_id, cc, ct in rows:
                sums[(user_id, label)] = (int(cc), int(ct))
    used = [w for w in labels if any(key[1] == w for key in sums)]
    table = Table(
        "trend",
        f"Weekly trend (last {TREND_WEEKS} weeks)",
        ["trainee", "username"] + used,
        linked=True,
        note="Code-level accuracy % per ISO week; open a trainee for the chart by specialty.",
    )
    for user in users:
        row: list[Any] = [user.display_name, user.username]
        for week in used:
            cc, ct = sums.get((user.id, week), (0, 0))
            row.append(_pct(cc / ct) if ct else "")
        table.rows.append(row)
    return table


def _errors(ids: list[int]) -> Table:
    table = Table(
        "errors",
        "Error types across the cohort",
        ["error_type", "count", "share_%", "trainees"],
    )
    if not ids:
        return table
    rows = db.session.execute(
        select(
            AttemptError.error_type,
            func.count(AttemptError.id),
            func.count(func.distinct(AttemptError.user_id)),
        )
        .where(
            AttemptError.user_id.in_(ids),
            counted_errors(),
            # Refresher charts are few: excluding their ids is cheaper than joining every row.
            AttemptError.attempt_id.not_in(
                select(Attempt.id).where(
                    Attempt.user_id.in_(ids), Attempt.status == "submitted", Attempt.course > ""
                )
            ),
        )
        .group_by(AttemptError.error_type)
        .order_by(func.count(AttemptError.id).desc(), AttemptError.error_type)
    ).all()
    total = sum(int(n) for _, n, _ in rows) or 1
    for error_type, n, who in rows:
        table.rows.append(
            [error_type.replace("_", " "), int(n), f"{int(n) / total * 100:.1f}", int(who)]
        )
    return table


def _productivity(users: list[User], per: PerTrainee, target: float) -> Table:
    table = Table(
        "productivity",
        "Productivity",
        [
            "trainee",
            "username",
            "charts",
            "hours",
            "charts_per_hour",
            "minutes_per_chart",
            "code_accuracy_%",
        ],
        note="Time is what the trainee spent on each chart's page (idle tabs are capped).",
    )
    for user in users:
        cells = per[user.id]
        charts = sum(s.charts for s, _ in cells.values())
        seconds = sum(secs for _, secs in cells.values())
        overall = _overall(cells, target)
        hours = seconds / 3600
        table.rows.append(
            [
                user.display_name,
                user.username,
                charts,
                f"{hours:.1f}",
                f"{charts / hours:.1f}" if hours else "",
                f"{seconds / 60 / charts:.1f}" if charts else "",
                _pct(overall.code_accuracy),
            ]
        )
    return table


def _peers(users: list[User], per: PerTrainee, specialties: list[str], target: float) -> Table:
    table = Table(
        "peers",
        "Peer comparison",
        [
            "trainee",
            "username",
            "code_accuracy_%",
            "cohort_median_%",
            "difference_points",
            "percentile",
            "charts",
        ],
        note="Each trainee against the cohort's median; percentile = share of peers below.",
    )
    overall = {u.id: _overall(per[u.id], target) for u in users}
    values = [s.code_accuracy for s in overall.values() if s.code_accuracy is not None]
    median = statistics.median(values) if values else None
    for user in users:
        acc = overall[user.id].code_accuracy
        if acc is None or median is None:
            table.rows.append([user.display_name, user.username, "", _pct(median), "", "", 0])
            continue
        below = sum(1 for v in values if v < acc)
        table.rows.append(
            [
                user.display_name,
                user.username,
                _pct(acc),
                _pct(median),
                f"{(acc - median) * 100:+.1f}",
                f"{below / max(1, len(values) - 1) * 100:.0f}" if len(values) > 1 else "",
                overall[user.id].charts,
            ]
        )
    return table


def _items(ids: list[int], cells: list[Any], library: TemplateLibrary) -> Table:
    table = Table(
        "items",
        "Item analysis by template",
        [
            "template",
            "specialty",
            "charts",
            "trainees",
            "share_fully_right_%",
            "code_accuracy_%",
            "discrimination",
            "flag",
            "template_id",
        ],
        note="Discrimination is the correlation, over trainees, between this template and "
        "their accuracy on every other one. A hard template with discrimination near zero "
        "or below is flagged: check its key.",
    )
    if not ids:
        return table
    disputed = set(
        db.session.scalars(
            select(Attempt.template_id)
            .join(Dispute, Dispute.attempt_id == Attempt.id)
            .where(Dispute.status == "open", Dispute.user_id.in_(ids))
        )
    )
    merged: dict[tuple[int, str], list[int]] = {}
    for user_id, template_id, _s, n, ok, cc, ct, _secs in cells:
        acc = merged.get((user_id, template_id))
        if acc is None:
            merged[(user_id, template_id)] = [n, ok, cc, ct]
        else:
            acc[0] += n
            acc[1] += ok
            acc[2] += cc
            acc[3] += ct
    items = (Cell(u, t, n, ok, cc, ct) for (u, t), (n, ok, cc, ct) in merged.items())
    for item in analyse(items, disputed):
        template = library.get(item.template_id)
        table.rows.append(
            [
                template.title if template else item.template_id,
                SPECIALTIES.get(template.specialty, template.specialty) if template else "",
                item.charts,
                item.trainees,
                _pct(item.p_correct),
                _pct(item.code_accuracy),
                "" if item.discrimination is None else f"{item.discrimination:.2f}",
                item.flag,
                item.template_id,
            ]
        )
        table.classes.append(["flag" if item.flag else ""] * 9)
    return table


def _refreshers(cohort: Cohort, names: dict[int, str]) -> Table:
    """Code-update refreshers, reported apart: completion and accuracy per trainee."""
    table = Table(
        "refreshers",
        "Code-update refreshers",
        ["refresher", "trainee", "started", "finished", "charts_submitted", "code_accuracy_%"],
        note="Charts of refresher assignments; they are not counted in the practice figures.",
    )
    for assignment in db.session.scalars(
        select(Assignment)
        .where(Assignment.cohort_id == cohort.id, Assignment.refresher != "")
        .order_by(Assignment.created_at)
    ):
        runs = {
            r.user_id: r
            for r in db.session.scalars(
                select(AssignmentRun).where(AssignmentRun.assignment_id == assignment.id)
            )
        }
        figures = {
            user_id: (int(n), int(cc), int(ct))
            for user_id, n, cc, ct in db.session.execute(
                select(
                    AssignmentRun.user_id,
                    func.count(Attempt.id),
                    func.coalesce(func.sum(Attempt.code_correct), 0),
                    func.coalesce(func.sum(Attempt.code_total), 0),
                )
                .join(Attempt, Attempt.run_id == AssignmentRun.id)
                .where(AssignmentRun.assignment_id == assignment.id, *counted())
                .group_by(AssignmentRun.user_id)
            )
        }
        for user_id, name in names.items():
            run = runs.get(user_id)
            n, cc, ct = figures.get(user_id, (0, 0, 0))
            table.rows.append(
                [
                    assignment.title,
                    name,
                    "yes" if run else "no",
                    "yes" if run and run.finished_at else "no",
                    n,
                    _pct(cc / ct) if ct else "",
                ]
            )
    return table


__all__ = ["CohortReport", "Table", "cohort_report"]
