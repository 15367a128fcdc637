"""The per-element errors of a procedure line, each with its explanation and revenue effect.

Split from the alignment code so the wording and the revenue direction of each error can be
reviewed on their own. Directions follow what an auditor records: a missing 25/59/X{EPSU}
or 50 loses payment (under), a missing 26/TC bills the global service (over), and the
reverse for the same modifiers entered without support.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from trainer.core.claims import KeyedLine, NotCoded, ServiceLine, pointer_letters
from trainer.core.grading.diagnoses import DxOutcome
from trainer.core.grading.em import code_level, em_family
from trainer.core.grading.explanations import named, not_coded_rule, sentence
from trainer.core.grading.lookups import Lookups, proc_kind
from trainer.core.grading.types import Direction, ElementVerdict, GradeError

UNDER_IF_MISSING = frozenset({"25", "59", "XE", "XS", "XP", "XU", "50"})
OVER_IF_MISSING = frozenset({"26", "TC"})
_INVALID_SLUG = {
    "header": "header_code",
    "deleted": "not_valid_on_dos",
    "not_effective": "not_valid_on_dos",
    "out_of_years": "not_valid_on_dos",
}


def _units(n: int) -> str:
    return f"{n} unit" if n == 1 else f"{n} units"


def title_of(code: str, lk: Lookups) -> str:
    return lk.title(code, proc_kind(code))


def modifier_errors(i: int, a: ServiceLine, k: ServiceLine, why: str) -> list[GradeError]:
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


def _dose(units: int, measure: str) -> str | None:
    """4 units of "10 mg" is "40 mg"; None for a measure that is not "<number> <measure>"."""
    amount, _, rest = measure.partition(" ")
    try:
        value = float(amount) * units
    except ValueError:
        return None
    return f"{value:g} {rest}".strip()


def _descriptor(code: str, units: int, lk: Lookups) -> str:
    """``J1885 is billed per 15 mg: the documented 30 mg is 2 units`` for a drug code, else "".

    CMS descriptors give some units as "per 1 ml" (the sentence says "per" itself) and some
    as a dose cap, "up to 30 millicuries", which is one unit a dose rather than a measure."""
    unit = lk.drug_unit(code)
    if not unit:
        return ""
    measure = unit.removeprefix("per ").strip()
    dose = _dose(units, measure)
    if dose is None:
        return f"{code} is billed per dose of {measure}, one unit a dose: {_units(units)}"
    return f"{code} is billed per {measure}: the documented {dose} is {_units(units)}"


def units_error(
    i: int,
    a: ServiceLine,
    k: ServiceLine,
    dos: date,
    lk: Lookups,
    why: str,
    setting: str = "professional",
) -> GradeError:
    cap = lk.mue(a.code, dos, setting)
    descriptor = _descriptor(k.code, k.units, lk) if a.code == k.code else ""
    supported = descriptor or f"the note supports {_units(k.units)}"
    if cap is not None and a.units > cap:
        text = sentence(
            f"You reported {_units(a.units)} of {a.code}, over its MUE of {cap} a day",
            supported,
            "mue_exceeded",
        )
        return GradeError(
            "mue_exceeded", str(k.units), str(a.units), text, "line", i, "units", "over"
        )
    direction: Direction = "under" if a.units < k.units else "over"
    text = sentence(f"You reported {_units(a.units)} of {a.code}", supported, "wrong_units", why)
    return GradeError(
        "wrong_units", str(k.units), str(a.units), text, "line", i, "units", direction
    )


def pointer_check(
    i: int, a: ServiceLine, k: ServiceLine, dx: DxOutcome
) -> tuple[ElementVerdict | None, GradeError | None, bool]:
    """Pointers compared as the diagnoses they point at; only the first one costs the line."""
    want = [p - 1 for p in k.pointers if p - 1 in dx.keyed]
    if not want:  # no pointers keyed (or only pointers past the keyed list): not graded
        return None, None, True
    # Pointers at blank or absent entries point at nothing and are ignored, like the key's.
    pointed_at = [p - 1 for p in a.pointers if p - 1 in dx.entered]
    supporting = dx.key_codes[want[0]]
    # Right when it points at the entry standing for the supporting diagnosis, or at an entry
    # holding that very code (a duplicate of it): the payer reads the code, not the slot.
    first_ok = bool(pointed_at) and (
        dx.partner.get(pointed_at[0]) == want[0] or dx.codes[pointed_at[0]] == supporting
    )
    expected = pointer_letters(k.pointers)
    given = pointer_letters(a.pointers) or None
    # Only the first pointer is graded, and the element says exactly that: a line never shows
    # a pointer error while being counted right (or the reverse).
    verdict = ElementVerdict("pointers", expected, given, first_ok)
    if first_ok:
        return verdict, None, True
    pointed = ", ".join(f"{pointer_letters((p + 1,))} ({dx.codes[p]})" for p in pointed_at)
    entered = (
        f"Line {a.code} points first at {pointed.split(', ')[0]}"
        if pointed
        else (f"Line {a.code} points at no diagnosis")
    )
    lead = f"the first pointer must be the diagnosis that supports the line, {supporting}"
    if supporting not in dx.codes:
        lead += " (not on your claim)"
    text = sentence(entered, lead, "wrong_pointer")
    return (
        verdict,
        GradeError("wrong_pointer", expected, given, text, "line", i, "pointers"),
        False,
    )


def code_error(i: int, a: ServiceLine, kl: KeyedLine, dos: date, lk: Lookups) -> GradeError:
    k = kl.line
    check = lk.check(a.code, proc_kind(a.code), dos)
    given, expected = named(a.code, title_of(a.code, lk)), named(k.code, title_of(k.code, lk))
    if not check.valid:
        kind = _INVALID_SLUG.get(check.reason or "", "invalid_code")
        text = sentence(
            f"You entered {a.code}: {check.message or 'not a valid code'}",
            f"the note supports {expected}",
            kind,
            kl.rationale,
        )
        # The payer rejects the line, so the keyed service goes unpaid.
        return GradeError(kind, k.code, a.code, text, "line", i, "code", "under")
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


def addon_error(
    i: int, a: ServiceLine, entered: Sequence[ServiceLine], lk: Lookups
) -> GradeError | None:
    """A type 1 add-on code entered without any of its listed primary codes on the claim."""
    edit = lk.add_on(a.code)
    if edit is None or edit.edit_type != 1 or not edit.primaries:
        return None
    if any(other.code in edit.primaries for other in entered):
        return None
    listed = ", ".join(sorted(edit.primaries)[:6]) + (", ..." if len(edit.primaries) > 6 else "")
    text = sentence(
        f"You reported the add-on code {a.code} without its primary service",
        f"CMS pays {a.code} only with one of {listed} on the same claim (NCCI add-on code "
        "edit, type 1)",
        "addon_without_primary",
    )
    return GradeError("addon_without_primary", listed, a.code, text, "line", i, "code", "over")


def extra_error(
    i: int,
    a: ServiceLine,
    entered: Sequence[ServiceLine],
    dos: date,
    lk: Lookups,
    decoys: Mapping[str, NotCoded] | None = None,
    setting: str = "professional",
) -> GradeError:
    """An entered line the key does not hold, with the reason that applies: invalid, bundled
    by NCCI with another entered line (the pair named), the key's decoy reason (inside the
    global package, for example), a duplicate, else a neutral sentence claiming no rule."""
    check = lk.check(a.code, proc_kind(a.code), dos)
    if not check.valid:
        kind = _INVALID_SLUG.get(check.reason or "", "invalid_code")
        text = sentence(
            f"You entered {a.code}: {check.message or 'not a valid code'}",
            "the key has no such line",
            kind,
        )
        return GradeError(kind, None, a.code, text, "line", i, "code")
    decoy = (decoys or {}).get(a.code)
    for other in entered:
        edit = lk.ncci(other.code, a.code, dos, setting) if other.code != a.code else None
        if edit is not None:
            # The key's decoy names the rule behind the pair (the CPT guideline, the NCCI
            # policy chapter); without one, the general NCCI sentence.
            own = decoy.rationale if decoy is not None and decoy.reason == "ncci_bundled" else ""
            text = sentence(
                f"You reported {a.code} with {other.code}",
                f"NCCI bundles {a.code} into {other.code} (modifier indicator "
                f"{edit.modifier_indicator}) and the note supports no separate service",
                "ncci_unbundled",
                own or getattr(edit, "rationale", "") or "",
            )
            return GradeError("ncci_unbundled", other.code, a.code, text, "line", i, "code", "over")
    # A duplicate is the same code with the same modifiers: 92928-LD and 92928-RC are two
    # vessels, not one service twice. The key's decoy, when it names a rule, says why the code
    # is not reported at all, which matters more than how often it was entered.
    again = sum(1 for o in entered if (o.code, o.modifiers) == (a.code, a.modifiers)) > 1
    reported = f"You reported {named(a.code, title_of(a.code, lk))}"
    if decoy is not None and not_coded_rule(decoy.reason)[0]:
        supported, why = not_coded_rule(decoy.reason, decoy.rationale)
        text = f"{reported}; {supported}. Rule: {why}"
    elif again:
        supported, why = not_coded_rule("duplicate")
        text = f"{reported} on more than one line; {supported}. Rule: {why}"
    else:
        text = sentence(reported, "the key does not report it for this encounter", "extra_code")
    return GradeError("extra_code", None, a.code, text, "line", i, "code", "over")


__all__ = [
    "addon_error",
    "code_error",
    "extra_error",
    "modifier_errors",
    "pointer_check",
    "title_of",
    "units_error",
]
