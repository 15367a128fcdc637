"""Supervisor pages: the blueprint, and the one cohort check the cohort views start with.

Its own module so the view modules (``cohorts``, ``disputes``, ``assignments``) register on
one ``supervise`` blueprint without importing the package that imports them.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from ...extensions import db
from ...models import Cohort
from ...services.cohorts import visible_cohorts

bp = Blueprint("supervise", __name__, url_prefix="/supervise")


def own_cohort(cohort_id: int) -> Cohort:
    """A cohort the current supervisor runs (any for an admin); 404 otherwise."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort not in visible_cohorts(current_user):
        abort(404)
    return cohort
