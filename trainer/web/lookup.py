"""Encoder-style look-up: search codes as you type, open a code's notes and children."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from trainer.core.codesets.catalog import KIND_NAMES
from trainer.core.codesets.codes import normalize
from trainer.core.codesets.icd10pcs_axes import axis_names
from trainer.core.codesets.index_terms import SOURCE_LABEL, TABLE_EDITION
from trainer.core.codesets.pcs_catalog import PCS_SHAPE

from ..core.claims import CODE_KINDS, MAX_CODE_LENGTH, is_code_kind
from ..domain import domain

bp = Blueprint("lookup", __name__, url_prefix="/lookup")


def _dos_arg() -> date | None:
    raw = request.args.get("dos", "")
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    query = request.args.get("q", "")[:100]
    kind = request.args.get("kind", "")
    kind = kind if is_code_kind(kind) else ""
    catalog = domain().catalog
    dos = _dos_arg()
    hits = (
        catalog.search(query, kind if is_code_kind(kind) else None, dos, 30)
        if query.strip()
        else []
    )
    status = 200 if len(request.args.get("q", "")) <= 100 else 400
    return render_template(
        "lookup/index.html",
        query=query,
        kind=kind,
        dos=dos.isoformat() if dos else "",
        dos_min=f"{catalog.icd_years[0] - 1}-10-01",
        dos_max=f"{catalog.icd_years[-1]}-09-30",
        hits=hits,
        kinds=CODE_KINDS,
        kind_names=KIND_NAMES,
        table_editions=sorted(
            (SOURCE_LABEL[source], edition) for source, edition in TABLE_EDITION.items()
        ),
        latest_year=catalog.icd_years[-1],
    ), status


@bp.get("/pcs")
@login_required
def pcs_builder() -> ResponseReturnValue:
    """Build an ICD-10-PCS code axis by axis: each step offers only the characters some valid
    code continues with, named from the codes themselves (see ``codesets.pcs_catalog``)."""
    raw = request.args.get("prefix", "")
    prefix = "".join(raw.split()).upper()
    pcs = domain().catalog.pcs
    if len(prefix) > 7 or (prefix and not PCS_SHAPE.match(prefix)):
        abort(400, description="A PCS prefix is up to 7 letters and digits (no I or O).")
    dos = _dos_arg()
    steps = pcs.axis_values(prefix) if prefix else ()
    options = pcs.options(prefix, dos)
    if prefix and not options and len(prefix) < 7:
        abort(404, description=f"No ICD-10-PCS code starts with {prefix}.")
    names = axis_names(prefix or "0")
    return render_template(
        "lookup/pcs_builder.html",
        prefix=prefix,
        steps=steps,
        options=options,
        axis=names[len(prefix)] if len(prefix) < 7 else "",
        root=pcs.root_operation(prefix) if len(prefix) >= 3 else None,
        complete=pcs.check(prefix, dos) if len(prefix) == 7 and dos else None,
        title=pcs.title(prefix) if len(prefix) == 7 else "",
        dos=dos.isoformat() if dos else "",
    )


@bp.get("/<kind>/<code>")
@login_required
def detail(kind: str, code: str) -> ResponseReturnValue:
    if not is_code_kind(kind) or len(code) > MAX_CODE_LENGTH:
        abort(404)
    found = domain().catalog.detail(normalize(code, kind), kind)
    if found is None:
        abort(404, description=f"{code[:16]} is not {KIND_NAMES[kind]} in the loaded years.")
    return render_template("lookup/detail.html", d=found, kind_names=KIND_NAMES)
