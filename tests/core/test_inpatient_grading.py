"""Inpatient grading on real codes: principal diagnosis, POA, PCS axes, MS-DRG, CC/MCC."""

from __future__ import annotations

from datetime import date

import pytest

from trainer.core.claims import Claim, ProcedureEntry, claim_from_dict, key_from_dict
from trainer.core.codesets.catalog import Catalog
from trainer.core.grading.grader import grade
from trainer.core.grading.types import ERROR_LABELS, ERROR_TYPES, PatientFacts

DOS = date(2026, 5, 8)
PATIENT = PatientFacts(72, "M", "Medicare")

SEPSIS_KEY = key_from_dict(
    {
        "diagnoses": [
            {
                "code": "A41.9",
                "poa": "Y",
                "rationale": "Sepsis present on admission, due to "
                "pneumonia: the systemic infection is principal (ICD-10-CM I.C.1.d.4).",
            },
            {"code": "J18.9", "poa": "Y"},
            {
                "code": "N17.9",
                "poa": "N",
                "poa_rationale": "Creatinine normal on admission, rose on day 2.",
            },
        ],
    },
    "inpatient",
)


def _grade(key, claim: Claim, patient: PatientFacts = PATIENT):  # type: ignore[no-untyped-def]
    return grade(key, claim, "strict", DOS, catalog=CATALOG, patient=patient)


@pytest.fixture(autouse=True)
def _catalog(catalog: Catalog) -> None:
    global CATALOG
    CATALOG = catalog


CATALOG: Catalog


def test_new_error_types_are_registered_with_labels() -> None:
    for slug in ("principal_dx", "poa_indicator", "pcs_axis", "drg_mismatch", "missed_cc_mcc"):
        assert slug in ERROR_TYPES
        assert ERROR_LABELS[slug]


def test_the_key_grades_100_and_groups_to_one_drg() -> None:
    result = _grade(SEPSIS_KEY, SEPSIS_KEY.as_claim())
    assert result.score == 1.0 and result.chart_correct
    assert result.drg is not None and result.drg.same
    assert result.drg.key.drg == "871"
    assert "drg" in result.to_dict()


def test_principal_dx_when_the_local_infection_is_sequenced_before_sepsis() -> None:
    claim = Claim(("J18.9", "A41.9", "N17.9"), poa=("Y", "Y", "N"))
    result = _grade(SEPSIS_KEY, claim)
    kinds = result.error_types()
    assert "principal_dx" in kinds and "sequencing" not in kinds
    error = next(e for e in result.errors if e.type == "principal_dx")
    assert "UHDDS" in error.explanation and "Section II" in error.explanation
    assert "I.C.1.d.4" in error.explanation  # the key's own rule is quoted
    # and the wrong principal moves the stay out of the sepsis DRG
    assert result.drg is not None and result.drg.given.drg == "193"
    drg = next(e for e in result.errors if e.type == "drg_mismatch")
    assert (drg.expected, drg.given, drg.direction) == ("871", "193", "under")
    assert "0.8059" not in drg.explanation and "difference -" in drg.explanation


def test_poa_indicator_wrong_names_appendix_i() -> None:
    claim = Claim(("A41.9", "J18.9", "N17.9"), poa=("Y", "Y", "Y"))
    result = _grade(SEPSIS_KEY, claim)
    assert result.error_types() == ("poa_indicator",)
    error = result.errors[0]
    assert (error.expected, error.given, error.element) == ("N", "Y", "poa")
    assert "Appendix I" in error.explanation and "rose on day 2" in error.explanation
    assert result.score == pytest.approx(2 / 3)


def test_blank_poa_is_an_error_but_exempt_codes_take_1_or_blank() -> None:
    key = key_from_dict(
        {"diagnoses": [{"code": "J18.9", "poa": "Y"}, {"code": "Z79.01", "poa": "1"}]},
        "inpatient",
    )
    assert _grade(key, Claim(("J18.9", "Z79.01"), poa=("Y", ""))).score == 1.0
    assert _grade(key, Claim(("J18.9", "Z79.01"), poa=("", "1"))).error_types() == (
        "poa_indicator",
    )


