"""Reference documents a coder keeps beside the chart: the hospital's own ED facility level
criteria. Hospitals assign ED facility levels (99281-99285 on revenue code 0450) by their own
written criteria (CMS OPPS asks each hospital to follow its guidelines consistently); a coder
reads them from policy, not from the chart, so the charts no longer print them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

bp = Blueprint("reference", __name__, url_prefix="/reference")


def references_for(variant: Any) -> list[tuple[str, str]]:
    """The reference pages a chart's coder needs, as (endpoint, link text)."""
    if variant.setting == "facility" and (
        variant.specialty == "emergency_facility" or "emergency" in variant.chart_markdown.lower()
    ):
        return [("reference.ed_facility_levels", "Hospital ED facility level criteria")]
    return []


@bp.get("/ed-facility-levels")
@login_required
def ed_facility_levels() -> ResponseReturnValue:
    return render_template("reference/ed_facility_levels.html")


def init_app(app: Any) -> None:
    app.add_template_global(references_for, "references_for")
    app.register_blueprint(bp)
