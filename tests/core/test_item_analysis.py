"""Item analysis: difficulty, discrimination, and the flag on a miskeyed template."""

import math

from trainer.core.stats.item_analysis import (
    Cell,
    Sums,
    analyse,
    analyse_sums,
    pearson,
    pearson_from_sums,
)


def _cohort(miskeyed: bool) -> list[Cell]:
    """Ten trainees of rising ability; 'good' tracks ability, 'bad' is missed by all alike."""
    cells = []
    for u in range(10):
        right = 2 + u  # out of 12 on the ordinary template
        cells.append(Cell(u, "ordinary", 12, right, right * 3, 36))
        cells.append(Cell(u, "good", 10, u, 20 + u * 2, 40))
        bad_right = (1 if u < 2 else 0) if miskeyed else u
        cells.append(Cell(u, "bad", 10, bad_right, 10 + bad_right, 30))
    return cells


def test_a_template_everyone_misses_regardless_of_ability_is_flagged():
    stats = {s.template_id: s for s in analyse(_cohort(miskeyed=True))}
    assert stats["bad"].p_correct == 0.02
    assert stats["bad"].discrimination is not None and stats["bad"].discrimination < 0.1
    assert "check the key" in stats["bad"].flag
    assert stats["good"].discrimination > 0.9
    assert stats["good"].flag == ""


def test_a_hard_but_discriminating_template_is_not_flagged():
    stats = {s.template_id: s for s in analyse(_cohort(miskeyed=False))}
    assert stats["bad"].p_correct == 0.45
    assert stats["bad"].flag == ""


def test_few_trainees_give_no_discrimination_and_disputes_are_flagged():
    cells = [Cell(u, "t", 4, 1, 3, 8) for u in range(3)] + [
        Cell(u, "other", 4, 3, 7, 8) for u in range(3)
    ]
    stats = {s.template_id: s for s in analyse(cells, disputed={"t"})}
    assert stats["t"].discrimination is None
    assert stats["t"].flag == "open dispute"


def test_pearson():
    assert pearson([1, 2, 3], [2, 4, 6]) == 1.0
    assert pearson([1, 2, 3], [3, 2, 1]) == -1.0
    assert pearson([1, 1, 1], [1, 2, 3]) is None


def test_equal_shares_have_no_correlation_even_when_their_mean_rounds():
    # 1/11 three times: the mean rounds, so the squared deviations were ~6e-34, not 0, and
    # the "correlation" of that rounding noise was a number (and could raise the flag).
    assert pearson([1 / 11] * 3, [0.1, 0.5, 0.9]) is None
    assert pearson_from_sums(3, 3 / 11, 1.5, 3 / 121, 1.07, 1.5 / 11) is None


def _sums_of(cells: list[Cell]) -> list[Sums]:
    """The sums a database keeps, built from the cells by the definition (x = share of charts
    right on the item, y = code accuracy on every other item)."""
    totals: dict[int, list[int]] = {}
    for c in cells:
        t = totals.setdefault(c.user_id, [0, 0])
        t[0] += c.codes_correct
        t[1] += c.codes_total
    out: dict[str, list[float]] = {}
    for c in cells:
        acc = out.setdefault(c.template_id, [0] * 11)
        acc[0] += 1
        acc[1] += c.charts
        acc[2] += c.charts_correct
        acc[3] += c.codes_correct
        acc[4] += c.codes_total
        all_cc, all_ct = totals[c.user_id]
        if c.charts and all_ct > c.codes_total:
            x = c.charts_correct / c.charts
            y = (all_cc - c.codes_correct) / (all_ct - c.codes_total)
            for i, v in enumerate((1, x, y, x * x, y * y, x * y)):
                acc[5 + i] += v
    return [
        Sums(t, int(a[0]), int(a[1]), int(a[2]), int(a[3]), int(a[4]), int(a[5]), *a[6:])
        for t, a in out.items()
    ]


def test_the_statistics_from_kept_sums_equal_those_from_the_cells():
    for miskeyed in (True, False):
        cells = _cohort(miskeyed)
        direct = analyse(cells, disputed={"good"})
        kept = analyse_sums(_sums_of(cells), disputed={"good"})
        assert [s.template_id for s in kept] == [s.template_id for s in direct]
        for a, b in zip(kept, direct, strict=True):
            assert (a.charts, a.trainees, a.p_correct, a.code_accuracy, a.flag) == (
                b.charts,
                b.trainees,
                b.p_correct,
                b.code_accuracy,
                b.flag,
            )
            assert a.discrimination is not None and b.discrimination is not None
            assert math.isclose(a.discrimination, b.discrimination, abs_tol=1e-12)


def test_kept_sums_of_too_few_trainees_give_no_discrimination():
    cells = [Cell(u, "t", 4, u % 2, 3, 8) for u in range(4)] + [
        Cell(u, "other", 4, 3, 5 + u, 8) for u in range(4)
    ]
    stats = {s.template_id: s for s in analyse_sums(_sums_of(cells))}
    assert stats["t"].trainees == 4 and stats["t"].discrimination is None