def test_missed_cc_drops_the_drg_and_shows_both_weights() -> None:
    key = key_from_dict(
        {"diagnoses": [{"code": "J18.9", "poa": "Y"}, {"code": "N17.9", "poa": "Y"}]},
        "inpatient",
    )
    result = _grade(key, Claim(("J18.9",), poa=("Y",)))
    assert set(result.error_types()) == {"missed_cc_mcc", "drg_mismatch"}
    missed = next(e for e in result.errors if e.type == "missed_cc_mcc")
    assert missed.expected == "N17.9" and missed.direction == "under"
    assert "a CC" in missed.explanation
    assert result.drg is not None
    assert (result.drg.key.drg, result.drg.given.drg) == ("194", "195")
    assert result.drg.difference == pytest.approx(
        result.drg.given.weight - result.drg.key.weight  # type: ignore[operator]
    )
    assert result.drg.difference < 0  # type: ignore[operator]


def test_an_unspecified_code_in_place_of_the_mcc_is_a_missed_mcc() -> None:
    key = key_from_dict(
        {"diagnoses": [{"code": "I11.0", "poa": "Y"}, {"code": "I50.23", "poa": "Y"}]},
        "inpatient",
    )
    result = _grade(key, Claim(("I11.0", "I50.9"), poa=("Y", "Y")))
    assert set(result.error_types()) == {"missed_cc_mcc", "drg_mismatch"}
    missed = next(e for e in result.errors if e.type == "missed_cc_mcc")
    assert "I50.9" in missed.explanation and "an MCC" in missed.explanation
    assert result.drg is not None
    assert (result.drg.key.drg, result.drg.given.drg) == ("291", "293")


def test_an_unspecified_code_that_is_still_an_mcc_is_only_specificity() -> None:
    key = key_from_dict(
        {"diagnoses": [{"code": "J44.1", "poa": "Y"}, {"code": "J96.01", "poa": "Y"}]},
        "inpatient",
    )
    result = _grade(key, Claim(("J44.1", "J96.90"), poa=("Y", "Y")))
    assert result.error_types() == ("specificity",)  # J96.90 is an MCC too: same DRG 190


def test_a_secondary_that_is_no_cc_is_just_missing() -> None:
    key = key_from_dict(
        {"diagnoses": [{"code": "J18.9", "poa": "Y"}, {"code": "I10", "poa": "Y"}]}, "inpatient"
    )
    result = _grade(key, Claim(("J18.9",), poa=("Y",)))
    assert result.error_types() == ("missing_code",)
    assert result.drg is not None and result.drg.same


LAP_CHOLE = key_from_dict(
    {
        "diagnoses": [{"code": "K80.00", "poa": "Y"}],
        "procedures": [{"code": "0FT44ZZ", "rationale": "Laparoscopic: percutaneous endoscopic."}],
    },
    "inpatient",
)


@pytest.mark.parametrize(
    ("given", "axis"),
    [
        ("0FT40ZZ", "approach 0 (Open) where the record supports 4 (Percutaneous Endoscopic)"),
        ("0FB44ZZ", "root operation B (Excision) where the record supports T (Resection)"),
    ],
)
def test_pcs_axis_names_the_wrong_axis(given: str, axis: str) -> None:
    claim = Claim(("K80.00",), poa=("Y",), procedures=(ProcedureEntry(given, "2026-05-07"),))
    result = _grade(LAP_CHOLE, claim, PatientFacts(50, "F"))
    error = next(e for e in result.errors if e.type == "pcs_axis")
    assert axis in error.explanation
    assert error.target == "procedure" and error.expected == "0FT44ZZ"
    assert "B3.1a" in error.explanation


def test_body_part_axis_on_a_hemiarthroplasty() -> None:
    key = key_from_dict(
        {"diagnoses": [{"code": "S72.002A", "poa": "Y"}], "procedures": ["0SRS0J9"]}, "inpatient"
    )
    result = _grade(key, Claim(("S72.002A",), poa=("Y",), procedures=(ProcedureEntry("0SRB0J9"),)))
    error = next(e for e in result.errors if e.type == "pcs_axis")
    assert "body part B (Left Hip Joint) where the record supports S (Left Hip Joint, Femoral" in (
        error.explanation
    )


