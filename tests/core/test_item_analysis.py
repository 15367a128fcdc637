"""Item analysis: difficulty, discrimination, and the flag on a miskeyed template."""

from trainer.core.stats.item_analysis import Cell, analyse, pearson


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
