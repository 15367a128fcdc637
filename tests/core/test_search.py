"""Encoder-grade search over the real index: what coders type finds what they mean."""

from datetime import date

import pytest

from trainer.core.codesets.search_quality import hit_at_k, load_quality_set
from trainer.core.codesets.shorthand import load_shorthand

FY2025 = date(2025, 3, 3)
FY2026 = date(2026, 3, 2)


def top(catalog, query, dos=FY2026, k=5, kind=None):
    return [h.code for h in catalog.search(query, kind, dos, 20)[:k]]


# The queries issue 18 lists as failing before: each finds its code in the top five.
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("copd with acute exacerbation", "J44.1"),
        ("chf", "I50.9"),
        ("htn", "I10"),
        ("gerd", "K21.9"),
        ("t2dm w ckd", "E11.22"),
        ("fx distal radius left initial", "S52.502A"),
        ("hx of colon polyps", "Z86.0100"),
        ("kenalog 10 mg", "J3301"),
        ("toradol", "J1885"),
        ("knee injection", "20610"),
        ("strep throat", "J02.0"),
        ("ekg interpretation only", "93010"),
        ("afib", "I48.91"),
        ("uti", "N39.0"),
    ],
)
def test_coder_queries_find_the_code(catalog, query, expected):
    assert expected in top(catalog, query)


def test_a_bare_term_lands_where_the_index_does(catalog):
    """Pneumonia NOS is J18.9 (before: 13th); the specific pneumonias follow."""
    hits = top(catalog, "pneumonia", k=10)
    assert hits[0] == "J18.9"
    assert {"J18.8", "J12.9"} & set(hits[1:])


def test_words_not_prefixes_of_other_words(catalog):
    """'uti' and 'afib' used to match 'utilization' and other words starting alike."""
    for query, family in (("uti", ("N39", "N30", "O86", "N99", "Z87", "O23")), ("afib", ("I48",))):
        titles = [h.title.lower() for h in catalog.search(query, None, FY2026, 10)]
        assert all("utiliz" not in t and "afibrino" not in t for t in titles)
        assert top(catalog, query, k=1)[0].startswith(family)


def test_stemming_finds_other_forms_of_a_word(catalog):
    assert "77067" in top(catalog, "mammogram screening")
    assert "77067" in top(catalog, "screening mammography")
    assert "K50.90" in top(catalog, "crohns disease")  # possessive typed without apostrophe


def test_numbers_are_words(catalog):
    assert top(catalog, "ckd stage 3b", k=1) == ["N18.32"]
    assert top(catalog, "chest x-ray 2 views", k=1) == ["71046"]
    assert top(catalog, "bmi 32 adult", k=1) == ["Z68.32"]


def test_a_sequela_does_not_outrank_the_common_code(catalog):
    hits = top(catalog, "stroke", k=10)
    assert hits[0] == "I63.9"
    sequelae = [c for c in hits if c.startswith("I69")]
    assert all(hits.index(c) > 0 for c in sequelae)


def test_neoplasm_table_by_site_and_behaviour(catalog):
    assert top(catalog, "secondary malignant neoplasm of liver", k=1) == ["C78.7"]
    assert "C78.7" in top(catalog, "liver mets")
    assert "D12.6" in top(catalog, "benign neoplasm colon")
    assert "D06.9" in top(catalog, "ca in situ cervix")
    assert "C18.9" in top(catalog, "colon cancer")
    assert "C78.5" in top(catalog, "colon cancer secondary")


def test_drug_table_by_substance_and_intent(catalog):
    """The table's 6-character code is answered with its initial-encounter 7th character."""
    assert top(catalog, "triamcinolone poisoning accidental", k=1) == ["T38.0X1A"]
    assert "T39.012A" in top(catalog, "poisoning by aspirin intentional self-harm")
    assert "T36.0X5A" in top(catalog, "adverse effect of penicillin")
    assert "T38.3X6A" in top(catalog, "underdosing of insulin")
    assert "T39.1X1A" in top(catalog, "acetaminophen overdose accidental")
    assert "T39.1X4D" in top(catalog, "acetaminophen poisoning undetermined subsequent")


