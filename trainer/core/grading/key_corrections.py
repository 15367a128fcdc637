"""Key corrections: a supervisor's fix of a key, applied on top of the key an attempt stored.

The stored key never changes (it is what the trainee was first graded on); a correction is a
small, ordered patch, so every attempt of the template can be regraded against the corrected
key and both grades kept in history. A correction replaces codes, accepts more codes, and
makes ``KeyChange``s: add a missing diagnosis or line, remove a code, change a line's
modifiers, units, revenue code or pointers, or move a diagnosis in the sequence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from trainer.core.claims import (
    MAX_DIAGNOSES,
    MAX_INPATIENT_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    MAX_UNITS,
    MIN_UNITS,
    AnswerKey,
    Claim,
    KeyedDiagnosis,
    KeyedLine,
    ServiceLine,
    diagnosis_limit,
)
from trainer.core.integers import IntegerInputError, parse_int

CHANGE_OPS: tuple[str, ...] = (
    "add_diagnosis",
    "add_line",
    "remove",
    "change_line",
    "move_diagnosis",
)


class KeyChangeError(ValueError):
    """A change that cannot be read; the message says which part and why."""


@dataclass(frozen=True)
class KeyChange:
    """One edit of a key. ``None`` fields are left as they are (on ``change_line``).

    ``position`` is 1-based: where an added diagnosis goes, or where a moved one moves to
    (None adds at the end); it is read up to the widest claim's last diagnosis (the 837I's
    25th), and ``diagnosis_problem`` holds it to the corrected key's own claim. ``revenue_code``
    "" clears it.
    """

    op: str
    code: str
    position: int | None = None
    modifiers: tuple[str, ...] | None = None
    units: int | None = None
    revenue_code: str | None = None
    pointers: tuple[int, ...] | None = None
    rationale: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"op": self.op, "code": self.code}
        for name in ("position", "units", "revenue_code"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.modifiers is not None:
            data["modifiers"] = list(self.modifiers)
        if self.pointers is not None:
            data["pointers"] = list(self.pointers)
        if self.rationale:
            data["rationale"] = self.rationale
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KeyChange:
        op = str(data.get("op") or "")
        if op not in CHANGE_OPS:
            raise KeyChangeError(f"a change is one of {', '.join(CHANGE_OPS)}")
        code = str(data.get("code") or "").strip().upper()
        if not code or len(code) > 8:
            raise KeyChangeError(f"{op}: name the code it is about")
        try:
            position = _optional_int(data.get("position"), "position", 1, MAX_INPATIENT_DIAGNOSES)
            units = _optional_int(data.get("units"), "units", MIN_UNITS, MAX_UNITS)
            pointers = data.get("pointers")
            pointer_list = (
                None
                if pointers is None
                else tuple(
                    parse_int(p, "pointer", 1, MAX_DIAGNOSES) for p in list(pointers)[:MAX_POINTERS]
                )
            )
        except IntegerInputError as exc:
            raise KeyChangeError(f"{op} {code}: {exc.field} must be {exc.message}") from exc
        mods = data.get("modifiers")
        modifiers = (
            None
            if mods is None
            else tuple(str(m).strip().upper() for m in list(mods)[:MAX_MODIFIERS] if str(m).strip())
        )
        revenue = data.get("revenue_code")
        if op == "move_diagnosis" and position is None:
            raise KeyChangeError(f"move {code}: give the position to move it to")
        return cls(
            op,
            code,
            position,
            modifiers,
            units,
            None if revenue is None else str(revenue).strip(),
            pointer_list,
            str(data.get("rationale") or "").strip()[:1000],
        )


def _optional_int(value: Any, name: str, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    return parse_int(value, name, low, high)


@dataclass(frozen=True)
class Correction:
    """Replace keyed codes, accept more codes in place of keyed ones, and make changes."""

    replace: Mapping[str, str]
    accept: Mapping[str, Sequence[str]]
    reason: str = ""
    changes: Sequence[KeyChange] = field(default_factory=tuple)


def _diagnosis(item: KeyedDiagnosis, fix: Correction) -> KeyedDiagnosis:
    code = fix.replace.get(item.code, item.code)
    extra = tuple(fix.accept.get(item.code, ())) + tuple(fix.accept.get(code, ()))
    note = f" Corrected key: {fix.reason}" if code != item.code and fix.reason else ""
    alternates = tuple(dict.fromkeys(item.alternates + extra))
    return replace(item, code=code, alternates=alternates, rationale=item.rationale + note)


def _line(item: KeyedLine, fix: Correction) -> KeyedLine:
    code = fix.replace.get(item.line.code, item.line.code)
    extra = tuple(fix.accept.get(item.line.code, ())) + tuple(fix.accept.get(code, ()))
    note = f" Corrected key: {fix.reason}" if code != item.line.code and fix.reason else ""
    return replace(
        item,
        line=replace(item.line, code=code),
        alternates=tuple(dict.fromkeys(item.alternates + extra)),
        rationale=item.rationale + note,
    )


def _note(rationale: str, reason: str) -> str:
    return f"{rationale} Corrected key: {reason}".strip() if reason else rationale


def _with_pointers(
    lines: Sequence[KeyedLine], moved: Mapping[int, int | None]
) -> tuple[KeyedLine, ...]:
    """Lines whose pointers follow their diagnoses to new positions (dropped if removed)."""
    out = []
    for kl in lines:
        kept = tuple(n + 1 for p in kl.line.pointers if (n := moved.get(p - 1, p - 1)) is not None)
        out.append(replace(kl, line=replace(kl.line, pointers=kept)))
    return tuple(out)


def _reorder(key: AnswerKey, diagnoses: list[KeyedDiagnosis], old: list[int | None]) -> AnswerKey:
    """``old[i]`` is the index diagnosis ``i`` had before (None: newly added)."""
    moved: dict[int, int | None] = {j: None for j in range(len(key.diagnoses))}
    moved.update({o: i for i, o in enumerate(old) if o is not None})
    return replace(key, diagnoses=tuple(diagnoses), lines=_with_pointers(key.lines, moved))


def _dx_index(key: AnswerKey, code: str) -> int | None:
    return next((i for i, d in enumerate(key.diagnoses) if d.code == code), None)


def _line_index(key: AnswerKey, code: str) -> int | None:
    return next((i for i, k in enumerate(key.lines) if k.line.code == code), None)


def _drop_from_alternates(key: AnswerKey, code: str) -> tuple[Claim, ...]:
    return tuple(
        replace(
            alt,
            diagnoses=tuple(d for d in alt.diagnoses if d != code),
            lines=tuple(ln for ln in alt.lines if ln.code != code),
        )
        for alt in key.alternate_sets
    )


def apply_change(key: AnswerKey, change: KeyChange, reason: str = "") -> AnswerKey:
    """The key with one change made; a change whose target is gone is skipped, so a later
    correction never breaks an attempt whose key already differs."""
    code, op = change.code, change.op
    decoys = tuple(n for n in key.not_coded if n.code != code)  # a keyed code is no decoy
    if op == "add_diagnosis" and _dx_index(key, code) is None:
        items = list(key.diagnoses)
        at = len(items) if change.position is None else min(change.position - 1, len(items))
        items.insert(at, KeyedDiagnosis(code, _note(change.rationale, reason)))
        old: list[int | None] = list(range(len(key.diagnoses)))
        old.insert(at, None)
        within = items[: diagnosis_limit(key.setting)]
        return replace(_reorder(key, within, old), not_coded=decoys)
    if op == "add_line" and _line_index(key, code) is None and len(key.lines) < MAX_LINES:
        line = ServiceLine(
            code,
            change.modifiers or (),
            change.units or 1,
            change.revenue_code or None,
            () if key.setting == "facility" else (change.pointers or ()),
        )
        added = KeyedLine(line, _note(change.rationale, reason))
        return replace(key, lines=(*key.lines, added), not_coded=decoys)
    if op == "remove":
        j = _dx_index(key, code)
        if j is not None:
            items = [d for d in key.diagnoses if d.code != code]
            kept: list[int | None] = [i for i, d in enumerate(key.diagnoses) if d.code != code]
            key = _reorder(key, items, kept)
        lines = tuple(k for k in key.lines if k.line.code != code)
        return replace(key, lines=lines, alternate_sets=_drop_from_alternates(key, code))
    if op == "move_diagnosis" and change.position is not None:
        j = _dx_index(key, code)
        if j is None:
            return key
        order = list(range(len(key.diagnoses)))
        order.pop(j)
        order.insert(min(change.position - 1, len(order)), j)
        items = [key.diagnoses[i] for i in order]
        items = [
            replace(d, rationale=_note(d.rationale, reason)) if d.code == code else d for d in items
        ]
        before: list[int | None] = list(order)
        return _reorder(key, items, before)
    if op == "change_line":
        j = _line_index(key, code)
        if j is None:
            return key
        kl = key.lines[j]
        line = kl.line
        line = replace(
            line,
            modifiers=line.modifiers if change.modifiers is None else change.modifiers,
            units=line.units if change.units is None else change.units,
            revenue_code=(
                line.revenue_code if change.revenue_code is None else change.revenue_code or None
            ),
            pointers=line.pointers if change.pointers is None else change.pointers,
        )
        changed = replace(kl, line=line, rationale=_note(kl.rationale, reason))
        return replace(key, lines=(*key.lines[:j], changed, *key.lines[j + 1 :]))
    return key


def _claim_diagnoses(setting: str) -> str:
    """How many diagnoses the key's claim carries, and why (for a supervisor to read)."""
    if setting == "inpatient":
        return (
            f"an inpatient claim carries {MAX_INPATIENT_DIAGNOSES} diagnoses (the 837I: the "
            f"principal diagnosis and {MAX_INPATIENT_DIAGNOSES - 1} others)"
        )
    if setting == "facility":
        return f"an outpatient UB-04 is keyed with at most {MAX_DIAGNOSES} diagnoses"
    return f"a CMS-1500 carries {MAX_DIAGNOSES} diagnoses (box 21, A-L)"


