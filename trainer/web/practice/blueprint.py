"""Practice: the blueprint and the one ownership check every practice view starts with.

Its own module so the view modules (``start``, ``chart``, ``feedback``) can register on one
``practice`` blueprint without importing the package that imports them.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from ...extensions import db
from ...models import Attempt

bp = Blueprint("practice", __name__)


def own_attempt(attempt_id: int) -> Attempt:
    """The current user's attempt; 404 otherwise (a 403 would confirm that it exists)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt
