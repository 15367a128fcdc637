"""The look-up against the queries an outside probe of issue 18 found failing (2026-12-01):
what a coder expects in the top five, with real codes from the shipped files."""

from datetime import date

import pytest

from trainer.core.codesets.procedure_hits import (
    looks_like_procedure,
    pcs_after_cpt,
    pcs_words,
    with_pcs,
)
from trainer.core.codesets.search import SearchHit

DOS = date(2026, 3, 1)


def top(catalog, query, k=5, kind=None, dos=DOS):
    return [h.code for h in catalog.search(query, kind, dos, 20)[:k]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # ICD-10-CM: shorthand a coder types and the Index's wording
        ("pressure ulcer sacrum stage 3", {"L89.153"}),
        ("abdominal pain rlq", {"R10.31"}),
        ("ruq pain", {"R10.11"}),
        ("smoking history", {"Z87.891"}),
        ("diabetic foot ulcer left heel", {"E11.621", "L97.429"}),
        ("opioid use disorder", {"F11.10", "F11.20"}),
        ("uti due to e coli", {"N39.0", "B96.20"}),
        # CPT, now that our own wording covers the family
        ("tonsillectomy", {"42826", "42825"}),
        ("cystoscopy", {"52000"}),
        ("cataract surgery", {"66984", "66982"}),
        ("cath left heart", {"93452", "93458"}),
        ("port placement", {"36561"}),
        ("peg tube", {"43246", "49440"}),
        ("blood transfusion", {"36430", "30233N1"}),
        ("hemodialysis", {"90935", "90937"}),
        ("ercp with sphincterotomy", {"43262"}),
        ("covid vaccine", {"91320", "90480", "Z23"}),
        ("hip replacement", {"27130", "0SR90JZ", "0SRB0JZ"}),
        ("total knee arthroplasty pcs", {"27447", "0SRC0JZ", "0SRD0JZ"}),
        # ICD-10-PCS reached without naming the code set
        ("mechanical ventilation 96 hours", {"5A1955Z"}),
    ],
)
def test_probe_queries_find_every_expected_code(catalog, query, expected):
    found = top(catalog, query)
    assert expected <= set(found), found


@pytest.mark.parametrize(
    ("query", "wrong"),
    [
        ("pressure ulcer sacrum stage 3", "I10"),  # "pressure" of high blood pressure
        ("smoking history", "Z86.73"),
        ("cystoscopy", "Y83.3"),
        ("cataract surgery", "H59.019"),
        ("cath left heart", "I21.9"),
        ("port placement", "T80.219A"),
        ("peg tube", "32551"),  # a chest tube
        ("hemodialysis", "I95.3"),
        ("mechanical ventilation 96 hours", "H50.60"),  # mechanical strabismus
    ],
)
def test_probe_queries_no_longer_lead_with_an_unrelated_code(catalog, query, wrong):
    assert top(catalog, query, k=1) != [wrong]


def test_opioid_use_disorder_follows_the_tabular_inclusion_terms(catalog):
    """The Tabular lists "Opioid use disorder, mild" under F11.10 and "..., moderate" and
    "..., severe" under F11.20; the unspecified-use code F11.99 is not what the words say."""
    assert top(catalog, "opioid use disorder", k=2) == ["F11.10", "F11.20"]
    assert top(catalog, "opioid use disorder severe", k=1) == ["F11.20"]
    assert top(catalog, "opioid use disorder mild", k=1) == ["F11.10"]


def test_a_procedure_lists_cpt_before_its_pcs_code(catalog):
    hits = catalog.search("hip replacement", None, DOS, 5)
    kinds = [h.kind for h in hits]
    assert kinds[0] == "cpt" and "icd10pcs" in kinds
    pcs = next(h for h in hits if h.kind == "icd10pcs")
    assert pcs.title.startswith("Replacement of") and "Hip Joint" in pcs.title


def test_a_pcs_look_up_finds_our_lay_terms(catalog):
    """PCS titles never say "total" or "arthroplasty": the lay term leads to 0SRC/0SRD."""
    assert {"0SRC0JZ", "0SRD0JZ"} <= set(top(catalog, "total knee arthroplasty", kind="icd10pcs"))
    assert top(catalog, "cesarean delivery", k=1, kind="icd10pcs") == ["10D00Z1"]


def test_a_pcs_term_is_refused_before_pcs_fy2026(catalog):
    """The shipped PCS is FY2026: on a FY2025 discharge the lay term's code is marked."""
    hit = next(
        h
        for h in catalog.search("hip replacement", None, date(2025, 3, 3), 20)
        if h.kind == "icd10pcs"
    )
    assert hit.note.startswith("not valid on")


def test_a_term_that_shares_one_word_does_not_outrank_titles_that_share_two(catalog):
    """ "critical care first hour": the ventilation term shares only "hour"."""
    found = top(catalog, "critical care first hour", k=3)
    assert found[0] == "99291"
    assert not any(code.startswith("5A19") for code in found)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("i&d abscess", "10060"), ("t&a", "42820"), ("c-section", "59510"), ("d&c", "58120")],
)
def test_shorthand_joined_by_an_ampersand_or_hyphen_is_one_abbreviation(catalog, query, expected):
    """ "i&d" was read as "i" and "d", and "d" as vitamin D (E55.9 for an abscess)."""
    found = top(catalog, query, k=3)
    assert expected in found
    assert "E55.9" not in found  # vitamin D deficiency
    assert "E76.22" not in found  # Sanfilippo (MPS III) types A-D


