"""Grading the diagnosis list: align entered codes with keyed ones, then name each error.

Alignment runs in passes, most certain first, so a perfect answer never pays for the fuzzy
passes: (1) the keyed code itself, (2) a keyed alternate, (3) the same 3-character category
(longest shared prefix first: that pair is a specificity, laterality, 7th-character or
wrong-code error), (4) the same chapter letter and the same condition by title (a wrong code,
e.g. I10 where the combination code I12.9 is required); an unrelated code is never paired
with a keyed one, so it is graded extra (with the reason that applies) and the keyed one
missing. Order is graded where a rule fixes it (``sequencing``): the first-listed diagnosis,
and every pair a code-first or use-additional note orders, wherever the pair sits in the list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from trainer.core.claims import KeyedDiagnosis, NotCoded
from trainer.core.grading.explanations import (
    named,
    not_coded_rule,
    rule,
    sentence,
)
from trainer.core.grading.lookups import Check, Lookups
from trainer.core.grading.notes import excludes1
from trainer.core.grading.sequencing import pair_order_errors, sequencing_error
from trainer.core.grading.types import Direction, ElementVerdict, GradeError, LineVerdict

ICD = "icd10cm"
_SIDE = re.compile(r"\b(right|left|bilateral|unspecified)\b")
_SIDES = re.compile(r"\b(right|left|bilateral)\b")
_INVALID_SLUG = {
    "unknown": "invalid_code",
    "wrong_kind": "invalid_code",
    "header": "header_code",
    "seventh_character": "seventh_character",
    "placeholder": "seventh_character",
    "deleted": "not_valid_on_dos",
    "not_effective": "not_valid_on_dos",
    "out_of_years": "not_valid_on_dos",
}


def _rejected(check: Check) -> str:
    """The error type of a code the catalog rejects, from the catalog's reason."""
    return _INVALID_SLUG.get(check.reason or "unknown", "invalid_code")


@dataclass(frozen=True, slots=True)
class DxOutcome:
    """Verdicts (keyed order, then extras), errors, and which keyed dx each entry stands for."""

    verdicts: tuple[LineVerdict, ...]
    errors: tuple[GradeError, ...]
    partner: dict[int, int]  # answer index -> key index, for diagnosis pointers
    keyed: frozenset[int]  # key indices that hold a code (pointers may refer to these)
    entered: frozenset[int]  # answer indices that hold a code
    key_codes: tuple[str, ...]  # normalised keyed codes, by key index
    codes: tuple[str, ...]  # normalised entered codes, by answer index


def _bare(code: str) -> str:
    return code.replace(".", "")


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def classify_pair(given: str, key: str, check: Check, lk: Lookups) -> str:
    """The error type of an entered code standing in for a keyed code of the same family."""
    g, k = _bare(given), _bare(key)
    # Only the 7th-character extension of the injury/fracture-type categories is a 7th
    # character error; Z86.010 short of Z86.0101 is a header that needs more characters.
    seventh = len(k) == 7 and lk.takes_seventh(key)
    if seventh and (g == k[:6] or g.replace("X", "") == k.replace("X", "")):
        return "seventh_character"  # 7th character or placeholder X missing
    if not check.valid:
        # A code expanded by this year's update (Z91.011 in FY2026) stays not_valid_on_dos:
        # the catalog's message names the update and the new codes (a refresher's lesson).
        return _rejected(check)
    if seventh and len(g) == 7 and g[:6] == k[:6]:
        return "seventh_character"
    if g[:3] != k[:3]:
        return "wrong_code"
    tg, tk = lk.title(given, ICD).lower(), lk.title(key, ICD).lower()
    if tg and tk and tg != tk:
        if _SIDE.sub("#", tg) == _SIDE.sub("#", tk):
            return "laterality"
        sides_g, sides_k = set(_SIDES.findall(tg)), set(_SIDES.findall(tk))
        if sides_g and sides_k and sides_g != sides_k:
            return "laterality"
    if len(g) < len(k) or ("unspecified" in tg and "unspecified" not in tk):
        return "specificity"
    return "wrong_code"


def _explain_pair(kind: str, given: str, key: KeyedDiagnosis, check: Check, lk: Lookups) -> str:
    key_named = named(key.code, lk.title(key.code, ICD))
    if kind == "header_code":
        options = ", ".join(check.suggestions[:6])
        entered = f"You entered {given}, a header that needs more characters and is not billable"
        if options:
            entered += f" (its billable codes: {options})"
        return sentence(entered, f"the note supports {key_named}", kind, key.rationale)
    if kind in ("invalid_code", "not_valid_on_dos", "seventh_character") and not check.valid:
        entered = f"You entered {given}: {check.message or 'not a valid code'}"
        return sentence(entered, f"the note supports {key_named}", kind, key.rationale)
    entered = f"You coded {named(given, lk.title(given, ICD))}"
    rule_kind = kind
    if kind == "wrong_code" and " with " in lk.title(key.code, ICD).lower():
        rule_kind = "combination"
    return sentence(entered, f"the note supports {key_named}", rule_kind, key.rationale)


def _explain_extra(
    kind: str,
    given: str,
    check: Check,
    lk: Lookups,
    twice: bool,
    decoy: NotCoded | None,
    others: Sequence[str],
) -> tuple[str, str]:
    """The error type and sentence for an entered code the key does not hold.

    The reason is the one that applies: a duplicate; an invalid code; the key's own decoy
    reason; an Excludes1 note against another entered code; else a neutral sentence that
    claims no rule the grader cannot know applies.
    """
    if twice:
        supported, why = not_coded_rule("duplicate")
        return "extra_code", f"You entered {given} twice; {supported}. Rule: {why}"
    if kind != "extra_code":
        detail = check.message or "not a valid ICD-10-CM code"
        return kind, sentence(f"You entered {given}: {detail}", "the key has no such code", kind)
    entered = f"You coded {named(given, lk.title(given, ICD))}"
    for other in others:
        note = excludes1(given, other, lk)
        if note is not None:
            text = (
                f"{entered} with {named(other, lk.title(other, ICD))}; {note.quoted()}: the "
                "two are not reported together"
            )
            # The key's own reason for this decoy, when it is the Excludes1 note, says more
            # (which documented fact makes the other code the right one).
            own = decoy.rationale if decoy is not None and decoy.reason == "excludes1" else ""
            return "excludes1_conflict", f"{text}. Rule: {rule('excludes1_conflict', own)}"
    if decoy is not None:
        supported, why = not_coded_rule(decoy.reason, decoy.rationale)
        if supported:
            return "extra_code", f"{entered}; {supported}. Rule: {why}"
    return "extra_code", sentence(entered, "the key does not report it for this encounter", kind)


_STOP = frozenset(
    "unspecified other without specified chronic disease disorder disorders encounter "
    "initial subsequent sequela classified elsewhere condition conditions primary "
    "secondary current history personal status".split()
)


def _stems(title: str) -> set[str]:
    words = re.findall(r"[a-z]+", title.lower())
    return {w[:6] for w in words if len(w) >= 6 and w not in _STOP}


def _related(given: str, key: str, lk: Lookups) -> bool:
    """The same condition by title (I10 and I12.9 both name hypertension)."""
    return bool(_stems(lk.title(given, ICD)) & _stems(lk.title(key, ICD)))


def _match(
    codes: Sequence[str], accepts: Sequence[tuple[str, ...]], used_a: set[int], used_k: set[int]
) -> dict[int, int]:
    """Greedy one-to-one match, entries in order, each to the first keyed item that accepts it."""
    pairs: dict[int, int] = {}
    for i, code in enumerate(codes):
        if i in used_a or not code:
            continue
        for j, accepted in enumerate(accepts):
            if j not in used_k and code in accepted:
                pairs[i] = j
                used_a.add(i)
                used_k.add(j)
                break
    return pairs


def _near(
    codes: Sequence[str],
    keys: Sequence[str],
    used_a: set[int],
    used_k: set[int],
    width: int,
    lk: Lookups | None = None,
) -> dict[int, int]:
    """Pair leftovers sharing their first ``width`` characters, longest shared prefix first;
    with ``lk``, only codes that name the same condition (see ``_related``)."""
    options = [
        (-_shared_prefix(_bare(codes[i]), _bare(keys[j])), i, j)
        for i in range(len(codes))
        if i not in used_a and codes[i]
        for j in range(len(keys))
        if j not in used_k
        and codes[i][:width] == keys[j][:width]
        and (lk is None or _related(codes[i], keys[j], lk))
    ]
    pairs: dict[int, int] = {}
    for _, i, j in sorted(options):
        if i not in used_a and j not in used_k:
            pairs[i] = j
            used_a.add(i)
            used_k.add(j)
    return pairs


