"""The order of the diagnosis list: which code goes first, and the pairs a note orders.

Order is graded only where a rule fixes it (ICD-10-CM conventions and guidelines): the
first-listed diagnosis (an external cause is never first, a manifestation follows its
etiology, a screening or the injury treated leads), and every pair a code-first or
use-additional note orders, wherever the pair sits in the list. The key is the authority: a
pair is enforced only when the key lists it in the note's order. ``diagnoses`` calls these
after it has aligned the entered codes with the keyed ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from trainer.core.grading.explanations import SEQUENCE_RULES, sentence
from trainer.core.grading.lookups import Lookups
from trainer.core.grading.notes import is_manifestation, order_note
from trainer.core.grading.types import GradeError


def first_listed_rule(keys: Sequence[str], lead: str, lk: Lookups) -> tuple[str, str]:
    """(why keys[0] goes first, the rule) for the rule the grader can show applies."""
    first = keys[0]
    if lead and lead[:1] in "VWXY":
        return f"{lead} is an external cause code", SEQUENCE_RULES["external_cause"]
    if lead and lead in keys:
        note = order_note(first, lead, lk)
        if note is not None:
            if first[:1] == "C" and lead == "D63.0":
                return note.quoted(), SEQUENCE_RULES["neoplasm_anaemia"]
            if is_manifestation(lead, lk):
                return note.quoted(), SEQUENCE_RULES["manifestation"]
            return note.quoted(), SEQUENCE_RULES["order_note"]
        if is_manifestation(lead, lk):
            return f"{lead} is a manifestation code", SEQUENCE_RULES["manifestation"]
    if first.startswith(("Z12", "Z13", "Z11")):
        return f"{first} is the screening the encounter was for", SEQUENCE_RULES["screening"]
    if first[:1] in "ST" and lead[:1] not in "ST":
        return f"{first} is the injury treated", SEQUENCE_RULES["injury"]
    return "", ""


def sequencing_error(
    keys: Sequence[str],
    key_ix: int,
    lead: str,
    given: str | None,
    at: int,
    lk: Lookups,
    rationale: str,
) -> GradeError:
    why, rule_text = first_listed_rule(keys, lead, lk)
    supported = f"{keys[0]} is the first-listed diagnosis"
    if why:
        supported += f": {why}"
    entered = f"You listed {lead or 'nothing'} first and {given} in position {at + 1}"
    if rule_text:
        text = f"{entered}; {supported}. Rule: {rule_text[:1].upper()}{rule_text[1:]}"
    else:
        text = sentence(entered, supported, "sequencing", rationale)
    return GradeError("sequencing", keys[key_ix], lead, text, "diagnosis", at, "sequence")


def pair_order_errors(
    keys: Sequence[str], by_key: dict[int, int], lk: Lookups
) -> dict[int, GradeError]:
    """Pairs a code-first / use-additional note orders, entered the other way round.

    Graded wherever they sit (not only in first position); the key is the authority, so a
    pair is enforced only when the key itself lists it in the note's order. The error sits
    on the keyed item entered too early. The first-listed pair is left to the first-listed
    check, which names the same note.
    """
    found: dict[int, GradeError] = {}
    for (j1, i1), (j2, i2) in combinations(sorted(by_key.items()), 2):
        if i2 > i1 or j1 == 0 or j2 in found:
            continue
        note = order_note(keys[j1], keys[j2], lk)
        if note is None:
            continue
        kind = "manifestation" if is_manifestation(keys[j2], lk) else "order_note"
        if keys[j1][:1] == "C" and keys[j2] == "D63.0":
            kind = "neoplasm_anaemia"
        rule_text = SEQUENCE_RULES[kind]
        text = (
            f"You listed {keys[j2]} in position {i2 + 1}, before {keys[j1]} in position "
            f"{i1 + 1}; {note.quoted()}: {keys[j1]} goes first. "
            f"Rule: {rule_text[:1].upper()}{rule_text[1:]}"
        )
        found[j2] = GradeError("sequencing", keys[j1], keys[j2], text, "diagnosis", i2, "sequence")
    return found


__all__ = ["first_listed_rule", "pair_order_errors", "sequencing_error"]
