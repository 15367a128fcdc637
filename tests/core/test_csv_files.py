"""CSV in and out: uploads with any line ending, binary refused, formulas neutralised."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.core.csv_files import (
    FORMULA_PREFIXES,
    CsvFormatError,
    decode_upload,
    read_rows,
    safe_cell,
    write_csv,
)

ROWS = [["name", "email"], ["Ann Lee", "ann@example.org"], ["Bo Ng", "bo@example.org"]]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_rows_read_the_same_with_every_line_ending(newline):
    text = newline.join(",".join(row) for row in ROWS) + newline
    assert read_rows(text) == ROWS


def test_a_quoted_field_may_hold_a_line_break():
    assert read_rows('name,note\r"Ann","two\rlines"\r')[1] == ["Ann", "two\nlines"]


def test_binary_and_non_utf8_uploads_are_refused_with_what_to_do():
    with pytest.raises(CsvFormatError, match="CSV UTF-8"):
        decode_upload(bytes(range(256)))
    with pytest.raises(CsvFormatError, match="not UTF-8"):
        decode_upload("name,email\nJosé,j@example.org\n".encode("latin-1"))
    with pytest.raises(CsvFormatError, match="NUL"):
        read_rows("a,b\x00\n")


def test_a_utf8_file_with_a_byte_order_mark_reads_cleanly():
    assert decode_upload("\ufeffname,email\n".encode()) == "name,email\n"


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_formula_cells_get_a_leading_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [-3.5, 7, 0.95, "-3.5", "0.9500", "-12", "Ann Lee", ""])
def test_numbers_and_plain_text_are_written_as_they_are(value):
    assert safe_cell(value) == value


def test_none_is_an_empty_cell_and_the_header_is_neutralised_too():
    out = write_csv(["=cmd"], [[None, "=1"]])
    assert list(csv.reader(io.StringIO(out))) == [["'=cmd"], ["", "'=1"]]


@given(st.lists(st.lists(st.text(max_size=12) | st.integers() | st.floats(allow_nan=False))))
def test_no_written_text_cell_starts_a_formula(rows):
    width = max((len(r) for r in rows), default=0)
    out = write_csv([f"c{i}" for i in range(width)], rows)
    for row in csv.reader(io.StringIO(out)):
        for cell in row:
            if cell.startswith(FORMULA_PREFIXES):
                float(cell)  # only a plain number may start with '-' (or '+' never)
