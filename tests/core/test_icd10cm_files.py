"""The CDC file readers and the index build: shipped files, and CDC's index schema on a small
Alphabetic Index file written here in that schema (the real one is not shipped)."""

import gzip
from datetime import date
from pathlib import Path

import pytest

from trainer.core.codesets.catalog import Catalog
from trainer.core.codesets.icd10cm_index import read_index
from trainer.core.codesets.icd10cm_source import read_order, read_tabular, shipped_releases
from trainer.core.codesets.index_build import build_index, index_is_current
from trainer.core.codesets.index_terms import alphabetic_index_terms

# A small Alphabetic Index in CDC's schema (icd10cm-index-2025.xsd): letters, main terms with
# nonessential modifiers, nested terms with codes, a "see" cross-reference.
INDEX_XML = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index>
  <version>2026</version>
  <title>ICD-10-CM INDEX TO DISEASES and INJURIES</title>
  <letter>
    <title>P</title>
    <mainTerm>
      <title>Pneumonia<nemod>(acute) (double) (migratory) (purulent)</nemod></title>
      <code>J18.9</code>
      <term level="1">
        <title>atypical NEC</title>
        <code>J18.9</code>
      </term>
      <term level="1">
        <title>walking</title>
        <see>Pneumonia, Mycoplasma pneumoniae</see>
      </term>
      <term level="1">
        <title>Mycoplasma pneumoniae</title>
        <code>J15.7</code>
      </term>
    </mainTerm>
  </letter>
</ICD10CM.index>
"""

ORDER = [
    ("J15", "0", "Bacterial pneumonia, NEC", "Bacterial pneumonia, not elsewhere classified"),
    (
        "J157",
        "1",
        "Pneumonia due to Mycoplasma pneumoniae",
        "Pneumonia due to Mycoplasma pneumoniae",
    ),
    ("J18", "0", "Pneumonia, unspecified organism", "Pneumonia, unspecified organism"),
    ("J189", "1", "Pneumonia, unspecified organism", "Pneumonia, unspecified organism"),
]
TABULAR = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular><version>2026</version>
<chapter><name>10</name><desc>Diseases of the respiratory system (J00-J99)</desc>
<section id="J09-J18"><desc>Influenza and pneumonia (J09-J18)</desc>
<diag><name>J15</name><desc>Bacterial pneumonia, not elsewhere classified</desc>
  <diag><name>J15.7</name><desc>Pneumonia due to Mycoplasma pneumoniae</desc></diag></diag>
<diag><name>J18</name><desc>Pneumonia, unspecified organism</desc>
  <excludes1><note>aspiration pneumonia NOS (J69.0)</note></excludes1>
  <diag><name>J18.9</name><desc>Pneumonia, unspecified organism</desc></diag></diag>
</section></chapter></ICD10CM.tabular>
"""


def _small_release(base: Path) -> Path:
    """An order file and tabular of one year, in CDC's formats, under ``base``."""
    base.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{i:05d} {code:<7} {flag} {short:<60} {long}\r\n"
        for i, (code, flag, short, long) in enumerate(ORDER, 1)
    ]
    with gzip.open(base / "icd10cm_order_2026.txt.gz", "wt", encoding="utf-8") as out:
        out.writelines(lines)
    with gzip.open(base / "icd10cm_tabular_2026.xml.gz", "wt", encoding="utf-8") as out:
        out.write(TABULAR)
    index = base / "icd10cm_index_2026.xml"
    index.write_text(INDEX_XML, encoding="utf-8")
    return index


def test_the_shipped_order_files_have_cdc_counts():
    releases = {r.year: r for r in shipped_releases()}
    assert sorted(releases) == [2025, 2026]
    for year, rows, billable in ((2025, 97_584, 74_260), (2026, 98_186, 74_719)):
        order = read_order(releases[year].order)
        assert len(order) == rows and sum(r.billable for r in order) == billable
    first = read_order(releases[2026].order)[1]
    assert (first.code, first.billable) == ("A00.0", True)


def test_the_shipped_tabular_has_notes_and_seventh_characters():
    tabular = read_tabular(next(r for r in shipped_releases() if r.year == 2026).tabular)
    assert tabular.version == "2026"
    assert (
        "Long term (current) use of monoclonal antibodies"
        in (tabular.codes["Z79.620"].notes["inclusion_terms"])
    )
    s52 = tabular.codes["S52"]
    assert s52.seventh["A"] == "initial encounter for closed fracture"
    # A <note> inside <sevenChrDef> continues the letter before it.
    assert s52.seventh["B"].endswith("/ initial encounter for open fracture NOS")
    assert tabular.codes["T36.0X1"].parent == "T36.0X"
    assert "excludes1" in tabular.codes["E11"].notes


def test_the_index_reader_follows_cdc_schema(tmp_path):
    index = read_index(_small_release(tmp_path))
    assert index.version == "2026"
    by_heading = {e.heading: e for e in index.entries}
    main = by_heading["Pneumonia"]
    assert main.code == "J18.9" and main.nemod.startswith("(acute)")
    assert by_heading["Pneumonia, walking"].see == "Pneumonia, Mycoplasma pneumoniae"
    terms = {(t.text, t.code) for t in alphabetic_index_terms(tmp_path / "icd10cm_index_2026.xml")}
    # The cross-reference is followed to the code of the entry it names.
    assert ("Pneumonia, walking", "J15.7") in terms
    assert ("Pneumonia, atypical NEC", "J18.9") in terms


def test_a_non_index_file_is_refused(tmp_path):
    bad = tmp_path / "tabular.xml"
    bad.write_text(TABULAR, encoding="utf-8")
    with pytest.raises(ValueError, match="not a CDC ICD-10-CM index file"):
        read_index(bad)


def test_the_build_adds_an_alphabetic_index_file(tmp_path):
    index = _small_release(tmp_path / "data")
    out = tmp_path / "codesets.sqlite"
    report = build_index(out, index, data_dir=tmp_path / "data")
    assert index_is_current(out)
    assert report.rows == {2026: 4} and report.billable == {2026: 2}
    catalog = Catalog.open(out)
    hit = catalog.search("walking pneumonia", None, date(2026, 3, 2))[0]
    assert hit.code == "J15.7" and hit.matched == "Alphabetic Index: Pneumonia, walking"
    detail = catalog.detail("J18.9", "icd10cm")
    assert ("Alphabetic Index", "Pneumonia", "J18.9") in detail.index_entries
    assert detail.parent == "J18"
    assert catalog.detail("J18", "icd10cm").notes["excludes1"] == [
        "aspiration pneumonia NOS (J69.0)"
    ]


def test_build_index_command_takes_the_index_file(app, tmp_path, monkeypatch):
    import trainer.core.codesets.icd10cm_source as source
    import trainer.core.codesets.index_terms as terms

    index = _small_release(tmp_path / "data")
    monkeypatch.setattr(source, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(terms, "DATA_DIR", tmp_path / "data")
    app.config["CODESET_INDEX"] = str(tmp_path / "cli.sqlite")
    result = app.test_cli_runner().invoke(args=["build-index", "--icd10cm-index", str(index)])
    assert result.exit_code == 0, result.output
    assert "FY2026: 4 codes (2 billable)" in result.output
    bad = tmp_path / "not-index.xml"
    bad.write_text(TABULAR, encoding="utf-8")
    refused = app.test_cli_runner().invoke(args=["build-index", "--icd10cm-index", str(bad)])
    assert refused.exit_code == 2 and "not a CDC ICD-10-CM index file" in refused.output