def test_external_cause_index_by_event(catalog):
    assert top(catalog, "fall from bed", k=1) == ["W06.XXXA"]
    assert "W21.03XA" in top(catalog, "struck by baseball")


def test_seventh_character_follows_the_words(catalog):
    assert "S42.002D" in top(catalog, "closed fracture of left clavicle subsequent")
    assert "S52.502S" in top(catalog, "fx distal radius left sequela")
    hit = catalog.search("fx distal radius left initial", None, FY2026)[0]
    assert hit.code == "S52.502A" and "initial encounter for closed fracture" in hit.note


def test_brand_names_bill_in_descriptor_units(catalog):
    hit = catalog.search("kenalog 40 mg", None, FY2026)[0]
    assert hit.code == "J3301"
    assert "Kenalog = triamcinolone" in hit.note and "40 mg = 4 units" in hit.note
    # J1040 (80 mg) ended 2024-03-31: J1010 (per 1 mg) after it
    assert top(catalog, "depo-medrol 80 mg", k=1) == ["J1010"]
    assert top(catalog, "depo-medrol 80 mg", date(2024, 2, 1), k=1) == ["J1040"]
    assert top(catalog, "zofran 4 mg", k=1) == ["J2405"]
    assert "J0696" in top(catalog, "rocephin")


def test_lay_terms(catalog):
    flu = top(catalog, "flu shot")
    assert {"90686", "Z23", "G0008"} <= set(flu)
    assert top(catalog, "strep throat", k=1) == ["J02.0"]


def test_on_a_fy2025_date_fy2026_codes_come_last_and_are_marked(catalog):
    hits = catalog.search("familial hypercholesterolemia", None, FY2025, 10)
    assert hits[0].code == "E78.01" and hits[0].billable
    new = [h for h in hits if h.code in ("E78.010", "E78.011", "E78.019")]
    assert new and all("new on 2025-10-01" in h.note and not h.billable for h in new)
    valid = [i for i, h in enumerate(hits) if not h.note]
    assert max(valid) < min(hits.index(h) for h in new)


def test_an_expanded_code_says_when_it_stopped_being_billable(catalog):
    hit = catalog.search("E78.01", None, FY2026)[0]
    assert hit.code == "E78.01" and not hit.billable
    assert hit.note.startswith("billable until 2025-09-30, expanded into E78.010")
    assert catalog.search("E78.01", None, FY2025)[0].billable  # billable that year


def test_a_deleted_code_can_still_be_looked_up(catalog):
    hit = catalog.search("S30.1XXA", None, FY2026)[0]
    assert hit.code == "S30.1XXA" and not hit.billable
    assert "deleted in FY2026" in hit.note and "S30.11XA" in hit.note
    detail = catalog.detail("S30.1XXA", "icd10cm")
    assert "S30.11XA" in detail.status


def test_code_detail_lists_the_index_entries_leading_to_it(catalog):
    entries = catalog.detail("C18.9", "icd10cm").index_entries
    assert ("Neoplasm Table (FY2025)", "neoplasm colon malignant primary", "C18.9") in entries
    # A 7th-character code shows the entries of the codes above it.
    assert any(at == "S52.5" for _, _, at in catalog.detail("S52.502A", "icd10cm").index_entries)