def grade_diagnoses(
    keyed: Sequence[KeyedDiagnosis],
    entered: Sequence[str],
    dos: date,
    lk: Lookups,
    not_coded: Sequence[NotCoded] = (),
) -> DxOutcome:
    """Align and judge the diagnosis list; ``not_coded`` are the key's named decoys."""
    codes = [lk.norm_dx(c) for c in entered]  # a blank entry normalises to ""
    keys = [lk.norm_dx(d.code) for d in keyed]
    used_a: set[int] = set()
    used_k: set[int] = set()
    exact = _match(codes, [(k,) for k in keys], used_a, used_k)
    if any(d.alternates for d in keyed):
        accepts = [tuple(lk.norm_dx(a) for a in d.alternates) for d in keyed]
        exact.update(_match(codes, accepts, used_a, used_k))
    near: dict[int, int] = {}
    if len(used_a) < len(codes) and len(used_k) < len(keys):  # fuzzy passes only if needed
        near = _near(codes, keys, used_a, used_k, 3)
        near.update(_near(codes, keys, used_a, used_k, 1, lk))
    by_key = {j: i for i, j in (*exact.items(), *near.items())}
    pair_order = pair_order_errors(keys, by_key, lk)
    verdicts: list[LineVerdict] = []
    errors: list[GradeError] = []
    for j, d in enumerate(keyed):
        if not keys[j]:  # a blank keyed entry is no item (the key's slip, not the trainee's)
            continue
        i = by_key.get(j)
        errs: list[GradeError] = []
        given = codes[i] if i is not None else None
        ok = i in exact if i is not None else False
        if i is None and d.optional:  # guideline-optional and not entered: no item
            continue
        if i is None:
            text = sentence(
                "You did not report " + named(keys[j], lk.title(keys[j], ICD)),
                "the note documents it",
                "missing_code",
                d.rationale,
            )
            errs.append(
                GradeError("missing_code", keys[j], None, text, "diagnosis", j, "code", "under")
            )
        elif not ok:
            check = lk.check(codes[i], ICD, dos)
            kind = classify_pair(codes[i], keys[j], check, lk)
            text = _explain_pair(kind, codes[i], d, check, lk)
            # A code the payer rejects leaves the keyed condition unreported: lost payment.
            paired: Direction = "neutral" if check.valid else "under"
            errs.append(GradeError(kind, keys[j], codes[i], text, "diagnosis", i, "code", paired))
        elements = [ElementVerdict("code", keys[j], given, ok)]
        if j == 0 and i is not None:
            first = i == 0
            elements.append(ElementVerdict("sequence", "1", str(i + 1), first))
            if not first:
                ok = False
                errs.append(sequencing_error(keys, 0, codes[0], given, i, lk, d.rationale))
        elif j in pair_order:
            ok = False
            late = pair_order[j]
            elements.append(
                ElementVerdict(
                    "sequence", f"after {late.expected}", str((late.index or 0) + 1), False
                )
            )
            errs.append(late)
        verdicts.append(
            LineVerdict("diagnosis", j, i, keys[j], given, ok, tuple(elements), tuple(errs))
        )
        errors.extend(errs)
    matched = {codes[i] for i in by_key.values()}
    decoys = {lk.norm_dx(n.code): n for n in not_coded}
    seen: set[str] = set()
    for i, code in enumerate(codes):
        if i in used_a or not code:
            continue
        twice = code in matched or code in seen
        seen.add(code)
        check = lk.check(code, ICD, dos)
        kind = "extra_code" if twice or check.valid else _rejected(check)
        others = [c for c in codes if c and c != code]
        kind, text = _explain_extra(kind, code, check, lk, twice, decoys.get(code), others)
        direction: Direction = "over" if kind in ("extra_code", "excludes1_conflict") else "neutral"
        err = GradeError(kind, None, code, text, "diagnosis", i, "code", direction)
        errors.append(err)
        verdicts.append(
            LineVerdict(
                "diagnosis",
                None,
                i,
                None,
                code,
                False,
                (ElementVerdict("code", None, code, False),),
                (err,),
            )
        )
    partner = {i: j for j, i in by_key.items()}
    keyed_ix = frozenset(j for j, k in enumerate(keys) if k)
    entered_ix = frozenset(i for i, c in enumerate(codes) if c)
    return DxOutcome(
        tuple(verdicts),
        tuple(errors),
        partner,
        keyed_ix,
        entered_ix,
        tuple(keys),
        tuple(codes),
    )


__all__ = ["DxOutcome", "classify_pair", "grade_diagnoses"]
