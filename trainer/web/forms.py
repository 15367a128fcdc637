"""Forms shared by several blueprints."""

from __future__ import annotations

from flask_wtf import FlaskForm


class CsrfOnlyForm(FlaskForm):
    """A form with no fields of its own: it carries and checks the CSRF token of buttons and of
    panels whose fields the domain core parses (the code-entry panel)."""
