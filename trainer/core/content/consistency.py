"""Keys agree across templates: the same documented fact gets the same code on every chart.

The first audit found 81025 keyed on one chart and graded extra on another for the same
documentation ("urine pregnancy test in the office"). Each fact below is a phrase a chart can
document and the codes a coder reports for it. A rendered variant that documents the fact
must decide about the code in its key: key it (required or ``optional``), accept it as an
alternate, or name it in ``[[key.not_coded]]`` with the reason it is not reported here. A
variant that does none of these is listed, with the templates that do key the code, so an
author reviews the disagreement instead of a trainee discovering it.

The table is reviewed by a coder: add a fact when an audit finds another disagreement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Fact:
    """A documented fact and the code family that reports it (prefixes, dotted)."""

    name: str
    pattern: re.Pattern[str]
    codes: tuple[str, ...]


FACTS: tuple[Fact, ...] = (
    Fact(
        "urine pregnancy test with its result",
        re.compile(r"\burine (pregnancy|hcg) test\b", re.I),
        ("81025",),
    ),
    Fact(
        "urine dipstick or urinalysis",
        re.compile(r"\b(urine dipstick|dipstick urinalysis|urinalysis)\b", re.I),
        ("81000", "81001", "81002", "81003"),
    ),
    Fact(
        "gastric bypass or bariatric surgery in the history",
        re.compile(r"\b(gastric bypass|bariatric surgery|sleeve gastrectomy)\b", re.I),
        ("Z98.84",),
    ),
    Fact(
        "long-term anti-CD20 or TNF monoclonal antibody",
        re.compile(r"\b(ocrelizumab|rituximab|adalimumab|infliximab|ofatumumab)\b", re.I),
        ("Z79.620",),
    ),
    Fact(
        "long-term insulin",
        re.compile(
            r"\bon (basal )?insulin\b|\binsulin (glargine|detemir|degludec)\b|\bglargine\b", re.I
        ),
        ("Z79.4",),
    ),
    Fact(
        "long-term oral antidiabetic drug",
        re.compile(
            r"\b(metformin|glipizide|glimepiride|sitagliptin)\b[^.]{0,40}\b(daily|twice)", re.I
        ),
        ("Z79.84",),
    ),
    Fact(
        "current tobacco (cigarette) use",
        re.compile(
            r"\b(current(ly)? smok\w*|smokes (\d|one|a |half)|pack[- ]years?,? (current|still))",
            re.I,
        ),
        ("F17.2", "Z72.0"),
    ),
    Fact(
        "long-term anticoagulant",
        re.compile(
            r"\b(apixaban|rivaroxaban|warfarin|dabigatran|edoxaban)\b[^.]{0,40}\bdaily\b", re.I
        ),
        ("Z79.01",),
    ),
)


@dataclass(frozen=True, slots=True)
class Disagreement:
    fact: str
    template: str  # path of the template that neither keys nor declines the code
    label: str  # the variant
    codes: tuple[str, ...]


def _decided(key: Any, codes: tuple[str, ...]) -> bool:
    """The key keys, accepts or declines (not_coded) a code of the fact's family."""
    found: list[str] = [d.code for d in key.diagnoses]
    for d in key.diagnoses:
        found.extend(d.alternates)
    for kl in key.lines:
        found.append(kl.line.code)
        found.extend(kl.alternates)
    for alt in key.alternate_sets:
        found.extend(alt.diagnoses)
        found.extend(line.code for line in alt.lines)
    found.extend(n.code for n in key.not_coded)
    return any(code.startswith(prefix) for code in found for prefix in codes)


def disagreements(variants: Iterable[tuple[str, str, Any]]) -> list[Disagreement]:
    """``variants`` are (template path, variant label, Variant); the fact-by-fact misses."""
    found: list[Disagreement] = []
    for path, label, variant in variants:
        for fact in FACTS:
            if fact.pattern.search(variant.chart_markdown) and not _decided(
                variant.key, fact.codes
            ):
                found.append(Disagreement(fact.name, path, label, fact.codes))
    return found


def keyed_in(variants: Iterable[tuple[str, str, Any]], codes: tuple[str, ...]) -> list[str]:
    """The templates whose keys report a code of the family (to name in the message)."""
    paths = []
    for path, _, variant in variants:
        keyed = [d.code for d in variant.key.diagnoses] + [k.line.code for k in variant.key.lines]
        if any(c.startswith(p) for c in keyed for p in codes) and path not in paths:
            paths.append(path)
    return paths


__all__ = ["FACTS", "Disagreement", "Fact", "disagreements", "keyed_in"]
