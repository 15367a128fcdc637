"""File downloads: a CSV response whose file name survives any cohort name.

HTTP headers are Latin-1, so a cohort called "Кардиология" or "心脏科" in a plain
``filename="..."`` breaks the response on a real server. RFC 6266 / RFC 5987: send an ASCII
``filename=`` for old clients and the exact UTF-8 name in ``filename*=UTF-8''...``.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response


def _stem(text: str, keep_unicode: bool) -> str:
    """Letters and digits of ``text``, other runs of characters turned into single hyphens."""
    if not keep_unicode:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    chars = [ch if ch.isalnum() else "-" for ch in text]
    return "-".join(part for part in "".join(chars).split("-") if part)


def content_disposition(name: str, suffix: str, fallback: str = "cohort") -> str:
    """``attachment; filename="<ascii>"; filename*=UTF-8''<utf-8>`` for ``name`` + ``suffix``."""
    ascii_name = f"{_stem(name, keep_unicode=False) or fallback}{suffix}"
    full_name = f"{_stem(name, keep_unicode=True) or fallback}{suffix}"
    header = f'attachment; filename="{ascii_name}"'
    if full_name != ascii_name:
        header += f"; filename*=UTF-8''{quote(full_name, safe='')}"
    return header


def csv_download(body: str, name: str, suffix: str) -> Response:
    """A CSV attachment named after ``name`` (a cohort's name, say), never cached."""
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = content_disposition(name, suffix)
    response.headers["Cache-Control"] = "no-store"
    return response
