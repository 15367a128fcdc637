"""Grading the service lines: align entered lines with keyed ones, then judge each element.

Alignment passes: (1) the keyed code, preferring the entry whose modifiers, units and revenue
code also fit (so 20610-RT and 20610-LT pair up correctly), (2) a keyed alternate code,
(3) the same family (another level of the same E/M family, or a code sharing its first three
characters: a wrong code). Leftovers are missing or extra lines; an extra line that NCCI
bundles into another entered line is reported as unbundling rather than a plain extra.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from trainer.core.claims import KeyedLine, NotCoded, ServiceLine
from trainer.core.grading.diagnoses import DxOutcome
from trainer.core.grading.em import em_family
from trainer.core.grading.explanations import named, sentence
from trainer.core.grading.line_errors import (
    addon_error,
    code_error,
    extra_error,
    modifier_errors,
    pointer_check,
    title_of,
    units_error,
)
from trainer.core.grading.lookups import Lookups, proc_kind
from trainer.core.grading.types import ElementVerdict, GradeError, LineVerdict


@dataclass(frozen=True, slots=True)
class LineOutcome:
    """Verdicts (keyed order, then extras), errors, and the E/M pair (keyed, entered) if any."""

    verdicts: tuple[LineVerdict, ...]
    errors: tuple[GradeError, ...]
    extras: int
    em_pair: tuple[str, str | None] | None


_NORMAL: dict[ServiceLine, ServiceLine] = {}
_SHOWN: dict[ServiceLine, str] = {}


def normalize_line(line: ServiceLine, lk: Lookups) -> ServiceLine:
    """The line as the catalog spells it: code, upper-case modifiers, 4-digit revenue code.

    Memoised (bounded): code normalisation does not depend on the catalog's year data.
    """
    found = _NORMAL.get(line)
    if found is None:
        if len(_NORMAL) > 100_000:
            _NORMAL.clear()
        found = _NORMAL[line] = _normalize_line(line, lk)
    return found


def _normalize_line(line: ServiceLine, lk: Lookups) -> ServiceLine:
    raw = line.code.strip() if line.code else ""
    code = lk.norm(raw, proc_kind(raw)) if raw else ""
    mods = tuple(m.strip().upper() for m in line.modifiers if m and m.strip())
    rev = (line.revenue_code or "").strip()
    if rev.isdigit() and len(rev) < 4:
        rev = rev.zfill(4)
    return ServiceLine(code, mods, line.units, rev or None, tuple(line.pointers))


def show(line: ServiceLine) -> str:
    """``0450 99284-25 x1``: how a coder reads a line back."""
    found = _SHOWN.get(line)
    if found is None:
        if len(_SHOWN) > 100_000:
            _SHOWN.clear()
        found = _SHOWN[line] = _show(line)
    return found


def _show(line: ServiceLine) -> str:
    text = line.code + "".join(f"-{m}" for m in line.modifiers) + f" x{line.units}"
    return f"{line.revenue_code} {text}" if line.revenue_code else text


def _fit(a: ServiceLine, k: ServiceLine) -> int:
    return (
        4 * (set(a.modifiers) == set(k.modifiers))
        + 2 * (a.units == k.units)
        + (a.revenue_code == k.revenue_code)
    )


def _pair(
    entered: Sequence[ServiceLine],
    keys: Sequence[ServiceLine],
    used_a: set[int],
    used_k: set[int],
    score: Callable[[int, int], int | None],
) -> list[tuple[int, int]]:
    """Greedy best-first one-to-one pairing by ``score`` (None: not a candidate)."""
    options = []
    for i in range(len(entered)):
        if i in used_a or not entered[i].code:
            continue
        for j in range(len(keys)):
            if j not in used_k:
                s = score(i, j)
                if s is not None:
                    options.append((-s, i, j))
    pairs = []
    for _, i, j in sorted(options):
        if i not in used_a and j not in used_k:
            used_a.add(i)
            used_k.add(j)
            pairs.append((i, j))
    return pairs


def _exact(
    entered: Sequence[ServiceLine], keys: Sequence[ServiceLine], used_a: set[int], used_k: set[int]
) -> list[tuple[int, int]]:
    """Pass 1: entries with a keyed code, the best-fitting entry first (modifiers, units, rev)."""
    by_code: dict[str, list[int]] = {}
    for j, k in enumerate(keys):
        if k.code:
            by_code.setdefault(k.code, []).append(j)
    options = sorted(
        (-_fit(a, keys[j]), i, j) for i, a in enumerate(entered) for j in by_code.get(a.code, ())
    )
    pairs = []
    for _, i, j in options:
        if i not in used_a and j not in used_k:
            used_a.add(i)
            used_k.add(j)
            pairs.append((i, j))
    return pairs


def _family_score(a: str, k: str) -> int | None:
    fa, fk = em_family(a), em_family(k)
    if fa is not None and fk is not None:  # another level, or new vs established patient
        return 10 if fa == fk else 5
    if fa is not None or fk is not None:
        return None
    if a[:3] != k[:3] or a[:1].isdigit() != k[:1].isdigit():
        return None
    n = 3
    while n < min(len(a), len(k)) and a[n] == k[n]:
        n += 1
    return n


def _without(line: ServiceLine, modifiers: set[str]) -> ServiceLine:
    if not modifiers:
        return line
    kept = tuple(m for m in line.modifiers if m not in modifiers)
    return ServiceLine(line.code, kept, line.units, line.revenue_code, line.pointers)


def _judge(
    i: int,
    j: int,
    a: ServiceLine,
    kl: KeyedLine,
    code_ok: bool,
    dx: DxOutcome,
    dos: date,
    lk: Lookups,
    setting: str = "professional",
) -> LineVerdict:
    k = kl.line
    errs: list[GradeError] = []
    if not code_ok:
        errs.append(code_error(i, a, kl, dos, lk))
    # Informational modifiers the key lets a coder add or leave off (LT/RT on a line whose
    # code has no side) are set aside before comparing.
    optional = set(kl.optional_modifiers)
    mods_ok = set(a.modifiers) - optional == set(k.modifiers) - optional
    if not mods_ok:
        errs.extend(modifier_errors(i, _without(a, optional), _without(k, optional), kl.rationale))
    units_ok = a.units == k.units
    if not units_ok:
        errs.append(units_error(i, a, k, dos, lk, kl.rationale, setting))
    elements = [
        ElementVerdict("code", k.code, a.code, code_ok),
        ElementVerdict("modifier", ",".join(k.modifiers), ",".join(a.modifiers), mods_ok),
        ElementVerdict("units", str(k.units), str(a.units), units_ok),
    ]
    rev_ok = True
    if k.revenue_code:
        # Any revenue code the product's own map accepts for the code is right (0390 for
        # P9016 as well as the keyed 0381).
        rev_ok = a.revenue_code == k.revenue_code or (
            bool(a.revenue_code) and a.revenue_code in lk.revenue_codes(a.code) and code_ok
        )
        elements.append(ElementVerdict("revenue_code", k.revenue_code, a.revenue_code, rev_ok))
        if not rev_ok:
            text = sentence(
                f"You put {a.code} under revenue code {a.revenue_code or 'none'}",
                f"the key uses {k.revenue_code}",
                "wrong_revenue_code",
                kl.rationale,
            )
            errs.append(
                GradeError(
                    "wrong_revenue_code",
                    k.revenue_code,
                    a.revenue_code,
                    text,
                    "line",
                    i,
                    "revenue_code",
                )
            )
    # The UB-04 has no diagnosis pointers (its lines carry none): graded on the CMS-1500 only.
    pointer_ok = True
    if setting != "facility":
        pointer_verdict, pointer_error, pointer_ok = pointer_check(i, a, k, dx)
        if pointer_verdict is not None:
            elements.append(pointer_verdict)
        if pointer_error is not None:
            errs.append(pointer_error)
    ok = code_ok and mods_ok and units_ok and rev_ok and pointer_ok
    return LineVerdict("line", j, i, show(k), show(a), ok, tuple(elements), tuple(errs))


def grade_lines(
    keyed: Sequence[KeyedLine],
    entered: Sequence[ServiceLine],
    dx: DxOutcome,
    dos: date,
    lk: Lookups,
    not_coded: Sequence[NotCoded] = (),
    setting: str = "professional",
) -> LineOutcome:
    """Align and judge the lines; ``entered`` must already be normalised; ``not_coded`` are
    the key's named decoys (an E/M inside the global package, for example)."""
    keys = [kl.line for kl in keyed]
    used_a: set[int] = set()
    used_k: set[int] = set()
    exact = _exact(entered, keys, used_a, used_k)
    if any(kl.alternates for kl in keyed):
        alt_sets = [frozenset(lk.norm(c, proc_kind(c)) for c in kl.alternates) for kl in keyed]
        exact += _pair(
            entered,
            keys,
            used_a,
            used_k,
            lambda i, j: _fit(entered[i], keys[j]) if entered[i].code in alt_sets[j] else None,
        )
    near: list[tuple[int, int]] = []
    if len(used_a) < len(entered) and len(used_k) < len(keys):  # fuzzy pass only if needed
        near = _pair(
            entered, keys, used_a, used_k, lambda i, j: _family_score(entered[i].code, keys[j].code)
        )
    by_key = {j: (i, True) for i, j in exact} | {j: (i, False) for i, j in near}
    verdicts: list[LineVerdict] = []
    em_pair: tuple[str, str | None] | None = None
    for j, kl in enumerate(keyed):
        if not kl.line.code:  # a blank keyed line is no item
            continue
        found = by_key.get(j)
        if em_family(kl.line.code) is not None and em_pair is None:
            em_pair = (kl.line.code, entered[found[0]].code if found else None)
        if found is None and kl.optional:  # a documented optional service left off: no item
            continue
        if found is None:
            code = kl.line.code
            text = sentence(
                f"You did not report {named(code, title_of(code, lk))}",
                "the note documents it",
                "missing_code",
                kl.rationale,
            )
            err = GradeError("missing_code", show(kl.line), None, text, "line", j, "code", "under")
            verdicts.append(
                LineVerdict(
                    "line",
                    j,
                    None,
                    show(kl.line),
                    None,
                    False,
                    (ElementVerdict("code", code, None, False),),
                    (err,),
                )
            )
            continue
        i, code_ok = found
        verdicts.append(_judge(i, j, entered[i], kl, code_ok, dx, dos, lk, setting))
    extras = 0
    decoys = {lk.norm(n.code, proc_kind(n.code)): n for n in not_coded}
    for i, a in enumerate(entered):
        if i in used_a or not a.code:
            continue
        extras += 1
        err = extra_error(i, a, entered, dos, lk, decoys, setting)
        verdicts.append(
            LineVerdict(
                "line",
                None,
                i,
                None,
                show(a),
                False,
                (ElementVerdict("code", None, a.code, False),),
                (err,),
            )
        )
    verdicts = [_with_addon_check(v, entered, lk) for v in verdicts]
    errors = tuple(e for v in verdicts for e in v.errors)
    return LineOutcome(tuple(verdicts), errors, extras, em_pair)


def _with_addon_check(
    verdict: LineVerdict, entered: Sequence[ServiceLine], lk: Lookups
) -> LineVerdict:
    """An entered add-on code without its primary on the claim would not be paid: the line
    is wrong (an extra one is explained as this rather than as a plain extra code)."""
    i = verdict.answer_index
    if i is None:
        return verdict
    err = addon_error(i, entered[i], entered, lk)
    if err is None:
        return verdict
    kept = tuple(
        e for e in verdict.errors if verdict.key_index is not None or e.type != "extra_code"
    )
    return replace(verdict, correct=False, errors=(*kept, err))


__all__ = ["LineOutcome", "grade_lines", "normalize_line", "show"]
