"""CSV in and out: uploads read whatever line endings a spreadsheet wrote, exports are inert.

Reading: a supervisor's file may come from old Mac Excel (CR-only lines), Windows (CRLF, a
UTF-8 byte-order mark) or be the wrong file altogether (a PDF, an image). Each case is either
read or refused with a ``CsvFormatError`` that says what to do; none reaches the user as a 500.

Writing: every export goes through ``write_csv``, which neutralises spreadsheet formulas
(OWASP "CSV injection"): a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return gets a leading single quote, so ``=HYPERLINK(...)`` typed as a trainee's name shows as
text instead of running. Numbers stay numbers: an ``int``/``float`` cell, or text that is
exactly a plain decimal (``-3.5``, ``0.9500``), is written as it is, so a supervisor can still
sort and sum the columns. A plain decimal cannot hold a formula, so nothing is lost by that.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)


class CsvFormatError(ValueError):
    """An upload that is not CSV text this product can read; the message says what to fix."""


def decode_upload(data: bytes) -> str:
    """The text of an uploaded CSV file: UTF-8 (with or without a byte-order mark) only."""
    if b"\x00" in data:
        raise CsvFormatError(
            "That file is not a CSV text file (it contains binary data). "
            "Save the sheet as 'CSV UTF-8' and upload that file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFormatError(
            f"That file is not UTF-8 text (byte {exc.start + 1} cannot be read). "
            "Save the sheet as 'CSV UTF-8' and upload that file."
        ) from exc


def read_rows(text: str) -> list[list[str]]:
    """The non-blank rows of CSV text, whichever of LF, CRLF or CR ends its lines."""
    if "\x00" in text:
        raise CsvFormatError("The rows contain a NUL character: paste plain CSV text.")
    # newline=None reads CR and CRLF as LF, as csv expects (a CR-only file is one long line
    # otherwise, and csv raises "new-line character seen in unquoted field").
    reader = csv.reader(io.StringIO(text, newline=None))
    try:
        return [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise CsvFormatError(f"Line {reader.line_num} is not valid CSV: {exc}.") from exc


def safe_cell(value: Any) -> Any:
    """One cell, made inert for a spreadsheet (see the module docstring for the rule)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """The whole CSV document, every cell (header included) passed through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