def test_an_incomplete_pcs_code_is_a_header() -> None:
    claim = Claim(("K80.00",), poa=("Y",), procedures=(ProcedureEntry("0FT4"),))
    result = _grade(LAP_CHOLE, claim, PatientFacts(50, "F"))
    assert "header_code" in result.error_types()
    assert "7 characters" in next(e for e in result.errors if e.type == "header_code").explanation


def test_missing_and_extra_procedures() -> None:
    missing = _grade(LAP_CHOLE, Claim(("K80.00",), poa=("Y",)), PatientFacts(50, "F"))
    assert "missing_code" in missing.error_types()
    assert missing.drg is not None and missing.drg.given.drg != "419"
    extra = Claim(
        ("K80.00",), poa=("Y",), procedures=(ProcedureEntry("0FT44ZZ"), ProcedureEntry("0DTJ4ZZ"))
    )
    assert "extra_code" in _grade(LAP_CHOLE, extra, PatientFacts(50, "F")).error_types()


def test_principal_procedure_order() -> None:
    key = key_from_dict(
        {"diagnoses": ["K80.00"], "procedures": ["0FT44ZZ", "BF101ZZ"]}, "inpatient"
    )
    claim = Claim(("K80.00",), procedures=(ProcedureEntry("BF101ZZ"), ProcedureEntry("0FT44ZZ")))
    result = _grade(key, claim, PatientFacts(50, "F"))
    seq = next(e for e in result.errors if e.type == "sequencing")
    assert seq.target == "procedure" and "definitive treatment" in seq.explanation


def test_inpatient_claim_json_round_trip_and_bad_poa() -> None:
    claim = claim_from_dict(
        {
            "diagnoses": ["A41.9"],
            "poa": ["y"],
            "procedures": [{"code": "5A1955Z", "date": "2026-05-02"}],
        }
    )
    assert claim.poa == ("Y",) and claim.procedures[0].date == "2026-05-02"
    assert claim_from_dict(claim.to_dict()) == claim
    assert "poa" not in Claim(("J18.9",)).to_dict()  # outpatient JSON unchanged
    from trainer.core.claims import ClaimFormatError

    with pytest.raises(ClaimFormatError, match="poa"):
        claim_from_dict({"diagnoses": ["A41.9"], "poa": ["X"]})
    with pytest.raises(ClaimFormatError, match="date"):
        claim_from_dict(
            {"diagnoses": ["A41.9"], "procedures": [{"code": "5A1955Z", "date": "May"}]}
        )


# --------------------------------------------------------------------------- procedure dates

DATED = key_from_dict(
    {
        "diagnoses": [{"code": "K80.00", "poa": "Y"}],
        "procedures": [
            {"code": "0FT44ZZ", "date": "2026-05-05"},
            {"code": "BF101ZZ", "date": "2026-05-06"},
        ],
    },
    "inpatient",
)


def _dated_claim(first: str, second: str) -> Claim:
    return Claim(
        ("K80.00",),
        poa=("Y",),
        procedures=(ProcedureEntry("0FT44ZZ", first), ProcedureEntry("BF101ZZ", second)),
    )


def test_procedure_dates_as_documented_score_100() -> None:
    result = _grade(DATED, _dated_claim("2026-05-05", "2026-05-06"), PatientFacts(50, "F"))
    assert result.score == 1.0 and result.errors == ()
    dates = [e for v in result.procedures for e in v.elements if e.element == "date"]
    assert [(e.expected, e.given, e.correct) for e in dates] == [
        ("2026-05-05", "2026-05-05", True),
        ("2026-05-06", "2026-05-06", True),
    ]


def test_a_missing_procedure_date_is_an_error_naming_fl_74() -> None:
    result = _grade(DATED, _dated_claim("", "2026-05-06"), PatientFacts(50, "F"))
    assert result.error_types() == ("procedure_date",)
    error = result.errors[0]
    assert (error.expected, error.given, error.element, error.index) == (
        "2026-05-05",
        None,
        "date",
        0,
    )
    assert "Procedure date of 0FT44ZZ (FL 74): you left the date empty" in error.explanation
    assert "documents 05/05/2026" in error.explanation
    assert "chapter 25, section 75.6" in error.explanation
    # the code is right, the procedure is not: 2 of 3 items (the diagnosis, the second)
    assert result.score == pytest.approx(2 / 3)


