"""The render budget: a chart template cannot loop, print or allocate without bound."""

from __future__ import annotations

import pytest
from jinja2 import TemplateError

from trainer.core.content.generation import _compiled
from trainer.core.content.sandbox import (
    MAX_OUTPUT_CHARS,
    MAX_STEPS,
    RenderLimitError,
    render_bounded,
    render_budget,
)


def _render(source: str, **context: object) -> str:
    with render_budget():
        return render_bounded(_compiled(source), context)


def test_a_nested_loop_of_ten_thousand_squared_is_refused_by_its_step_budget():
    source = "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}"
    with pytest.raises(RenderLimitError, match=f"more than {MAX_STEPS:,} loop steps"):
        _render(source)


def test_a_five_megabyte_chart_is_refused_while_it_streams():
    source = "{% for i in range(5000) %}{{ 'abcdefghij' * 100 }}{% endfor %}"
    with pytest.raises(RenderLimitError, match=f"longer than {MAX_OUTPUT_CHARS:,} characters"):
        _render(source)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'x' * 5000000 }}", r"repeated text or list \(\*\) would be longer"),
        ("{{ (range(5000)|list) * 100 }}", r"repeated text or list"),
        ("{% set a = 'x' * 150000 %}{{ a ~ a }}", r"joined text \(~\)"),
        ("{% set a = 'x' * 150000 %}{{ a + a }}", r"joined text or list \(\+\)"),
        ("{{ range(1000)|join('x' * 1000) }}", r"joined text \(\|join\)"),
        ("{{ ('x' * 1000).replace('', 'y' * 1000) }}", "replaced text"),
        ("{{ '{:>100000000}'.format(1) }}", "format widths over 999"),
        ("{{ '%0999999999d' % 1 }}", "format widths over 999"),
        ("{{ 2 ** 100000000 }}", "numbers that large"),
        ("{{ range(50000)|length }}", "range.. of more than"),
        (
            # Captured text never reaches the output stream, so it is charged as it is made.
            "{% set x %}{% for i in range(9000) %}" + "y" * 200 + "{% endfor %}{% endset %}",
            "produces more than 1,000,000 characters",
        ),
        (
            "{% macro d(n) %}{% if n %}{{ d(n-1) }}{{ d(n-1) }}{% endif %}{% endmacro %}"
            "{{ d(30) }}",
            "loop steps or calls",
        ),
    ],
)
def test_size_and_work_amplifiers_are_refused_before_they_allocate(source, message):
    with pytest.raises(RenderLimitError, match=message):
        _render(source)


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'x'.center(100000000) }}",
        "{{ 'x'.zfill(100000000) }}",
        "{{ lipsum(100000) }}",
        "{% set ns = namespace(s='x') %}{{ ns.s }}",
        "{{ [1]|batch(100000000, 'x')|list }}",
        "{{ 'x'|indent(100000000) }}",
        "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
    ],
)
def test_padding_methods_and_unlisted_filters_globals_and_recursion_are_not_offered(source):
    with pytest.raises(TemplateError):
        _render(source)


def test_ordinary_chart_text_still_renders():
    source = (
        "{% for m in meds %}- {{ m|capitalize }}\n{% endfor %}"
        "{{ words.split(',')[0] }}; LDL {{ (ldl|int) + 75 }}; {{ 'Hi {p}'.format(p='she') }}"
    )
    out = _render(source, meds=["aspirin", "lisinopril"], words="stable,on therapy", ldl="120")
    assert out == "- Aspirin\n- Lisinopril\nstable; LDL 195; Hi she"


def test_an_enclosing_budget_bounds_the_variants_inside_it():
    with render_budget(0.0, "checking every variant"):
        with pytest.raises(RenderLimitError, match="checking every variant took more than 0 s"):
            _render("{% for i in range(50) %}{{ i }}{% endfor %}")


def test_each_render_budget_starts_afresh():
    source = "{% for i in range(6000) %}{% endfor %}"
    _render(source)
    _render(source)  # the second variant is not charged with the first one's steps
