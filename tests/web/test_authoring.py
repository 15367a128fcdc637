"""Supervisors write templates in the browser; the validator gates what can be assigned."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, cohort_of
from tests.web.entry_forms import form_for
from trainer.core.content.generation import Variant
from trainer.extensions import db
from trainer.models import Assignment, Attempt, AuthoredTemplate
from trainer.services.accounts import create_user
from trainer.services.library import STARTER_BODY, starter_toml

# The starter's two visit levels, as starter_toml() writes them.
LOW = 'values = { em = "99213", plan = "Stable at goal: same prescription." }'
MODERATE = 'values = { em = "99214", plan = "Worse: prescription dose raised." }'


def _post(client, toml_text: str, body: str = STARTER_BODY, row_id: int | None = None):  # type: ignore[no-untyped-def]
    url = f"/supervise/templates/{row_id}" if row_id else "/supervise/templates/new"
    return client.post(url, data={"toml_text": toml_text, "body": body})


def _row(app) -> AuthoredTemplate:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(AuthoredTemplate))


def test_a_valid_template_is_checked_previewed_and_assignable(app, client, auth, users):
    auth.login("supervisor")
    assert "New template" in client.get("/supervise/templates/").get_data(as_text=True)
    response = _post(client, starter_toml())
    assert response.status_code == 303
    row = _row(app)
    assert row.status == "checked" and row.problems == []
    preview = client.get(f"/supervise/templates/{row.id}/preview").get_data(as_text=True)
    assert "I10" in preview and "E11.9" in preview and "99214" in preview
    assignments = client.get("/supervise/assignments").get_data(as_text=True)
    assert row.template_id in assignments
    cohort_id = cohort_of(app, users["supervisor"], users["trainee"], name="C", join_code="AUTH01")
    created = client.post(
        "/supervise/assignments",
        data={
            "cohort": cohort_id,
            "title": "Mine",
            "chart_count": 2,
            "mode": "practice",
            "policy": "strict",
            "target": 95,
            "templates": [row.template_id],
        },
    )
    assert created.status_code == 303
    auth.logout()
    auth.login()
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    started = client.post(f"/assignments/{assignment_id}/start")
    assert started.status_code == 303
    run = client.get(started.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        drawn = db.session.scalars(select(Attempt).where(Attempt.run_id.is_not(None))).all()
        assert drawn and {a.template_id for a in drawn} == {row.template_id}
        first = drawn[0].id
        key = Variant.from_dict(drawn[0].variant).key
    # Its title is shown once the chart is graded: before, it could hint at the codes.
    assert "My template" not in run and "Chart 1 (" in run
    submitted = client.post(f"/practice/attempt/{first}/submit", data=form_for(key))
    assert submitted.status_code == 303
    assert "My template" in client.get(started.headers["Location"]).get_data(as_text=True)


def test_problems_are_listed_and_block_assignment(app, client, auth, users):
    auth.login("supervisor")
    # Two variants only, and the chart prints a code: both are problems; the text is kept.
    toml_text = starter_toml().replace(
        '[[variables]]\nname = "level"', '[[variables]]\nname = "level_unused"'
    )
    toml_text = toml_text.split('[[variables]]\nname = "level_unused"')[0] + toml_text.split(
        MODERATE + "\n"
    )[1].replace("{{ em }}", "99213")
    body = (
        STARTER_BODY.replace("{{ plan }}", "Stable.")
        + "\nAssessment: essential hypertension (I10).\n"
    )
    response = _post(client, toml_text, body)
    assert response.status_code == 303
    row = _row(app)
    assert row.status == "draft"
    problems = " ".join(row.problems)
    assert "at least 4" in problems
    assert "the chart prints I10" in problems
    page = client.get(f"/supervise/templates/{row.id}").get_data(as_text=True)
    assert "Problems to fix" in page and "(I10)" in page  # nothing typed was lost
    assert row.template_id not in client.get("/supervise/assignments").get_data(as_text=True)
    assert client.get(f"/supervise/templates/{row.id}/preview").status_code == 303


def test_invalid_toml_gets_a_line_number_and_a_bad_code_is_caught(app, client, auth, users):
    auth.login("supervisor")
    _post(client, 'id = "x\ntitle = 3')
    row = _row(app)
    assert row.status == "draft" and "line" in row.problems[0]
    fixed = starter_toml().replace('dx = "E11.9"', 'dx = "E11"')  # a header, not billable
    _post(client, fixed, row_id=row.id)
    row = _row(app)
    assert any("E11" in p and "header" in p for p in row.problems)


def test_templates_cannot_reach_python_internals(app, client, auth, users):
    auth.login("supervisor")
    body = STARTER_BODY + "\n{{ complaint.__class__.__mro__[1].__subclasses__() }}\n"
    _post(client, starter_toml(), body)
    row = _row(app)
    assert row.status == "draft"
    assert any("unsafe" in p.lower() or "cannot render" in p for p in row.problems)


def test_empty_or_huge_text_is_a_400_and_others_cannot_edit(app, client, auth, users):
    auth.login("supervisor")
    assert _post(client, "", "").status_code == 400
    assert _post(client, "x" * 70_000).status_code == 400
    _post(client, starter_toml())
    row = _row(app)
    auth.logout()
    with app.app_context():
        create_user("stranger", PASSWORD, "supervisor")
    auth.login("stranger")
    assert client.get(f"/supervise/templates/{row.id}").status_code == 404
    assert _post(client, starter_toml(), row_id=row.id).status_code == 404


def test_place_of_service_can_follow_a_variable():
    from pathlib import Path

    from trainer.core.content.generation import generate
    from trainer.core.content.templates import parse_template

    text = starter_toml().replace('place_of_service = "11"', 'place_of_service = "{{ pos }}"')
    text = text.replace(LOW, LOW[:-2] + ', pos = "11" }')
    text = text.replace(MODERATE, MODERATE[:-2] + ', pos = "22" }')
    template = parse_template(text, STARTER_BODY, Path("x/primary_care/t"))
    for level, pos, where in (("low", "11", "Office"), ("moderate", "22", "Hospital outpatient")):
        variant = generate(template, 3, choices={"condition": "type 2 diabetes", "level": level})
        assert variant.place_of_service == pos
        # The header says where in words; the code is box 24B's answer.
        assert f"| **Location** | {where}" in variant.chart_markdown
        assert "Place of service" not in variant.chart_markdown


@pytest.mark.parametrize(
    ("extra_body", "message"),
    [
        (
            "{% for a in range(10000) %}{% for b in range(10000) %}.{% endfor %}{% endfor %}",
            "cannot render: the template needs more than 10,000 loop steps or calls",
        ),
        (
            "{% for i in range(5000) %}{{ 'abcdefghij' * 100 }}{% endfor %}",
            "cannot render: the chart would be longer than 200,000 characters",
        ),
    ],
    ids=["nested-loop", "five-megabytes"],
)
def test_a_runaway_loop_or_a_five_megabyte_chart_is_refused_with_a_message(
    app, client, auth, users, extra_body, message
):
    auth.login("supervisor")
    response = _post(client, starter_toml(), STARTER_BODY + extra_body)
    assert response.status_code == 303
    row = _row(app)
    assert row.status == "draft"
    assert any(message in p for p in row.problems), row.problems
    page = client.get(f"/supervise/templates/{row.id}").get_data(as_text=True)
    assert message in page and extra_body.split("%}")[0] in page  # the text typed is kept


def test_variant_counts_are_capped_before_anything_is_rendered(app, client, auth, users):
    auth.login("supervisor")
    extra = "".join(
        f'\n[[variables]]\nname = "extra{n}"\n'
        + "".join(
            f'[[variables.alternatives]]\nlabel = "option {k}"\nvalues = {{ note{n} = "{k}" }}\n'
            for k in range(4)
        )
        for n in range(2)
    )
    toml_text = starter_toml().replace("[[key.diagnoses]]", extra + "\n[[key.diagnoses]]")
    assert _post(client, toml_text).status_code == 303
    row = _row(app)
    assert row.status == "draft"
    assert row.problems == [
        "64 variants (the variables' alternatives multiply): a template may have at most 48; "
        "split it into several templates"
    ]
