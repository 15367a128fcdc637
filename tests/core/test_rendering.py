"""render_markdown drops the inline patterns a document cannot trigger (a speed-up): the HTML
must be exactly what a converter with every pattern gives, whatever the document holds."""

from __future__ import annotations

import markdown
import nh3
import pytest

from trainer.core.content import rendering


def _full(text: str) -> str:
    """The reference: a fresh converter with every pattern the renderer keeps registered."""
    converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    for name in rendering._UNUSED_INLINE_PATTERNS:
        converter.inlinePatterns.deregister(name)
    return nh3.clean(
        converter.convert(text),
        tags=rendering.ALLOWED_TAGS,
        attributes=rendering.ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


DOCUMENTS = [
    "Plain words only, no markup at all.",
    "**Assessment**: knee pain, *right* side; snake_case_word and __bold__.",
    "Line one  \nline two (two trailing spaces).",
    "Line one\t\nline two (a tab before the newline becomes spaces).",
    "Line one  \r\nline two (Windows line ends).",
    "H&amp;P reviewed; AT&T &copy; &#169; &#xA9;",
    "See [the guideline](https://www.cms.gov/) and <https://www.cdc.gov/nchs/icd/>.",
    "Mail <coder@example.org>; an <b>inline</b> tag; <!-- a comment -->",
    "Code `M17.11` and a literal \\*not emphasis\\* and \\`tick\\`.",
    "| Test | Result |\n|---|---|\n| `Hgb` | 9.8 \\| low |\n| A&amp;O | x3 |\n",
    "- item one\n- item **two**\n\n1. first\n2. second\n",
    "> quoted *text* [link](http://example.com)\n\n    indented code <x> & y\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_pruned_patterns_render_the_same_html(text: str) -> None:
    assert rendering.render_markdown(text) == _full(text)


def test_idle_patterns_follow_the_characters_present() -> None:
    assert rendering._idle_patterns("plain **bold**") == frozenset(rendering._TRIGGERS)
    assert "linebreak" not in rendering._idle_patterns("a\tb")
    assert "entity" not in rendering._idle_patterns("H&P")
    assert {"html", "autolink", "automail"}.isdisjoint(rendering._idle_patterns("a < b"))
