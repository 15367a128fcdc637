"""Supervisor pages: the cohorts a supervisor runs and where each trainee stands.

One blueprint (``supervise``; its endpoint names are the url_for strings of the templates and
the route matrix), its views in three modules by what they act on: ``cohorts`` (the
dashboard, rosters, the CSV), ``disputes`` (the queue and key corrections) and
``assignments``. Importing them here registers their routes before the app registers ``bp``.
"""

from __future__ import annotations

from . import assignments, cohorts, disputes
from .blueprint import bp
from .cohorts import index_page

__all__ = ["assignments", "bp", "cohorts", "disputes", "index_page"]
