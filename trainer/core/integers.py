"""Whole numbers typed or sent by users: the one parser every form, query, JSON field and URL uses.

Python's own checks are too generous for input: ``int()`` accepts any Unicode decimal digit
(``int("٣") == 3``, fullwidth ``"１２"``), ``str.isdigit()`` accepts superscripts that ``int()``
then rejects (``"²"``), and an unbounded ``int`` overflows SQLite and PostgreSQL columns. Here
only the ASCII digits 0-9 count, every field names its own range, and a failure is an
``IntegerInputError`` that names the field, so each caller answers with a 4xx, never a 500.
"""

from __future__ import annotations

import re
from typing import Any

INT64_MAX = 2**63 - 1  # the largest whole number SQLite INTEGER and PostgreSQL BIGINT hold
# Ids are INTEGER columns: 64-bit on SQLite but 32-bit on PostgreSQL, where a larger id in a
# query is an 'integer out of range' error (a 500), so ids stop at the smaller of the two.
MAX_ID = 2**31 - 1
_ASCII_INT = re.compile(r"-?[0-9]{1,19}", re.ASCII)


class IntegerInputError(ValueError):
    """A value that is not a whole number in its field's range; the message says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _range_text(low: int, high: int) -> str:
    return f"a whole number from {low} to {high} (digits 0-9)"


def parse_int(raw: Any, field: str, low: int, high: int) -> int:
    """Read ``raw`` (text from a form, query or URL; or a JSON number) as an int in [low, high].

    Text may carry surrounding ASCII spaces (a pasted value) but nothing else: no sign unless
    ``low`` is negative, no Unicode digits, no more than 19 digits. A JSON float that is whole
    (``3.0``) is accepted as a number; ``true``/``false`` are not numbers.
    """
    value: int
    if isinstance(raw, bool):
        raise IntegerInputError(field, _range_text(low, high))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str):
        text = raw.strip(" \t")
        if not _ASCII_INT.fullmatch(text) or (text.startswith("-") and low >= 0):
            raise IntegerInputError(field, _range_text(low, high))
        value = int(text)
    else:
        raise IntegerInputError(field, _range_text(low, high))
    if not low <= value <= high:
        raise IntegerInputError(field, _range_text(low, high))
    return value


def parse_optional_int(raw: Any, field: str, low: int, high: int) -> int | None:
    """As ``parse_int``, but an absent or blank value is ``None`` (an optional field)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return parse_int(raw, field, low, high)


def parse_id(raw: Any, field: str = "id") -> int:
    """A database id: 1 to ``MAX_ID``, so it can never overflow a query on either database."""
    return parse_int(raw, field, 1, MAX_ID)


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty run of 0-9 only (``str.isdigit`` also says yes to ``"²"``)."""
    return bool(text) and text.isascii() and text.isdigit()