def diagnosis_problem(key: AnswerKey, change: KeyChange) -> str | None:
    """Why a change would put a diagnosis past the last one the key's claim carries (25 on an
    inpatient claim, 12 otherwise), or None. ``apply_change`` would otherwise cut the
    sequence at the limit, dropping the last keyed diagnosis."""
    if change.op not in ("add_diagnosis", "move_diagnosis"):
        return None
    limit, claim = diagnosis_limit(key.setting), _claim_diagnoses(key.setting)
    if change.position is not None and change.position > limit:
        return (
            f"{change.code}: position {change.position} is past the claim's last diagnosis: "
            f"{claim}."
        )
    if change.op == "add_diagnosis" and len(key.diagnoses) >= limit:
        return (
            f"{change.code} cannot be added: the key already holds {len(key.diagnoses)} "
            f"diagnoses and {claim}; remove one first."
        )
    return None


def apply_corrections(key: AnswerKey, corrections: Iterable[Correction]) -> AnswerKey:
    """The key with every correction applied in order (later ones see earlier ones' codes)."""
    for fix in corrections:
        key = replace(
            key,
            diagnoses=tuple(_diagnosis(d, fix) for d in key.diagnoses),
            lines=tuple(_line(k, fix) for k in key.lines),
        )
        for change in fix.changes:
            key = apply_change(key, change, fix.reason)
    return key


#: Changes one correction makes (enough to key a long stay's secondaries in one go).
MAX_CHANGES = 25


def changes_from(raw: Any) -> tuple[KeyChange, ...]:
    """Stored changes (a JSON list) read back; raises KeyChangeError on a bad one, and on
    more than ``MAX_CHANGES`` (once the ones past 20 were dropped without a word)."""
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list | tuple):
        raise KeyChangeError("changes must be a list")
    if len(raw) > MAX_CHANGES:
        raise KeyChangeError(f"a correction makes at most {MAX_CHANGES} changes")
    return tuple(
        KeyChange.from_dict(item) if isinstance(item, Mapping) else _not_a_change() for item in raw
    )


def _not_a_change() -> KeyChange:
    raise KeyChangeError("each change is an object with 'op' and 'code'")


def key_codes(key: AnswerKey) -> set[str]:
    """Every code a key holds, for checking that a correction targets something real."""
    return {d.code for d in key.diagnoses} | {k.line.code for k in key.lines}
