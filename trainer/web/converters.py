"""URL converters: ids in paths are ASCII digits within the 64-bit signed range.

Werkzeug's own ``int`` converter matches ``\\d+``, which takes any Unicode decimal digit, and it
hands a 30-digit id to the database, which overflows SQLite and PostgreSQL (a 500). This one
replaces ``int`` for every route, so a route added later is covered without thinking about it.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter, ValidationError

from ..core.integers import IntegerInputError, parse_id


class IdConverter(BaseConverter):
    """``<int:attempt_id>``: 1 to 2**31-1 (``MAX_ID``), digits 0-9 only; anything else is a 404."""

    regex = r"[0-9]+"
    weight = 50
    part_isolating = True

    def to_python(self, value: str) -> int:
        try:
            return parse_id(value)
        except IntegerInputError as exc:
            raise ValidationError() from exc

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


def init_app(app: Flask) -> None:
    """Register before any blueprint: rules look their converter up when they are added."""
    app.url_map.converters["int"] = IdConverter
