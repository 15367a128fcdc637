"""The layout of the CMS tables in the code-set index: the SQL schema, and the compact encodings
the PTP table uses (claim type as a small integer, a pair as one integer key, deletion dates
as days since ``EPOCH``).

Shared by the writer (``cms_tables``, at ``trainer init-db``) and the reader
(``ncci_tables``), so the reader does not import the build code.
"""

from __future__ import annotations

from datetime import date

EPOCH = date(1990, 1, 1)  # PTP deletion dates are stored as days since this date (2 bytes)
# Claim types of the NCCI tables, stored as small integers to keep the PTP table compact.
CLAIM_TYPES: dict[str, int] = {"practitioner": 1, "outpatient_hospital": 2, "dme": 3}

SCHEMA = """
CREATE TABLE ptp (
    id INTEGER PRIMARY KEY, indicator INTEGER NOT NULL, rationale INTEGER NOT NULL,
    deleted INTEGER
);
CREATE TABLE ptp_rationale (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE mue (
    claim INTEGER NOT NULL, code TEXT NOT NULL, value INTEGER NOT NULL, mai INTEGER NOT NULL,
    rationale TEXT NOT NULL, PRIMARY KEY (claim, code)
) WITHOUT ROWID;
CREATE TABLE aoc (
    add_on TEXT NOT NULL, primary_code TEXT NOT NULL, edit_type INTEGER NOT NULL,
    PRIMARY KEY (add_on, primary_code)
) WITHOUT ROWID;
CREATE TABLE hcpcs (
    code TEXT PRIMARY KEY, record_type TEXT NOT NULL, long_description TEXT NOT NULL,
    short_description TEXT NOT NULL, added INTEGER NOT NULL, terminated INTEGER NOT NULL,
    action TEXT NOT NULL, unit TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE hcpcs_changes (
    code TEXT NOT NULL, action TEXT NOT NULL, short_description TEXT NOT NULL,
    long_description TEXT NOT NULL
);
CREATE TABLE pfs (
    code TEXT NOT NULL, modifier TEXT NOT NULL, status TEXT NOT NULL, global_days TEXT NOT NULL,
    pctc TEXT NOT NULL, mult_proc TEXT NOT NULL, bilateral TEXT NOT NULL,
    endo_base TEXT NOT NULL, imaging_family TEXT NOT NULL, work_rvu REAL NOT NULL,
    nonfacility_total REAL NOT NULL, facility_total REAL NOT NULL,
    nonfacility_pe_rvu REAL NOT NULL, facility_pe_rvu REAL NOT NULL, mp_rvu REAL NOT NULL,
    nonfacility_na INTEGER NOT NULL, facility_na INTEGER NOT NULL, assistant TEXT NOT NULL,
    co_surgeons TEXT NOT NULL, team_surgery TEXT NOT NULL, conversion_factor REAL NOT NULL,
    PRIMARY KEY (code, modifier)
) WITHOUT ROWID;
CREATE TABLE gpci (
    locality TEXT PRIMARY KEY, mac TEXT NOT NULL, state TEXT NOT NULL, name TEXT NOT NULL,
    work REAL NOT NULL, pe REAL NOT NULL, mp REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE cpt_year (
    year INTEGER NOT NULL, code TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL,
    PRIMARY KEY (code, year)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE hcpcs_words USING fts5(
    code UNINDEXED, title, tokenize='porter unicode61'
);
"""


def code_number(code: str) -> int:
    """A 5-character CPT/HCPCS code as a base-36 number (ordered like the text: 0-9 < A-Z)."""
    if len(code) != 5 or not code.isalnum() or not code.isascii():
        raise ValueError(f"not a 5-character procedure code: {code!r}")
    return int(code, 36)


def ptp_key(claim: int, column1: str, column2: str) -> int:
    """The PTP row id of a pair without its 2-bit sequence number (up to 4 rows per pair).

    One integer key instead of three text columns keeps the 4 million rows small (rowid
    tables appended in key order fill their pages) and a look-up a single range scan.
    """
    return ((claim << 26 | code_number(column1)) << 26 | code_number(column2)) << 2


def days(ymd: int) -> int:
    """YYYYMMDD as days since EPOCH (stored compactly)."""
    return (date(ymd // 10000, ymd // 100 % 100, ymd % 100) - EPOCH).days


__all__ = ["CLAIM_TYPES", "EPOCH", "SCHEMA", "code_number", "days", "ptp_key"]
