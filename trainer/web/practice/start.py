"""Practice, starting a chart: the home page, a chart in a specialty (or the weakest area),
skipping one, and a drill on an error type from the progress page.

Apart from the chart page and the feedback because these choose *which* chart comes next
(``services.mastery``); the others work on a chart already chosen.
"""

from __future__ import annotations

import random

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from trainer.core.content.templates import SPECIALTIES

from ...domain import domain
from ...services import practice as service
from ...services.mastery import drill_target, next_chart
from ...services.progress import specialty_summaries
from ..forms import WholeNumberField
from .blueprint import bp, own_attempt


class StartForm(FlaskForm):
    specialty = SelectField("Specialty", validators=[DataRequired()])
    difficulty = WholeNumberField("Difficulty", validators=[Optional(), NumberRange(1, 5)])


WEAKEST = "weakest"


def _specialty_choices() -> list[SelectChoice]:
    available = domain().library.by_specialty()
    return [SelectChoice(WEAKEST, "My weakest area (recommended)")] + [
        SelectChoice(slug, SPECIALTIES.get(slug, slug)) for slug in sorted(available)
    ]


def _home(form: StartForm, status: int = 200) -> ResponseReturnValue:
    cfg = current_app.config
    summaries = specialty_summaries(current_user.id, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
    return render_template(
        "practice/home.html", summaries=summaries, form=form, specialties=SPECIALTIES
    ), status


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    form = StartForm()
    form.specialty.choices = _specialty_choices()
    return _home(form)


@bp.post("/practice/start")
@login_required
def start() -> ResponseReturnValue:
    form = StartForm()
    form.specialty.choices = _specialty_choices()
    if not form.validate():
        flash("Choose one of the listed specialties (and a difficulty from 1 to 5).", "error")
        return _home(form, 400)
    specialty = form.specialty.data or ""
    library = domain().library
    reason, template, review = "", None, None
    if specialty == WEAKEST:
        cfg = current_app.config
        picked = next_chart(current_user.id, library, cfg["ACCURACY_TARGET"], cfg["ACCURACY_ELITE"])
        if picked is None:
            abort(404, description="No exercises are available yet.")
        choice, review = picked
        specialty, reason = choice.specialty, choice.reason
        template = library.get(review.template_id) if review else None
    resume = service.open_attempt(current_user.id, specialty)
    if resume is not None:
        return redirect(url_for("practice.attempt", attempt_id=resume.id), 303)
    if template is None:
        template = service.choose_template(
            library, specialty, random.Random(), form.difficulty.data
        )
    choices = review.choices if review and template else None
    attempt = service.start_attempt(current_user.id, template, reason=reason, choices=choices)
    return redirect(url_for("practice.attempt", attempt_id=attempt.id), 303)


@bp.post("/practice/attempt/<int:attempt_id>/skip")
@login_required
def skip(attempt_id: int) -> ResponseReturnValue:
    attempt = own_attempt(attempt_id)
    if attempt.status == "in_progress" and attempt.mode == "practice" and attempt.run_id is None:
        service.abandon_attempt(attempt)
        flash("Chart skipped; it does not count toward your accuracy.", "info")
    return redirect(url_for("practice.home"), 303)


@bp.post("/practice/drill")
@login_required
def drill() -> ResponseReturnValue:
    """One click from an error type on the progress page to a chart that exercises it."""
    error_type = request.form.get("error_type", "")[:32]
    library = domain().library
    target = drill_target(current_user.id, error_type, library)
    if target is None:
        abort(400, description="There is no error of that type in your history to drill.")
    specialty, review, reason = target
    resume = service.open_attempt(current_user.id, specialty)
    if resume is not None:
        service.abandon_attempt(resume)
    template = library.get(review.template_id) if review else None
    choices = review.choices if review and template else None
    if template is None:
        template = service.choose_template(library, specialty, random.Random())
    attempt = service.start_attempt(current_user.id, template, reason=reason, choices=choices)
    return redirect(url_for("practice.attempt", attempt_id=attempt.id), 303)
