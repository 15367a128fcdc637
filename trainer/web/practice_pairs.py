"""Pair practice pages: start a professional + facility pair, then see both grades side by side.

The two charts are coded on the ordinary chart page (``web.practice``); this blueprint starts
the pair, sends the trainee to whichever chart is still open, and shows the pair's result.
Who may see what is ``services.access.may_see_key`` for each chart, through
``services.practice_pairs.pair_view``.
"""

from __future__ import annotations

import random

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..domain import domain
from ..models import PracticePair
from ..services import practice_pairs as pairs
from ..services.practice import PracticeError

bp = Blueprint("practice_pairs", __name__)


def _own_pair(pair_id: int) -> PracticePair:
    """The current user's pair; 404 otherwise (a 403 would confirm that it exists)."""
    pair = pairs.own_pair(pair_id, current_user.id)
    if pair is None:
        abort(404)
    return pair


@bp.post("/practice/pair/start")
@login_required
def start() -> ResponseReturnValue:
    """Draw a paired encounter; the trainee codes the professional chart first."""
    try:
        pair = pairs.start_pair(current_user.id, domain().library, random.Random())
    except PracticeError as exc:
        abort(404, description=str(exc))
    return redirect(url_for("practice.attempt", attempt_id=pair.professional_attempt_id), 303)


@bp.get("/practice/pair/<int:pair_id>")
@login_required
def result(pair_id: int) -> ResponseReturnValue:
    """The chart still to code, or (both done) the two grades and what differs."""
    pair = _own_pair(pair_id)
    waiting = pairs.next_chart(pair)
    if waiting is not None:
        flash(f"Chart {pairs.step_of(pair, waiting)} of 2 of this encounter is still open.", "info")
        return redirect(url_for("practice.attempt", attempt_id=waiting.id))
    view = pairs.pair_view(current_user, pair)  # each grade only where may_see_key allows it
    catalog = domain().catalog
    found = view.differences.revenue_codes if view.differences else ()
    titles = {code: catalog.title(code, "revenue") or "" for code in found}
    return render_template("practice/pair.html", view=view, revenue_titles=titles)
