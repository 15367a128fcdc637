"""Templates supervisors write in the browser, checked by the same validator as the files.

They live in the database (several stateless app servers must see the same ones). A template
is assignable only while its last check found no problem, and only where its owner has
authority (``may_draw``): a supervisor's template in that supervisor's own cohorts, unless an
administrator published it to everyone. The parsed form is cached per process by
(id, updated_at), so an edit on one server is picked up by every other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from trainer.core.content.templates import Template, TemplateError, TemplateLibrary, parse_template

from ..core.content.sandbox import RenderLimitError, render_budget
from ..database import write_transaction
from ..domain import domain
from ..extensions import db
from ..models import Assignment, AuthoredTemplate, Cohort, User, utcnow
from .cohorts import can_manage

MAX_TEXT = 60_000
CHECK_SEEDS = 2
# The variables' alternatives multiply: 5 variables of 6 alternatives are 7,776 variants, each
# rendered and graded by the check. The built-in templates have at most 12.
MAX_VARIANTS = 48
# Processor seconds for one whole check (every variant, every seed), on top of each variant's
# own budget (core.sandbox): a save holds one worker for at most this long.
CHECK_SECONDS = 5.0
_parsed: dict[tuple[int, str], Template] = {}


class AuthoringError(ValueError):
    """A user-facing reason a template cannot be saved."""


@dataclass(frozen=True)
class CheckOutcome:
    template: Template | None
    problems: list[str]


def virtual_folder(specialty: str, row_id: int | str) -> Path:
    return Path("authored") / (specialty or "unknown") / f"template-{row_id}"


def check_source(toml_text: str, body: str, catalog: Any) -> CheckOutcome:
    """Parse and validate like `trainer exercises check`: every variant, several seeds.

    Bounded, so a save never stalls the app: a template with more than ``MAX_VARIANTS``
    variants is refused before any is rendered, each variant renders within its own budget,
    and the whole check within ``CHECK_SECONDS`` of processor time (``core.sandbox``).
    """
    try:
        template = parse_template(toml_text, body, Path("authored/new"), check_folder=False)
    except TemplateError as exc:
        where = f"{exc.file.name} line {exc.line}: " if exc.line else f"{exc.file.name}: "
        return CheckOutcome(None, [where + exc.message])
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return CheckOutcome(None, [f"template.toml: a field has the wrong type ({exc})"])
    count = template.variant_count()
    if count > MAX_VARIANTS:
        return CheckOutcome(
            template,
            [
                f"{count:,} variants (the variables' alternatives multiply): a template may "
                f"have at most {MAX_VARIANTS}; split it into several templates"
            ],
        )
    # The checker (realism, record sections, key rules) is imported when a supervisor checks a
    # template, not when a worker starts: it was a twentieth of the cold start.
    from trainer.core.content.validation import CheckReport, check_template

    report = CheckReport()
    try:
        with render_budget(CHECK_SECONDS, "checking every variant"):
            check_template(template, catalog, report, CHECK_SEEDS)
    except RenderLimitError as exc:
        report.add("template", f"cannot render: {exc}")
    except Exception as exc:  # any failure of an author's template is a problem
        report.add("template", f"cannot render: {type(exc).__name__}: {exc}")
    problems = [f"{m}" if not ln else f"line {ln}: {m}" for _, ln, m in report.problems]
    if template.variant_count() < 4:
        problems.append(
            f"{template.variant_count()} variant(s): a template needs at least 4 whose keys differ"
        )
    return CheckOutcome(template, problems)


def save_template(
    owner: User, toml_text: str, body: str, row: AuthoredTemplate | None = None
) -> AuthoredTemplate:
    """Save the author's text whatever its state (nothing typed is lost), with its check."""
    if not toml_text.strip() or not body.strip():
        raise AuthoringError("Both the template.toml and the chart text are required.")
    if len(toml_text) > MAX_TEXT or len(body) > MAX_TEXT:
        raise AuthoringError(f"Each text is at most {MAX_TEXT:,} characters.")
    if row is not None and row.owner_id != owner.id and not owner.is_admin:
        raise AuthoringError("You can edit only your own templates.")
    outcome = check_source(toml_text, body, domain().catalog)
    template_id = outcome.template.id if outcome.template else ""
    problems = list(outcome.problems)
    if template_id and template_id in domain().library.templates:
        problems.append(f"id {template_id} is already used by a built-in template: use a new uuid")
    clash = (
        db.session.scalar(
            select(AuthoredTemplate.id).where(
                AuthoredTemplate.template_id == template_id,
                AuthoredTemplate.id != (row.id if row else -1),
            )
        )
        if template_id
        else None
    )
    if clash:
        problems.append(f"id {template_id} is already used by another authored template")
    with write_transaction(db.session) as session:
        if row is None:
            row = AuthoredTemplate(owner_id=owner.id)
            session.add(row)
        changed = (row.toml_text, row.body_text) != (toml_text, body)
        if row.published_at is not None and changed and not owner.is_admin:
            # What an administrator published is what every cohort gets: a changed text goes
            # back to the owner's own cohorts until it is published again.
            row.published_at, row.published_by = None, None
        row.toml_text = toml_text
        row.body_text = body
        row.template_id = (
            template_id if template_id and not clash else f"draft-{uuid.uuid4().hex[:30]}"
        )
        row.title = outcome.template.title[:200] if outcome.template else "(does not load)"
        row.specialty = outcome.template.specialty if outcome.template else ""
        row.problems = problems[:200]
        row.status = "checked" if not problems else "draft"
        row.updated_at = utcnow()
    return row


