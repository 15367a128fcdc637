"""Practice: pick a specialty, code a generated chart, submit once, read the feedback.

One blueprint (``practice``; its endpoint names are the url_for strings of the templates and
the route matrix), its views in three modules by what they work on: ``start`` (which chart
next), ``chart`` (the chart page, draft and submit) and ``feedback`` (the graded chart and a
dispute). Importing them here registers their routes before the app registers ``bp``.
"""

from __future__ import annotations

from . import chart, feedback, start
from .blueprint import bp

__all__ = ["bp", "chart", "feedback", "start"]
