"""Key corrections: a supervisor's fix of a key, applied on top of the key an attempt stored.

The stored key never changes (it is what the trainee was first graded on); a correction is a
small, ordered patch, so every attempt of the template can be regraded against the corrected
key and both grades kept in history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from trainer.core.claims import AnswerKey, KeyedDiagnosis, KeyedLine


@dataclass(frozen=True)
class Correction:
    """Replace keyed codes, and/or accept more codes in place of keyed ones."""

    replace: Mapping[str, str]
    accept: Mapping[str, Sequence[str]]
    reason: str = ""


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


def apply_corrections(key: AnswerKey, corrections: Iterable[Correction]) -> AnswerKey:
    """The key with every correction applied in order (later ones see earlier ones' codes)."""
    for fix in corrections:
        key = replace(
            key,
            diagnoses=tuple(_diagnosis(d, fix) for d in key.diagnoses),
            lines=tuple(_line(k, fix) for k in key.lines),
        )
    return key


def key_codes(key: AnswerKey) -> set[str]:
    """Every code a key holds, for checking that a correction targets something real."""
    return {d.code for d in key.diagnoses} | {k.line.code for k in key.lines}