def test_a_wrong_date_on_the_second_procedure_names_fl_74a() -> None:
    result = _grade(DATED, _dated_claim("2026-05-05", "2026-05-05"), PatientFacts(50, "F"))
    error = next(e for e in result.errors if e.type == "procedure_date")
    assert (error.expected, error.given, error.index) == ("2026-05-06", "2026-05-05", 1)
    assert "BF101ZZ (FL 74a): you entered 05/05/2026" in error.explanation
    assert "documents 05/06/2026" in error.explanation


def test_a_key_without_a_procedure_date_leaves_the_date_ungraded() -> None:
    """Attempts stored before dates were keyed keep their grade on a regrade."""
    result = _grade(
        LAP_CHOLE,
        Claim(("K80.00",), poa=("Y",), procedures=(ProcedureEntry("0FT44ZZ", "2026-01-01"),)),
        PatientFacts(50, "F"),
    )
    assert result.score == 1.0


# --------------------------------------------------------------------------- 25 diagnoses


def test_an_inpatient_claim_carries_25_diagnoses_and_refuses_26() -> None:
    from trainer.core.claims import ClaimFormatError

    codes = [f"Z{n:02d}.0" for n in range(26)]  # shape only: the limit is checked first
    claim = claim_from_dict({"diagnoses": codes[:25], "poa": ["Y"] * 25})
    assert len(claim.diagnoses) == 25
    assert len(claim_from_dict({"diagnoses": codes[:25]}, setting="inpatient").diagnoses) == 25
    with pytest.raises(ClaimFormatError, match="at most 25"):
        claim_from_dict({"diagnoses": codes, "poa": ["Y"] * 26})
    with pytest.raises(ClaimFormatError, match="at most 12"):  # the CMS-1500 keeps A-L
        claim_from_dict({"diagnoses": codes[:13]})
    key = key_from_dict({"diagnoses": codes[:25]}, "inpatient")
    assert len(key.diagnoses) == 25
    with pytest.raises(ClaimFormatError, match="at most 12"):
        key_from_dict({"diagnoses": codes[:13]}, "professional")


def test_the_entry_panel_takes_25_diagnoses_with_poa_and_refuses_26() -> None:
    from trainer.core.grading.inpatient_entry import (
        INPATIENT_DX_LABELS,
        parse_inpatient_entry,
        rows_from_form,
        rows_from_mapping,
    )

    codes = ["A41.9", "J18.9", "N17.9", "E87.1", "E03.9", "I10", "E11.9", "E78.5", "K21.9"]
    codes += ["M81.0", "F32.A", "G47.33", "N40.0", "H40.9", "J44.9", "I25.10", "E66.9"]
    codes += ["Z79.01", "Z79.4", "Z87.891", "I48.91", "D64.9", "E55.9", "M10.9", "N18.30"]
    assert len(codes) == 25
    form = {f"diagnoses-{i}": c for i, c in enumerate(codes)}
    form |= {f"poa-{i}": "Y" for i in range(25)}
    form["poa-24"] = "N"
    claim, problems = parse_inpatient_entry(rows_from_form(form))
    assert not problems and claim is not None
    assert len(claim.diagnoses) == 25 and claim.diagnoses[24] == "N18.30"
    assert claim.poa[24] == "N"
    form |= {"diagnoses-25": "R65.20", "poa-25": "N"}
    claim, problems = parse_inpatient_entry(rows_from_form(form))
    assert claim is None
    assert "at most 25 diagnoses" in problems.messages["diagnoses-25"]
    assert "you entered 26" in problems.messages["diagnoses-25"]
    # A bad code past the 12th names its position (the old labels stopped at L).
    form = {f"diagnoses-{i}": c for i, c in enumerate(codes)} | {"diagnoses-20": "I48..91"}
    _, problems = parse_inpatient_entry(rows_from_form(form))
    assert problems.messages["diagnoses-20"].startswith("Diagnosis 837I 21:")
    assert INPATIENT_DX_LABELS[:2] == ("67", "67A") and INPATIENT_DX_LABELS[17] == "67Q"
    assert len(INPATIENT_DX_LABELS) == 25
    # The autosaved draft keeps all 25 rows with their POA.
    draft = rows_from_mapping({"diagnoses": codes, "poa": ["Y"] * 25})
    assert draft.diagnoses == codes and len(draft.poa) == 25