def _template_of(row: AuthoredTemplate) -> Template | None:
    stamp = (row.id, str(row.updated_at))
    cached = _parsed.get(stamp)
    if cached is None:
        try:
            cached = parse_template(
                row.toml_text,
                row.body_text,
                virtual_folder(row.specialty, row.id),
                check_folder=False,
            )
        except (TemplateError, ValueError, TypeError, KeyError, AttributeError):
            return None
        _parsed[stamp] = cached
    return cached


def authored_rows(viewer: User) -> list[AuthoredTemplate]:
    query = select(AuthoredTemplate).order_by(AuthoredTemplate.updated_at.desc())
    if not viewer.is_admin:
        query = query.where(AuthoredTemplate.owner_id == viewer.id)
    return list(db.session.scalars(query))


def may_draw(row: AuthoredTemplate, cohort: Cohort, by: User | None) -> bool:
    """Whether an authored template may be drawn into an assignment of this cohort.

    Checked templates only. A published one (an administrator's decision) goes everywhere; a
    private one only where its owner has authority (``can_manage``) and it is the owner's doing:
    in the owner's own cohorts, or assigned by the owner (an administrator's own private
    template, in the cohort that administrator assigns it to). So a filter never pulls one
    supervisor's private template into another supervisor's cohort.
    """
    if row.status != "checked":
        return False
    if row.published_at is not None:
        return True
    if not can_manage(row.owner, cohort):
        return False
    return row.owner_id == cohort.supervisor_id or (by is not None and by.id == row.owner_id)


def _merged(rows: list[AuthoredTemplate]) -> TemplateLibrary:
    base = domain().library
    if not rows:
        return base
    merged = TemplateLibrary(dict(base.templates), list(base.errors))
    for row in rows:
        template = _template_of(row)
        if template is not None and template.id not in merged.templates:
            merged.templates[template.id] = template
    return merged


