"""Reading one JSON field of a claim or key, and the error that names the field.

The claim reader (``parsing``) and the key reader (``key_parsing``) take the same fields
(codes, lists of codes, units, POA indicators, dates, FL 4, box 24B), so each field's reader
is written once, here, and every refusal is a ``ClaimFormatError`` naming the field
(``lines[2].units``) that the form and the API show next to it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from ..integers import IntegerInputError, parse_int
from .limits import MAX_CODE_LENGTH, PLACE_OF_SERVICE_SHAPE, POA_INDICATORS, TYPE_OF_BILL_SHAPE

T = TypeVar("T")


class ClaimFormatError(ValueError):
    """Raised when a dict cannot be read as a claim; the message names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def as_list(value: Any, field_name: str, limit: int) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ClaimFormatError(field_name, "must be a list")
    if len(value) > limit:
        raise ClaimFormatError(field_name, f"at most {limit} entries")
    return list(value)


def as_code(value: Any, field_name: str) -> str:
    if not isinstance(value, str):
        raise ClaimFormatError(field_name, "must be a string code")
    text = value.strip()
    if len(text) > MAX_CODE_LENGTH:
        raise ClaimFormatError(field_name, f"a code is at most {MAX_CODE_LENGTH} characters")
    return text


def as_int(value: Any, field_name: str, low: int, high: int) -> int:
    try:
        return parse_int(value, field_name, low, high)
    except IntegerInputError as exc:
        raise ClaimFormatError(field_name, f"must be {exc.message}") from exc


def each(value: Any, field_name: str, limit: int, read: Callable[[Any, str], T]) -> tuple[T, ...]:
    """Every entry of a list field read with ``read``, a wrong one named by its place
    (``diagnoses[2]``)."""
    return tuple(
        read(item, f"{field_name}[{i}]") for i, item in enumerate(as_list(value, field_name, limit))
    )


def place_of_service(value: Any, where: str) -> str:
    """Box 24B as the two-digit CMS code; empty when not given. Whether the code exists is
    the code set's question (``Catalog.validate(code, "pos", dos)``), not the shape's."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not PLACE_OF_SERVICE_SHAPE.match(value.strip()):
        raise ClaimFormatError(
            f"{where}.place_of_service",
            "must be a two-digit CMS place-of-service code (e.g. 11 office, 22 hospital "
            "outpatient)",
        )
    return value.strip()


def type_of_bill(value: Any, where: str) -> str:
    """FL 4 as four digits with the leading zero; empty when not given."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not TYPE_OF_BILL_SHAPE.match(value.strip()):
        raise ClaimFormatError(
            f"{where}.type_of_bill", "must be four digits with a leading zero (e.g. 0131)"
        )
    return value.strip()


def as_poa(value: Any, field_name: str) -> str:
    """A POA indicator as typed ("y" -> "Y"); blank stays blank (graded as missing)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ClaimFormatError(field_name, "must be one of Y, N, U, W, 1 or blank")
    text = value.strip().upper()
    if text and text not in POA_INDICATORS:
        raise ClaimFormatError(field_name, "must be one of Y, N, U, W, 1 or blank")
    return text


def as_date_text(value: Any, field_name: str) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > 10:
        raise ClaimFormatError(field_name, "must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise ClaimFormatError(field_name, "must be a date YYYY-MM-DD") from exc


def as_flag(value: Any, field_name: str) -> bool:
    text = str(value).strip().lower() if isinstance(value, str) else value
    if text in (None, "", False, "false"):
        return False
    if text in (True, "true"):
        return True
    raise ClaimFormatError(field_name, "must be true or false")
