"""The one integer parser: digits 0-9 only, the field's range, a named error otherwise."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.core.integers import (
    INT64_MAX,
    MAX_ID,
    IntegerInputError,
    is_ascii_digits,
    parse_id,
    parse_int,
    parse_optional_int,
)

# Each of these is accepted by int() or by str.isdigit() (or both), and by neither here.
UNICODE_DIGITS = ["²", "٣", "１２", "۵", "߃", "३", "¹²", "𝟡"]


@pytest.mark.parametrize("raw", UNICODE_DIGITS)
def test_unicode_digits_are_refused_with_the_field_named(raw):
    with pytest.raises(IntegerInputError) as caught:
        parse_int(raw, "units", 0, 99)
    assert caught.value.field == "units"
    assert "0 to 99" in caught.value.message


def test_python_alone_would_have_let_these_through_or_crashed():
    # The reason for the module: what the old checks did with the same text.
    assert int("٣") == 3 and int("１２") == 12
    assert "²".isdigit()
    with pytest.raises(ValueError):
        int("²")


@pytest.mark.parametrize(
    ("raw", "expected"), [("0", 0), ("7", 7), (" 12 ", 12), (12, 12), (3.0, 3), ("007", 7)]
)
def test_plain_numbers_are_read(raw, expected):
    assert parse_int(raw, "n", 0, 99) == expected


@pytest.mark.parametrize(
    "raw", ["", " ", "-1", "+1", "1.5", 1.5, "1e3", "0x10", "1_000", "12a", True, None, [], "1\n"]
)
def test_everything_else_is_refused(raw):
    with pytest.raises(IntegerInputError):
        parse_int(raw, "n", 0, 10_000)


def test_range_edges_are_inclusive():
    assert parse_int("1", "n", 1, 100) == 1
    assert parse_int("100", "n", 1, 100) == 100
    for outside in ("0", "101"):
        with pytest.raises(IntegerInputError):
            parse_int(outside, "n", 1, 100)


def test_a_signed_range_takes_a_minus_sign():
    assert parse_int("-5", "delta", -10, 10) == -5


def test_ids_stop_at_the_largest_postgresql_integer():
    assert parse_id(str(MAX_ID)) == MAX_ID == 2**31 - 1
    for raw in (str(MAX_ID + 1), str(INT64_MAX), "9" * 30, "0", "9" * 5000):
        with pytest.raises(IntegerInputError):
            parse_id(raw)


def test_optional_blank_is_none():
    assert parse_optional_int("  ", "n", 0, 5) is None
    assert parse_optional_int(None, "n", 0, 5) is None
    assert parse_optional_int("4", "n", 0, 5) == 4


def test_is_ascii_digits():
    assert is_ascii_digits("0123")
    assert not is_ascii_digits("")
    assert not is_ascii_digits("²")
    assert not is_ascii_digits("٣")


@given(st.integers(min_value=0, max_value=INT64_MAX))
def test_every_in_range_number_round_trips(n):
    assert parse_int(str(n), "n", 0, INT64_MAX) == n


@given(st.text(max_size=25))
def test_any_text_is_a_number_in_range_or_a_named_error(text):
    try:
        value = parse_int(text, "n", 0, 1000)
    except IntegerInputError as exc:
        assert exc.field == "n"
    else:
        assert 0 <= value <= 1000
        assert text.strip(" \t").isascii() and text.strip(" \t").isdigit()