def test_the_curated_lists_point_at_real_codes(catalog):
    shorthand = load_shorthand()
    for term in shorthand.terms:
        if term.kind == "icd10cm":
            years = [d for d in (FY2025, FY2026) if catalog.validate(term.code, "icd10cm", d).valid]
            assert years, term
            if len(years) == 1:  # a one-year code has its other year's code on the same term
                other = FY2025 if years == [FY2026] else FY2026
                assert any(
                    t.term == term.term and catalog.validate(t.code, "icd10cm", other).valid
                    for t in shorthand.terms
                ), term
        elif term.kind == "icd10pcs":
            # PCS FY2026 only: a valid 7-character code on a FY2026 discharge date.
            assert catalog.validate(term.code, "icd10pcs", FY2026).valid, term
        else:
            assert catalog.curated.entry(term.code, term.kind), term
    for brand in shorthand.brands:
        entry = catalog.curated.entry(brand.hcpcs, "hcpcs")
        assert entry is not None and entry.unit, brand


def test_search_quality_hit_at_5(catalog):
    """Our set of realistic coder queries (the figure `trainer bench` reports)."""
    queries = load_quality_set()
    assert len(queries) >= 60
    result = hit_at_k(catalog, queries, 5)
    assert result.rate >= 0.9, [(m.query, found) for m, found in result.misses]


def test_a_term_offers_the_code_of_the_date(catalog):
    """Multiple sclerosis: G35 until 2025-09-30; FY2026 split it (G35.D unspecified)."""
    assert top(catalog, "multiple sclerosis", FY2025, k=1) == ["G35"]
    assert top(catalog, "ms", FY2026, k=1) == ["G35.D"]


def test_a_misspelt_word_is_corrected_to_a_word_of_the_code_sets(catalog):
    """rapidfuzz, only when the words as typed find nothing."""
    assert top(catalog, "pnuemonia", k=1) == ["J18.9"]
    assert top(catalog, "kenelog 40 mg", k=1) == ["J3301"]
    assert "M17.11" in top(catalog, "osteoarthritis rigth knee")
    assert catalog.search("xyzzyq", None, FY2026) == []


def test_odd_input_finds_nothing_rather_than_failing(catalog):
    for query in ('"', "*", "AND OR NOT", "(", "a" * 100, "-- ;", "NEAR(x y)", "w/ w/o"):
        assert isinstance(catalog.search(query, None, FY2026), list)


def test_hcpcs_descriptor_words_skip_stop_words_and_a_possessive_s():
    # A one-letter prefix ("s"* from "crohn's") or a stop word ("in"*) matched every
    # descriptor word starting with it; short words are matched whole.
    from trainer.core.codesets.cms_catalog import descriptor_match

    assert descriptor_match("crohn's disease") == '"crohn"* "disease"*'
    assert descriptor_match("ca in situ breast") == '"ca" "situ"* "breast"*'
    assert descriptor_match("triam inj 10") == '"triam"* "inj"* "10"'


def test_a_seventh_character_is_chosen_per_query_not_cached_across_them(catalog):
    # The engine caches where a line's code leads per (code, year, 7th-character words):
    # a later query asking for another encounter gets its own character.
    initial = top(catalog, "fx distal radius left initial")
    subsequent = top(catalog, "fx distal radius left subsequent routine healing")
    assert "S52.502A" in initial
    assert "S52.502D" in subsequent and "S52.502A" not in subsequent[:1]


def test_the_table_editions_named_are_those_of_the_shipped_files():
    # The look-up names the edition of the table a line came from; it must be the file's own
    # <version>, so a newer table shipped later cannot go on being called FY2025.
    import gzip
    import re

    from trainer.core.codesets.icd10cm_source import DATA_DIR
    from trainer.core.codesets.index_terms import TABLE_EDITION, TABLE_FILES

    for source, name in TABLE_FILES.items():
        head = gzip.open(DATA_DIR / name, "rt", encoding="utf-8").read(4000)
        version = re.search(r"<version>\s*(\d{4})\s*</version>", head)
        assert version is not None and TABLE_EDITION[source] == f"FY{version.group(1)}"


def test_a_table_line_says_which_edition_it_is(catalog):
    hit = catalog.search("triamcinolone adverse effect", None, FY2026)[0]
    assert hit.code == "T38.0X5A"
    assert hit.matched == "Table of Drugs and Chemicals (FY2025): Triamcinolone adverse effect"