def test_diagnosis_queries_get_no_pcs_codes(catalog):
    for query in ("chest pain", "pneumonia", "type 2 diabetes with ckd stage 3a"):
        assert all(h.kind != "icd10pcs" for h in catalog.search(query, None, DOS, 20))


# ---------------------------------------------------------------- procedure_hits, no index


def _hit(code, kind):
    return SearchHit(code, kind, code, True, 1.0)


def test_procedure_words():
    assert looks_like_procedure("lap appendectomy")
    assert looks_like_procedure("arthroscopy knee") is True
    assert looks_like_procedure("port placement")
    assert not looks_like_procedure("knee pain")
    assert not looks_like_procedure("appendicitis")
    assert pcs_words("Total knee arthroplasty PCS") == "knee arthroplasty"


def test_pcs_hits_go_after_the_cpt_hits_and_the_first_diagnosis():
    hits = [_hit("47562", "cpt"), _hit("K80.20", "icd10cm"), _hit("47563", "cpt")]
    merged = with_pcs(hits, [_hit("0FT44ZZ", "icd10pcs")], 10)
    assert [h.code for h in merged] == ["47562", "K80.20", "47563", "0FT44ZZ"]
    icd_first = [_hit("K35.80", "icd10cm"), _hit("K35.20", "icd10cm")]
    merged = with_pcs(icd_first, [_hit("0DTJ4ZZ", "icd10pcs")], 10)
    assert [h.code for h in merged] == ["K35.80", "0DTJ4ZZ", "K35.20"]
    assert with_pcs([], [_hit("0DTJ4ZZ", "icd10pcs")], 10)[0].code == "0DTJ4ZZ"
    # a PCS code already listed is not listed twice; the limit holds
    assert len(with_pcs(merged, [_hit("0DTJ4ZZ", "icd10pcs")], 10)) == 3
    assert len(with_pcs(hits, [_hit("0FT44ZZ", "icd10pcs")], 2)) == 2


def test_a_brand_offers_the_code_in_force_on_the_date(catalog):
    """J1030/J1040 (methylprednisolone acetate 40/80 mg) ended 2024-03-31, replaced by J1010
    per 1 mg: a 2026 look-up of the brand leads with J1010 and its units."""
    hits = catalog.search("depo-medrol 80 mg", None, DOS, 5)
    assert hits[0].code == "J1010"
    assert "80 mg = 80 units" in hits[0].note
    assert top(catalog, "depo-medrol 80 mg", k=1, dos=date(2024, 2, 1)) == ["J1040"]
    assert top(catalog, "solu-medrol", k=1) == ["J2919"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("infection of right hip replacement", "T84.51XA"),  # a prosthesis, not CPT 27130
        ("esrd on dialysis", "N18.6"),  # not the monthly ESRD services 9096x
        ("status post appendectomy", "Z90.49"),
        ("aftercare joint replacement", "Z47.1"),
        ("dialysis dependence", "Z99.2"),
    ],
)
def test_a_diagnosis_worded_with_a_procedure_keeps_its_icd_code_first(catalog, query, first):
    assert top(catalog, query, k=1) == [first]


def test_a_pcs_term_never_outranks_the_cpt_hits():
    hits = [_hit("0DJD8ZZ", "icd10pcs"), _hit("45378", "cpt"), _hit("Z12.11", "icd10cm")]
    hits += [_hit("45380", "cpt"), _hit("Z86.0100", "icd10cm"), _hit("45385", "cpt")]
    assert [h.code for h in pcs_after_cpt(hits)] == [
        "45378",
        "Z12.11",
        "45380",
        "0DJD8ZZ",
        "Z86.0100",
        "45385",
    ]
    pcs_only = [_hit("5A1955Z", "icd10pcs"), _hit("5A1945Z", "icd10pcs")]
    assert pcs_after_cpt(pcs_only) == pcs_only


@pytest.mark.parametrize(
    ("query", "first"),
    [("colonoscopy", "45378"), ("egd", "43235"), ("hip replacement", "27130")],
)
def test_the_cpt_code_leads_and_no_anesthesia_code_outranks_it(catalog, query, first):
    """An anesthesia code (00812 for a colonoscopy, 00731 for an EGD) is what the words
    mean only when they say anesthesia."""
    hits = catalog.search(query, None, DOS, 5)
    assert hits[0].code == first
    assert not any(h.code.startswith("00") for h in hits[:3])
    assert top(catalog, "anesthesia for total knee", k=1) == ["01402"]


def test_a_query_that_names_pcs_gets_pcs_codes_first(catalog):
    hits = catalog.search("total knee arthroplasty pcs", None, DOS, 5)
    assert [h.kind for h in hits[:3]] == ["icd10pcs"] * 3
    assert {"0SRC0JZ", "0SRD0JZ"} <= {h.code for h in hits[:3]}
    assert "27447" in [h.code for h in hits]  # the CPT code still in view
    assert top(catalog, "lumbar puncture pcs", k=1) == ["009U3ZX"]
    assert top(catalog, "lumbar puncture", k=1) == ["62270"]
