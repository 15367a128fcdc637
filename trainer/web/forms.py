"""Forms shared by several blueprints."""

from __future__ import annotations

from typing import Any

from wtforms import IntegerField

from ..core.integers import INT64_MAX, IntegerInputError, parse_id, parse_int


class WholeNumberField(IntegerField):
    """An integer form field read by the one integer parser: digits 0-9 only.

    WTForms' IntegerField calls ``int()``, which accepts Arabic-Indic or fullwidth digits; the
    field's range stays with its ``NumberRange`` validator, this only bounds it to 64 bits.
    """

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            self.data = parse_int(valuelist[0], self.name, -INT64_MAX, INT64_MAX)
        except IntegerInputError as exc:
            self.data = None  # type: ignore[assignment]  # WTForms' own 'no value'
            raise ValueError("Enter a whole number using the digits 0-9.") from exc


def coerce_id(value: Any) -> int:
    """``SelectField(coerce=...)`` for ids: the one parser; a bad value is 'not a valid choice'."""
    return parse_id(value)
