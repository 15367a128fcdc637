"""Attributes of the elements of a page, by id (the standard library's parser: no new
dependency for reading a few attributes)."""

from __future__ import annotations

from html.parser import HTMLParser


class _ById(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.found[values["id"]] = {"tag": tag, **values}


def attributes_by_id(html: str) -> dict[str, dict[str, str]]:
    parser = _ById()
    parser.feed(html)
    return parser.found
