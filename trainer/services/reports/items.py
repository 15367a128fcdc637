"""Item analysis: templates that everyone misses, and those whose key may be wrong."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from trainer.core.content.templates import SPECIALTIES, TemplateLibrary
from trainer.core.stats.item_analysis import Cell, analyse

from ...extensions import db
from ...models import Attempt, Dispute
from .tables import Table, pct


def items_table(ids: list[int], cells: list[Any], library: TemplateLibrary) -> Table:
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
    for user_id, template_id, _s, n, ok, cc, ct, _secs, *_costs in cells:
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
                pct(item.p_correct),
                pct(item.code_accuracy),
                "" if item.discrimination is None else f"{item.discrimination:.2f}",
                item.flag,
                item.template_id,
            ]
        )
        table.classes.append(["flag" if item.flag else ""] * 9)
    return table
