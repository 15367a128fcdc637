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


def _converter() -> markdown.Markdown:
    """One Markdown instance per thread, reset between documents: building one (extensions
    registered, patterns compiled) costs more than converting a chart."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        for name in _UNUSED_INLINE_PATTERNS:
            converter.inlinePatterns.deregister(name)
        _local.converter = converter
    return converter


def render_markdown(text: str) -> str:
    """Render Markdown (with tables) and strip everything but plain document markup."""
    converter = _converter()
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
