"""Item analysis: templates that everyone misses, and those whose key may be wrong."""

from __future__ import annotations

from sqlalchemy import select

from trainer.core.content.templates import SPECIALTIES, TemplateLibrary
from trainer.core.stats.item_analysis import Cell, ItemStats, Sums, analyse, analyse_sums

from ...extensions import db
from ...models import Attempt, Cohort, CohortMember, CohortTemplateSummary, Dispute
from .queries import plain_rows, template_cells
from .tables import Table, pct

SUM_COLUMNS = (
    CohortTemplateSummary.template_id,
    CohortTemplateSummary.trainees,
    CohortTemplateSummary.charts,
    CohortTemplateSummary.charts_correct,
    CohortTemplateSummary.codes_correct,
    CohortTemplateSummary.codes_total,
    CohortTemplateSummary.item_n,
    CohortTemplateSummary.sum_x,
    CohortTemplateSummary.sum_y,
    CohortTemplateSummary.sum_xx,
    CohortTemplateSummary.sum_yy,
    CohortTemplateSummary.sum_xy,
)


def _disputed(cohort: Cohort) -> set[str]:
    """Templates with an open dispute by a member of the cohort."""
    return set(
        db.session.scalars(
            select(Attempt.template_id)
            .join(Dispute, Dispute.attempt_id == Attempt.id)
            .join(CohortMember, CohortMember.user_id == Dispute.user_id)
            .where(Dispute.status == "open", CohortMember.cohort_id == cohort.id)
        )
    )


def _from_attempts(all_ids: list[int], disputed: set[str]) -> list[ItemStats]:
    """The statistics from every member's cells computed from the attempts (the reference
    the kept sums are tested against)."""
    merged: dict[tuple[int, str], list[int]] = {}
    for user_id, template_id, _s, n, ok, cc, ct, _secs, *_costs in template_cells(all_ids, True):
        acc = merged.get((user_id, template_id))
        if acc is None:
            merged[(user_id, template_id)] = [n, ok, cc, ct]
        else:
            acc[0] += n
            acc[1] += ok
            acc[2] += cc
            acc[3] += ct
    items = (Cell(u, t, n, ok, cc, ct) for (u, t), (n, ok, cc, ct) in merged.items())
    return analyse(items, disputed)


def items_table(
    cohort: Cohort, all_ids: list[int], library: TemplateLibrary, from_attempts: bool = False
) -> Table:
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
    disputed = _disputed(cohort)
    if from_attempts:
        stats = _from_attempts(all_ids, disputed) if all_ids else []
    else:
        statement = select(*SUM_COLUMNS).where(
            CohortTemplateSummary.cohort_id == cohort.id, CohortTemplateSummary.trainees > 0
        )
        stats = analyse_sums((Sums(*row) for row in plain_rows(statement)[0]), disputed)
    for item in stats:
        template = library.get(item.template_id)
        table.rows.append(
            [
                template.title if template else item.template_id,
                SPECIALTIES.get(template.specialty, template.specialty) if template else "",
                item.charts,
                item.trainees,
                pct(item.p_correct),
                pct(item.code_accuracy),
                "" if item.discrimination is None else f"{item.discrimination:.2f}",
                item.flag,
                item.template_id,
            ]
        )
        table.classes.append(["flag" if item.flag else ""] * 9)
    return table
