"""Grading the service lines: align entered lines with keyed ones, then judge each element.

Alignment passes: (1) the keyed code, preferring the entry whose modifiers, units and revenue
code also fit (so 20610-RT and 20610-LT pair up correctly), (2) a keyed alternate code,
(3) the same family (another level of the same E/M family, or a code sharing its first three
characters: a wrong code). Leftovers are missing or extra lines; an extra line that NCCI
bundles into another entered line is reported as unbundling rather than a plain extra.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from .claims import KeyedLine, ServiceLine
from .em import code_level, em_family
from .explain import named, sentence
from .grading_dx import DxOutcome
from .grading_lookup import Lookups
from .grading_types import Direction, ElementVerdict, GradeError, LineVerdict

UNDER_IF_MISSING = frozenset({"25", "59", "XE", "XS", "XP", "XU", "50"})
OVER_IF_MISSING = frozenset({"26", "TC"})
_INVALID_SLUG = {
    "header": "header_code",
    "deleted": "not_valid_on_dos",
    "not_effective": "not_valid_on_dos",
    "out_of_years": "not_valid_on_dos",
}


@dataclass(frozen=True, slots=True)
class LineOutcome:
    """Verdicts (keyed order, then extras), errors, and the E/M pair (keyed, entered) if any."""

    verdicts: tuple[LineVerdict, ...]
    errors: tuple[GradeError, ...]
    extras: int
    em_pair: tuple[str, str | None] | None


def normalize_line(line: ServiceLine, lk: Lookups) -> ServiceLine:
    """The line as the catalog spells it: code, upper-case modifiers, 4-digit revenue code."""
    raw = line.code.strip() if line.code else ""
    kind = lk.kind(raw) if raw else None
    code = lk.norm(raw, kind if kind in ("cpt", "hcpcs") else None) if raw else ""
    mods = tuple(m.strip().upper() for m in line.modifiers if m and m.strip())
    rev = (line.revenue_code or "").strip()
    if rev.isdigit() and len(rev) < 4:
        rev = rev.zfill(4)
    return ServiceLine(code, mods, line.units, rev or None, tuple(line.pointers))


def show(line: ServiceLine) -> str:
    """``0450 99284-25 x1``: how a coder reads a line back."""
    text = line.code + "".join(f"-{m}" for m in line.modifiers) + f" x{line.units}"
    return f"{line.revenue_code} {text}" if line.revenue_code else text


def _kind(code: str, lk: Lookups) -> str:
    kind = lk.kind(code)
    return kind if kind in ("cpt", "hcpcs") else "cpt"


def _title(code: str, lk: Lookups) -> str:
    return lk.title(code, _kind(code, lk))


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


def _family_score(a: str, k: str) -> int | None:
    fa, fk = em_family(a), em_family(k)
    if fa is not None or fk is not None:
        return 10 if fa == fk else None
    if a[:3] != k[:3] or a[:1].isdigit() != k[:1].isdigit():
        return None
    n = 3
    while n < min(len(a), len(k)) and a[n] == k[n]:
        n += 1
    return n


def _modifier_errors(i: int, a: ServiceLine, k: ServiceLine, why: str) -> list[GradeError]:
    keyed, given = set(k.modifiers), set(a.modifiers)
    missing, extra = sorted(keyed - given), sorted(given - keyed)
    errs = []
    for m_key, m_given in zip(missing, extra, strict=False):
        text = sentence(
            f"You appended {m_given} to {a.code}",
            f"the note supports {m_key}",
            "wrong_modifier",
            why,
        )
        errs.append(GradeError("wrong_modifier", m_key, m_given, text, "line", i, "modifier"))
    for m in missing[len(extra) :]:
        direction: Direction = (
            "under" if m in UNDER_IF_MISSING else "over" if m in OVER_IF_MISSING else "neutral"
        )
        text = sentence(
            f"You reported {a.code} without modifier {m}",
            f"the note supports {k.code}-{m}",
            "missing_modifier",
            why,
        )
        errs.append(GradeError("missing_modifier", m, None, text, "line", i, "modifier", direction))
    for m in extra[len(missing) :]:
        direction = (
            "over" if m in UNDER_IF_MISSING else "under" if m in OVER_IF_MISSING else "neutral"
        )
        text = sentence(
            f"You appended {m} to {a.code}", "the note does not support it", "extra_modifier", why
        )
        errs.append(GradeError("extra_modifier", None, m, text, "line", i, "modifier", direction))
    return errs


def _units_error(i: int, a: ServiceLine, k: ServiceLine, dos: date, lk: Lookups, why: str):
    cap = lk.mue(a.code, dos)
    if cap is not None and a.units > cap:
        text = sentence(
            f"You reported {a.units} units of {a.code}, over its MUE of {cap} a day",
            f"the note supports {k.units}",
            "mue_exceeded",
        )
        return GradeError(
            "mue_exceeded", str(k.units), str(a.units), text, "line", i, "units", "over"
        )
    direction: Direction = "under" if a.units < k.units else "over"
    text = sentence(
        f"You reported {a.units} units of {a.code}",
        f"the note supports {k.units}",
        "wrong_units",
        why,
    )
    return GradeError(
        "wrong_units", str(k.units), str(a.units), text, "line", i, "units", direction
    )


def _pointer_check(
    i: int, a: ServiceLine, k: ServiceLine, dx: DxOutcome
) -> tuple[ElementVerdict | None, GradeError | None, bool]:
    """Pointers compared as the diagnoses they point at; only the first one costs the line."""
    want = [p - 1 for p in k.pointers if p - 1 in dx.keyed]
    if not want:  # no pointers keyed (or only pointers past the keyed list): not graded
        return None, None, True
    # Pointers at blank or absent entries point at nothing and are ignored, like the key's.
    got = [dx.partner.get(p - 1) for p in a.pointers if p - 1 in dx.entered]
    first_ok = bool(got) and got[0] == want[0]
    all_ok = first_ok and set(got) == set(want)
    expected = ",".join(str(p) for p in k.pointers)
    given = ",".join(str(p) for p in a.pointers) or None
    verdict = ElementVerdict("pointers", expected, given, all_ok)
    if all_ok:
        return verdict, None, True
    lead = (
        f"the first pointer must point at keyed diagnosis {want[0] + 1}"
        if not first_ok
        else "the other pointers differ, which does not cost the line"
    )
    text = sentence(f"Line {a.code} points at diagnoses {given or 'none'}", lead, "wrong_pointer")
    return (
        verdict,
        GradeError("wrong_pointer", expected, given, text, "line", i, "pointers"),
        first_ok,
    )


def _judge(
    i: int,
    j: int,
    a: ServiceLine,
    kl: KeyedLine,
    code_ok: bool,
    dx: DxOutcome,
    dos: date,
    lk: Lookups,
) -> LineVerdict:
    k = kl.line
    errs: list[GradeError] = []
    if not code_ok:
        errs.append(_code_error(i, a, kl, dos, lk))
    mods_ok = set(a.modifiers) == set(k.modifiers)
    if not mods_ok:
        errs.extend(_modifier_errors(i, a, k, kl.rationale))
    units_ok = a.units == k.units
    if not units_ok:
        errs.append(_units_error(i, a, k, dos, lk, kl.rationale))
    elements = [
        ElementVerdict("code", k.code, a.code, code_ok),
        ElementVerdict("modifier", ",".join(k.modifiers), ",".join(a.modifiers), mods_ok),
        ElementVerdict("units", str(k.units), str(a.units), units_ok),
    ]
    rev_ok = True
    if k.revenue_code:
        rev_ok = a.revenue_code == k.revenue_code
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
    pointer_verdict, pointer_error, pointer_ok = _pointer_check(i, a, k, dx)
    if pointer_verdict is not None:
        elements.append(pointer_verdict)
    if pointer_error is not None:
        errs.append(pointer_error)
    ok = code_ok and mods_ok and units_ok and rev_ok and pointer_ok
    return LineVerdict("line", j, i, show(k), show(a), ok, tuple(elements), tuple(errs))


def _code_error(i: int, a: ServiceLine, kl: KeyedLine, dos: date, lk: Lookups) -> GradeError:
    k = kl.line
    check = lk.check(a.code, _kind(a.code, lk), dos)
    given, expected = named(a.code, _title(a.code, lk)), named(k.code, _title(k.code, lk))
    if not check.valid:
        kind = _INVALID_SLUG.get(check.reason or "", "invalid_code")
        text = sentence(
            f"You entered {a.code}: {check.message or 'not a valid code'}",
            f"the note supports {expected}",
            kind,
            kl.rationale,
        )
        return GradeError(kind, k.code, a.code, text, "line", i, "code")
    level_a, level_k = code_level(a.code), code_level(k.code)
    if level_a is not None and level_k is not None and em_family(a.code) == em_family(k.code):
        kind = "em_level_high" if level_a > level_k else "em_level_low"
        direction: Direction = "over" if level_a > level_k else "under"
        text = sentence(
            f"You reported {a.code}", f"the documentation supports {k.code}", kind, kl.rationale
        )
        return GradeError(kind, k.code, a.code, text, "line", i, "code", direction)
    text = sentence(
        f"You reported {given}", f"the note supports {expected}", "wrong_code", kl.rationale
    )
    return GradeError("wrong_code", k.code, a.code, text, "line", i, "code")


def _extra_error(
    i: int, a: ServiceLine, entered: Sequence[ServiceLine], dos: date, lk: Lookups
) -> GradeError:
    check = lk.check(a.code, _kind(a.code, lk), dos)
    if not check.valid:
        kind = _INVALID_SLUG.get(check.reason or "", "invalid_code")
        text = sentence(
            f"You entered {a.code}: {check.message or 'not a valid code'}",
            "the key has no such line",
            kind,
        )
        return GradeError(kind, None, a.code, text, "line", i, "code")
    for other in entered:
        edit = lk.ncci(other.code, a.code, dos) if other.code != a.code else None
        if edit is not None:
            text = sentence(
                f"You reported {a.code} with {other.code}",
                f"NCCI bundles {a.code} into {other.code} (modifier indicator "
                f"{edit.modifier_indicator}) and the note supports no separate service",
                "ncci_unbundled",
                getattr(edit, "rationale", "") or "",
            )
            return GradeError("ncci_unbundled", other.code, a.code, text, "line", i, "code", "over")
    text = sentence(
        f"You reported {named(a.code, _title(a.code, lk))}",
        "the note does not support it",
        "extra_code",
    )
    return GradeError("extra_code", None, a.code, text, "line", i, "code", "over")


def grade_lines(
    keyed: Sequence[KeyedLine],
    entered: Sequence[ServiceLine],
    dx: DxOutcome,
    dos: date,
    lk: Lookups,
) -> LineOutcome:
    """Align and judge the lines; ``entered`` must already be normalised."""
    keys = [kl.line for kl in keyed]
    used_a: set[int] = set()
    used_k: set[int] = set()
    exact = _pair(
        entered,
        keys,
        used_a,
        used_k,
        lambda i, j: _fit(entered[i], keys[j]) if entered[i].code == keys[j].code else None,
    )
    alt_sets = [frozenset(lk.norm(c, lk.kind(c)) for c in kl.alternates) for kl in keyed]
    exact += _pair(
        entered,
        keys,
        used_a,
        used_k,
        lambda i, j: _fit(entered[i], keys[j]) if entered[i].code in alt_sets[j] else None,
    )
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
        if found is None:
            code = kl.line.code
            text = sentence(
                f"You did not report {named(code, _title(code, lk))}",
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
        verdicts.append(_judge(i, j, entered[i], kl, code_ok, dx, dos, lk))
    extras = 0
    for i, a in enumerate(entered):
        if i in used_a or not a.code:
            continue
        extras += 1
        err = _extra_error(i, a, entered, dos, lk)
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
    errors = tuple(e for v in verdicts for e in v.errors)
    return LineOutcome(tuple(verdicts), errors, extras, em_pair)


__all__ = ["LineOutcome", "grade_lines", "normalize_line", "show"]
