"""Our own CPT wording (trainer/data/codesets/cpt.csv) against the shipped CMS files: every
code we word is a real CPT number, its 26/TC flag is the PFS's, and every CPT code an
exercise key uses has a description a trainee can read."""

import csv
import gzip
import re
from pathlib import Path

from trainer.core.codesets.curated import DATA_DIR, load_curated

ROOT = Path(__file__).resolve().parents[2]
CMS = ROOT / "trainer" / "data" / "cms"


def _cms_rows(name):
    with gzip.open(CMS / name, "rt", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _our_rows():
    with (DATA_DIR / "cpt.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def test_every_worded_code_is_a_cpt_number_of_the_pfs_files():
    years: dict[str, set[str]] = {}
    for row in _cms_rows("cpt_code_numbers_pfs_2024_2025.csv.gz"):
        years.setdefault(row["code"], set()).add(row["year"])
    rows = _our_rows()
    assert len(rows) >= 1200
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    for row in rows:
        assert row["code"] in years, row
        if "2024" not in years[row["code"]]:
            assert row["effective"] == "2025-01-01", row  # new in the 2025 PFS


def test_the_split_flag_is_the_pfs_pc_tc_indicator():
    """split=y exactly where the PFS PC/TC indicator is 1 (professional and technical
    components): the grader's 26/TC checks read the flag."""
    pctc = {
        r["hcpcs"]: r["pctc_indicator"]
        for r in _cms_rows("pfs_rvu_2025_oct_rvu25d.csv.gz")
        if not r["modifier"]
    }
    for row in _our_rows():
        assert (row["split"] == "y") == (pctc.get(row["code"]) == "1"), row


def test_every_cpt_code_an_exercise_key_uses_has_our_wording():
    curated = load_curated()
    used = set()
    for path in (ROOT / "exercises").rglob("template.toml"):
        used |= set(re.findall(r'"(\d{4}[0-9FTU])"', path.read_text(encoding="utf-8")))
    missing = sorted(c for c in used if curated.entry(c, "cpt") is None)
    assert not missing


def test_descriptions_are_short_plain_wording():
    for row in _our_rows():
        text = row["description"]
        assert 3 <= len(text) <= 110, row
        assert ";" not in text, row  # the AMA's descriptors chain clauses with semicolons
