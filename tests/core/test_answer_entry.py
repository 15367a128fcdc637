"""What a trainee types becomes a claim, or a message naming the field; nothing is guessed."""

import pytest

from trainer.core.claims import ServiceLine
from trainer.core.grading.entry import EntryLine, parse_entry, parse_pointers


def test_codes_typed_loosely_are_normalised():
    claim, problems = parse_entry(
        [" m17.11 ", "z7952"], [EntryLine("20610", ["rt"], "", "", "a")], facility=False
    )
    assert not problems
    assert claim.diagnoses == ("M17.11", "Z79.52")
    assert claim.lines == (ServiceLine("20610", ("RT",), 1, None, (1,)),)


@pytest.mark.parametrize("typed", ["M17.", "99999999", "<script>", "M", "17.11", "M17.11111"])
def test_malformed_diagnoses_are_format_problems(typed):
    claim, problems = parse_entry([typed], [], facility=False)
    assert claim is None
    assert "diagnoses-0" in problems.messages


@pytest.mark.parametrize("typed", ["2061", "206100", "<b>", "J33011", "99213-25"])
def test_malformed_procedure_codes_are_format_problems(typed):
    claim, problems = parse_entry(["M17.11"], [EntryLine(typed, [], "", "", "A")], facility=False)
    assert claim is None
    assert "lines-0-code" in problems.messages


def test_units_must_be_whole_numbers():
    claim, problems = parse_entry(["M17.11"], [EntryLine("J3301", [], "4.5")], facility=False)
    assert claim is None and "lines-0-units" in problems.messages


def test_facility_lines_need_a_revenue_code():
    claim, problems = parse_entry(["R07.9"], [EntryLine("99284", [], "1", "", "A")], facility=True)
    assert claim is None and "lines-0-revenue" in problems.messages
    claim, problems = parse_entry(
        ["R07.9"], [EntryLine("99284", [], "1", "450", "A")], facility=True
    )
    assert claim.lines[0].revenue_code == "0450"


def test_pointer_to_an_empty_slot_is_refused():
    claim, problems = parse_entry(["M17.11"], [EntryLine("20610", [], "", "", "B")], facility=False)
    assert claim is None and "lines-0-pointers" in problems.messages


def test_empty_submission_is_refused():
    claim, problems = parse_entry(["", ""], [EntryLine()], facility=False)
    assert claim is None and "form" in problems.messages


def test_a_line_with_modifiers_but_no_code_asks_for_the_code():
    claim, problems = parse_entry(["M17.11"], [EntryLine("", ["RT"])], facility=False)
    assert claim is None and "lines-0-code" in problems.messages


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("A", (1,)), ("ab", (1, 2)), ("A, C", (1, 3)), ("1 2", (1, 2)), ("", ())],
)
def test_pointers_as_coders_write_them(typed, expected):
    assert parse_pointers(typed) == expected


@pytest.mark.parametrize("typed", ["M", "AA", "ABCDE", "13", "A-B"])
def test_unreadable_pointers(typed):
    assert parse_pointers(typed) is None