def assignable_library(viewer: User) -> TemplateLibrary:
    """What the viewer may choose from: the built-in templates, the published ones and the
    viewer's own (every checked one for an admin, who may assign any supervisor's template to
    that supervisor's cohorts). Creating the assignment then checks the cohort with
    ``cohort_library``."""
    query = select(AuthoredTemplate).where(AuthoredTemplate.status == "checked")
    if not viewer.is_admin:
        query = query.where(
            or_(
                AuthoredTemplate.owner_id == viewer.id,
                AuthoredTemplate.published_at.is_not(None),
            )
        )
    return _merged(list(db.session.scalars(query)))


def cohort_library(cohort: Cohort, by: User | None) -> TemplateLibrary:
    """The templates an assignment of this cohort, made by ``by``, may draw (``may_draw``)."""
    owners = [cohort.supervisor_id] + ([by.id] if by is not None else [])
    query = select(AuthoredTemplate).where(
        AuthoredTemplate.status == "checked",
        or_(
            AuthoredTemplate.published_at.is_not(None),
            AuthoredTemplate.owner_id.in_(owners),
        ),
    )
    return _merged([r for r in db.session.scalars(query) if may_draw(r, cohort, by)])


def assignment_library(assignment: Assignment) -> TemplateLibrary:
    """The pool a trainee's run draws from: the cohort's library as its creator may use it,
    evaluated now (a template unpublished since is no longer drawn)."""
    creator = db.session.get(User, assignment.created_by)
    return cohort_library(assignment.cohort, creator)


def publish_template(viewer: User, row: AuthoredTemplate, publish: bool) -> None:
    """An administrator publishes a checked template to every cohort, or takes it back."""
    if not viewer.is_admin:
        raise AuthoringError("Only an administrator can publish a template to every cohort.")
    if publish and row.status != "checked":
        raise AuthoringError("Only a checked template can be published: fix its problems first.")
    with write_transaction(db.session):
        if publish:
            row.published_at, row.published_by = utcnow(), viewer.id
        else:
            row.published_at, row.published_by = None, None


STARTER_BODY = """### Office visit

**Chief complaint:** {{ complaint }}

**HPI:** {{ patient.first_name }} is a {{ patient.age }}-year-old seen for {{ complaint|lower }}.

**Review of systems:** Negative except as in the HPI.

**Past medical history:** Copied-forward history belongs here, as in a real note.

**Family and social history:** Noncontributory; never smoker.

**Medications:** The current list, as reconciled today.

**Allergies:** No known drug allergies.

**Vitals:** BP 128/78, HR 72.

**Exam:** Normal findings and negatives, as documented.

**Results:** None today.

**Assessment and plan:** {{ plan }} Facts that decide the key go here; never print a code.

Electronically signed by {{ provider.name }}, {{ provider.credentials }}, {{ dos }}.
"""


def starter_toml() -> str:
    """A minimal valid skeleton with a fresh uuid, for the new-template form."""
    return f'''id = "{uuid.uuid4()}"
version = 1
title = "My template"
specialty = "primary_care"
setting = "professional"
claim_form = "CMS-1500"
difficulty = 2
skills = ["specificity"]
code_years = [2025, 2026]
place_of_service = "11"
chart_type = "office note"

[patient]
min_age = 30
max_age = 80
sex = "any"
payer = "any"

[[variables]]
name = "condition"
[[variables.alternatives]]
label = "essential hypertension"
values = {{ complaint = "Blood pressure follow-up", dx = "I10" }}
[[variables.alternatives]]
label = "type 2 diabetes"
values = {{ complaint = "Diabetes follow-up", dx = "E11.9" }}

[[variables]]
name = "level"
[[variables.alternatives]]
label = "low"
values = {{ em = "99213", plan = "Stable at goal: same prescription." }}
[[variables.alternatives]]
label = "moderate"
values = {{ em = "99214", plan = "Worse: prescription dose raised." }}

[[key.diagnoses]]
code = "{{{{ dx }}}}"
rationale = "The documented condition (ICD-10-CM I.A)."

[[key.lines]]
code = "{{{{ em }}}}"
units = 1
pointers = [1]
rationale = "Office visit level by medical decision making."
'''
