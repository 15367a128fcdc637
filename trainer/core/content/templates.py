"""Chart templates: folders of data (``template.toml`` + ``chart.md.j2``), loaded and checked.

A template is data, not code, so supervisors can author one without touching Python and a bad
template can never run anything: loading collects format errors with file and line instead of
raising, and the library serves every template that did load. The dataclasses a template
loads into are in ``template_model`` (importing them from here works).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

# tomli, not the standard library's tomllib: the same parser (tomllib is tomli 1.2 vendored),
# same results, but its wheels are compiled (mypyc), about 2.5x faster over the library's
# 239 template.toml files, which were a quarter of a worker's cold start.
import tomli

from trainer.core.content.template_model import (
    CLAIM_FORMS,
    SETTINGS,
    SPECIALTIES,
    Alternative,
    PatientRules,
    Template,
    TemplateError,
    TemplateLibrary,
    Variable,
)

REQUIRED = (
    "id",
    "version",
    "title",
    "specialty",
    "setting",
    "claim_form",
    "difficulty",
    "code_years",
)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def _variables(raw: Any, path: Path, text: str) -> tuple[Variable, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise TemplateError(
            path, "[[variables]] must be an array of tables", _line_of(text, "variables")
        )
    found = []
    for item in raw:
        name = item.get("name") if isinstance(item, dict) else None
        alts = item.get("alternatives") if isinstance(item, dict) else None
        if not name or not isinstance(alts, list) or len(alts) < 1:
            raise TemplateError(
                path,
                "each variable needs a name and [[variables.alternatives]]",
                _line_of(text, "[[variables]]"),
            )
        alternatives = []
        for alt in alts:
            if (
                not isinstance(alt, dict)
                or "label" not in alt
                or not isinstance(alt.get("values", {}), dict)
            ):
                raise TemplateError(
                    path,
                    f"variable {name!r}: an alternative needs a label and a values table",
                    _line_of(text, f'"{name}"'),
                )
            alternatives.append(Alternative(str(alt["label"]), dict(alt.get("values", {}))))
        labels = [a.label for a in alternatives]
        if len(set(labels)) != len(labels):
            raise TemplateError(
                path, f"variable {name!r}: alternative labels repeat", _line_of(text, f'"{name}"')
            )
        found.append(Variable(str(name), tuple(alternatives)))
    return tuple(found)


def _dos_from(meta: Mapping[str, Any], meta_path: Path, text: str) -> date | None:
    """``dos_from = 2026-04-01`` (a TOML date or an ISO string): the earliest date of service."""
    value = meta.get("dos_from")
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise TemplateError(
            meta_path, "dos_from must be a date (YYYY-MM-DD)", _line_of(text, "dos_from")
        ) from exc


def _strings(meta: Mapping[str, Any], name: str, path: Path, text: str) -> tuple[str, ...]:
    """An optional list of non-empty strings (``provider_credentials = ["MD", "DO"]``)."""
    raw = meta.get(name, [])
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
        raise TemplateError(
            path, f"{name} must be a list of non-empty strings", _line_of(text, name)
        )
    return tuple(v.strip() for v in raw)


def _claim_type(meta: Mapping[str, Any], path: Path, text: str) -> str:
    value = str(meta.get("claim_type", ""))
    if value not in ("", "dme"):
        raise TemplateError(
            path, "claim_type must be 'dme' or left out", _line_of(text, "claim_type")
        )
    if value and meta.get("setting") != "professional":
        raise TemplateError(path, "a DME supplier claim is a CMS-1500 (professional) claim")
    return value


PAIR = re.compile(r"^[a-z_]+/[a-z0-9-]+$")


def _pair(meta: Mapping[str, Any], path: Path, text: str) -> str:
    """The twin's ``specialty/slug`` (checked against the library by ``content.pairs``)."""
    value = meta.get("pair", "")
    if not isinstance(value, str) or (value and not PAIR.match(value)):
        raise TemplateError(
            path, 'pair must be "specialty/slug" of the twin template', _line_of(text, "pair")
        )
    return value


def _no_provider_table(meta: Mapping[str, Any], path: Path, text: str) -> None:
    """The old ``[provider] credentials`` table is refused, not ignored: a template that kept it
    would silently lose its signer rule and draw a signer from the chart-type default."""
    if "provider" in meta:
        raise TemplateError(
            path,
            "the [provider] table is no longer read: name who may sign with a top-level "
            'provider_credentials = ["MD", ...]',
            _line_of(text, "[provider]"),
        )


