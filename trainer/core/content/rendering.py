"""Markdown to HTML, sanitised: supervisors author templates, so their text is never trusted."""

from __future__ import annotations

import threading

import markdown
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}, "abbr": {"title"}}


_local = threading.local()

# Every inline pattern is tried on every text node, which is most of the conversion time. Images
# are stripped by the sanitiser anyway and charts never define reference links, so these patterns
# could only ever produce markup that is thrown away.
_UNUSED_INLINE_PATTERNS = (
    "image_link",
    "image_reference",
    "short_image_ref",
    "reference",
    "short_reference",
)

# The characters without which an inline pattern cannot match (its regular expression needs
# one of them: Python-Markdown 3.x's BACKTICK_RE, ESCAPE_RE, LINK_RE, AUTOLINK_RE, AUTOMAIL_RE,
# HTML_RE, ENTITY_RE, LINE_BREAK_RE). A text node is always a piece of the document (the
# placeholders Markdown puts in hold only letters, digits and ":"), so a pattern whose
# characters are nowhere in the document matches no node: dropping it for that document gives
# the same HTML, without trying it on each of a chart's ~300 text nodes. A tab or a carriage
# return is normalised to spaces and "\n" before the inline pass, so either may become a line
# break. Emphasis (``em_strong``) is in nearly every chart and is always kept.
_TRIGGERS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "link": ("[",),
    "autolink": ("<",),
    "automail": ("<",),
    "html": ("<",),
    "entity": ("&",),
    "linebreak": ("  \n", "\t", "\r"),
}


def _idle_patterns(text: str) -> frozenset[str]:
    """The inline patterns that cannot match anywhere in ``text``."""
    return frozenset(name for name, chars in _TRIGGERS.items() if not any(c in text for c in chars))


def _converter(idle: frozenset[str] = frozenset()) -> markdown.Markdown:
    """One Markdown instance per thread and set of idle patterns, reset between documents:
    building one (extensions registered, patterns compiled) costs more than converting a
    chart. The key is a set of pattern names (at most 2**8 of them; a few in practice)."""
    converters: dict[frozenset[str], markdown.Markdown] | None = getattr(_local, "converters", None)
    if converters is None:
        converters = _local.converters = {}
    converter = converters.get(idle)
    if converter is None:
        converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        for name in (*_UNUSED_INLINE_PATTERNS, *sorted(idle)):
            converter.inlinePatterns.deregister(name)
        converters[idle] = converter
    return converter


def render_markdown(text: str) -> str:
    """Render Markdown (with tables) and strip everything but plain document markup."""
    converter = _converter(_idle_patterns(text))
    try:
        html = converter.convert(text)
    finally:
        converter.reset()
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