def load_template(folder: Path) -> Template:
    """Read one template folder; raises TemplateError naming the file and line."""
    meta_path = folder / "template.toml"
    body_path = folder / "chart.md.j2"
    if not meta_path.exists():
        raise TemplateError(meta_path, "template.toml is missing")
    if not body_path.exists():
        raise TemplateError(body_path, "chart.md.j2 is missing")
    notes_path = folder / "notes.md"
    return parse_template(
        meta_path.read_text(encoding="utf-8"),
        body_path.read_text(encoding="utf-8"),
        folder,
        notes_path.read_text(encoding="utf-8") if notes_path.exists() else "",
    )


def parse_template(
    text: str, body: str, folder: Path, notes: str = "", check_folder: bool = True
) -> Template:
    """A template from its TOML and chart text: files on disk, or a template a supervisor
    wrote in the browser (``check_folder=False``: it has no specialty folder)."""
    meta_path = folder / "template.toml"
    try:
        meta = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise TemplateError(
            meta_path, f"not valid TOML: {exc}", int(match.group(1)) if match else None
        ) from exc
    for name in REQUIRED:
        if name not in meta:
            raise TemplateError(meta_path, f"'{name}' is required")
    if not UUID.match(str(meta["id"])):
        raise TemplateError(meta_path, "id must be a lower-case uuid4", _line_of(text, "id ="))
    if meta["setting"] not in SETTINGS:
        raise TemplateError(
            meta_path,
            "setting must be professional, facility or inpatient",
            _line_of(text, "setting"),
        )
    if meta["claim_form"] != CLAIM_FORMS[meta["setting"]]:
        raise TemplateError(
            meta_path,
            f"a {meta['setting']} chart goes on the {CLAIM_FORMS[meta['setting']]}",
            _line_of(text, "claim_form"),
        )
    if meta["specialty"] not in SPECIALTIES:
        raise TemplateError(
            meta_path, f"unknown specialty {meta['specialty']!r}", _line_of(text, "specialty")
        )
    if check_folder and folder.parent.name != meta["specialty"]:
        raise TemplateError(
            meta_path,
            f"specialty {meta['specialty']!r} does not match the folder {folder.parent.name!r}",
            _line_of(text, "specialty"),
        )
    key = meta.get("key")
    if not isinstance(key, dict) or not (
        key.get("diagnoses") or key.get("lines") or key.get("procedures")
    ):
        raise TemplateError(
            meta_path,
            "a [key] with diagnoses and/or lines is required",
            _line_of(text, "[key") or None,
        )
    _no_provider_table(meta, meta_path, text)
    patient = meta.get("patient", {})
    return Template(
        id=str(meta["id"]),
        version=int(meta["version"]),
        slug=folder.name,
        title=str(meta["title"]),
        specialty=str(meta["specialty"]),
        setting=str(meta["setting"]),
        claim_form=str(meta["claim_form"]),
        difficulty=int(meta["difficulty"]),
        skills=tuple(str(s) for s in meta.get("skills", ())),
        code_years=tuple(int(y) for y in meta["code_years"]),
        place_of_service=str(meta.get("place_of_service", "")),
        chart_type=str(meta.get("chart_type", "")),
        patient=PatientRules(
            int(patient.get("min_age", 18)),
            int(patient.get("max_age", 90)),
            str(patient.get("sex", "any")),
            str(patient.get("payer", "any")),
        ),
        variables=_variables(meta.get("variables"), meta_path, text),
        key_spec=key,
        intended_denials=tuple(str(r) for r in meta.get("intended_denials", ())),
        provider_credentials=_strings(meta, "provider_credentials", meta_path, text),
        facility_kinds=_strings(meta, "facility_kinds", meta_path, text),
        claim_type=_claim_type(meta, meta_path, text),
        pair=_pair(meta, meta_path, text),
        dos_from=_dos_from(meta, meta_path, text),
        body=body,
        path=folder,
        notes=notes,
    )


def load_library(root: Path) -> TemplateLibrary:
    """Every template under ``root/<specialty>/<slug>/`` (or under one specialty folder given
    as ``root``); bad ones are reported, not fatal."""
    library = TemplateLibrary()
    found = set(Path(root).glob("*/*/template.toml")) | set(Path(root).glob("*/template.toml"))
    for meta in sorted(found):
        try:
            template = load_template(meta.parent)
        except TemplateError as exc:
            library.errors.append(exc)
            continue
        if template.id in library.templates:
            other = library.templates[template.id].path
            library.errors.append(TemplateError(meta, f"id repeats the one in {other}"))
            continue
        library.templates[template.id] = template
    return library


__all__ = [
    "Alternative",
    "CLAIM_FORMS",
    "PatientRules",
    "SETTINGS",
    "SPECIALTIES",
    "Template",
    "TemplateError",
    "TemplateLibrary",
    "Variable",
    "load_library",
    "load_template",
    "parse_template",
]
