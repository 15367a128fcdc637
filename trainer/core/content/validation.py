"""The template validator: every variant rendered and its key checked before anyone sees it.

Fails, with file and line, on: a template that does not load; an undefined variable; a key
code not valid on the chart's date of service; a key that does not grade 100% against itself;
a correct claim (the key) that the claim-edit replay (real NCCI, MUE, add-on, PFS and age/sex
edits) denies, unless the template declares that denial in ``intended_denials``;
two variants with the same key (a minimal pair must change the answer); a chart or a title
that prints a key code (the title is shown with the chart, before the answer, so it may not
name a key code, its ICD-10-CM category or a key modifier either); revenue codes missing on
facility lines or present on professional ones; and what a coder reading the chart would
find unreal (``realism``: doubled credentials, British spellings, coding instructions, a
facility or signer that does not fit, raw table pipes, identical variants).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import TemplateError as JinjaError
from jinja2 import UndefinedError

from trainer.core.codesets.codes import guess_kind
from trainer.core.content.consistency import disagreements, keyed_in
from trainer.core.content.generation import DOS_WINDOW, generate
from trainer.core.content.key_rules import key_rule_problems
from trainer.core.content.pairs import pair_problems, paired_professionals
from trainer.core.content.realism import chart_problems, identical_charts
from trainer.core.content.templates import Template, TemplateLibrary, load_library
from trainer.core.grading.grader import grade
from trainer.core.grading.types import PatientFacts


@dataclass
class CheckReport:
    problems: list[tuple[str, int | None, str]] = field(default_factory=list)
    # Not failures: what a template could teach better (a key without decoys gives every
    # extra code the neutral sentence; issue 17). Listed and counted, never fail the check.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    without_decoys: int = 0
    specialties: int = 0
    templates: int = 0
    variants: int = 0
    distinct_keys: int = 0
    charts_rendered: int = 0
    pairs: int = 0  # professional templates with a facility twin that names them back
    # The content targets of issue 20: the smallest specialty, and how many templates are at
    # certification level (difficulty 4-5).
    smallest_specialty: tuple[str, int] = ("", 0)
    certification_level: int = 0

    def add(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.problems.append((str(path), line, message))

    def render(self) -> str:
        lines = [f"{p}:{ln}: {m}" if ln else f"{p}: {m}" for p, ln, m in self.problems]
        lines += [f"{p}: warning: {m}" for p, m in self.warnings]
        lines.append(
            f"{self.without_decoys} template(s) without [[key.not_coded]] decoys; "
            f"{len(self.warnings)} warning(s)"
        )
        lines.append(
            f"{self.specialties} specialties, {self.templates} templates, {self.variants} "
            f"variants ({self.distinct_keys} distinct keyed variants), {self.charts_rendered} "
            f"charts rendered; {self.pairs} professional + facility pairs; "
            f"{len(self.problems)} problem(s)"
        )
        name, size = self.smallest_specialty
        share = self.certification_level / self.templates if self.templates else 0.0
        lines.append(
            f"smallest specialty: {name} ({size} templates); at difficulty 4-5: "
            f"{self.certification_level} of {self.templates} ({share:.0%})"
        )
        return "\n".join(lines)


def _key_signature(key: Any) -> tuple[Any, ...]:
    claim = key.as_claim()
    return (
        claim.diagnoses,
        claim.poa,
        tuple(p.code for p in claim.procedures),
        tuple(
            (k.line.code, k.line.modifiers, k.line.units, k.line.revenue_code) for k in key.lines
        ),
    )


def _codes_in_key(key: Any) -> list[tuple[str, str]]:
    found = [(d.code, "icd10cm") for d in key.diagnoses]
    found.extend((p.code, "icd10pcs") for p in getattr(key, "procedures", ()))
    for keyed in key.lines:
        found.append((keyed.line.code, guess_kind(keyed.line.code) or "cpt"))
        found.extend((m, "modifier") for m in keyed.line.modifiers)
        if keyed.line.revenue_code:
            found.append((keyed.line.revenue_code, "revenue"))
    return found


def _gives_away(chart: str, code: str) -> bool:
    if len(code) < 3 or code.isalpha():
        return False
    pattern = (
        re.escape(code) + "|" + re.escape(code.replace(".", "")) if "." in code else re.escape(code)
    )
    return re.search(rf"(?<![\w.])({pattern})(?![\w])", chart) is not None


_TOKEN = re.compile(r"(?<![\w.])[A-Za-z0-9][A-Za-z0-9.]*[A-Za-z0-9](?![\w])")


def title_gives_away(title: str, codes: set[tuple[str, str]]) -> list[str]:
    """What a template title reveals of its keys (every variant's codes, with their kinds):
    a key code, an ICD-10-CM category or subcategory of one (M17, E78.01), a key modifier."""
    found = []
    for token in dict.fromkeys(_TOKEN.findall(title)):
        bare = token.upper().replace(".", "")
        for code, kind in sorted(codes):
            if kind == "modifier":
                continue
            if kind in ("icd10cm", "cpt", "hcpcs", "revenue", "icd10pcs") and _gives_away(
                token, code
            ):
                found.append(f"key code {token}")
                break
            icd_like = len(bare) >= 3 and bare[0].isalpha() and bare[1:3].isdigit()
            if kind == "icd10cm" and icd_like and code.replace(".", "").startswith(bare):
                found.append(f"{token}, the category of key code {code}")
                break
    for code in sorted(c for c, kind in codes if kind == "modifier"):
        named = rf"modifiers?[\s-]+{re.escape(code)}\b|\b{re.escape(code)}[\s-]+modifier"
        if re.search(named, title, re.IGNORECASE):
            found.append(f"key modifier {code}")
    return found


def _fiscal_windows(template: Template) -> list[tuple[date, date]]:
    """One ICD-10-CM fiscal year per window, within the generator's dates of service."""
    low, high = DOS_WINDOW
    windows = []
    for year in range(low.year + 1, high.year + 1):
        start, end = max(low, date(year - 1, 10, 1)), min(high, date(year, 9, 30))
        if start <= end and any(start.year <= y <= end.year for y in template.code_years):
            windows.append((start, end))
    return windows


def check_template(
    template: Template,
    catalog: Any,
    report: CheckReport,
    seeds: int,
    rendered: list[tuple[str, str, Any]] | None = None,
) -> None:
    """Render every variant (several seeds; and, for a template with a key per code year,
    once in every fiscal year, so each year's key is checked against that year's code set)."""
    meta = template.path / "template.toml"
    signatures: dict[tuple[Any, ...], str] = {}
    keyed: set[tuple[str, str]] = set()
    per_year = bool(template.key_spec.get("by_year"))
    windows = _fiscal_windows(template) if per_year else []
    charts: list[tuple[str, str]] = []
    for choice in template.choices():
        label = ", ".join(choice.values())
        runs: list[tuple[int, tuple[date, date] | None]] = [(seed, None) for seed in range(seeds)]
        runs += [(0, window) for window in windows]
        for seed, window in runs:
            try:
                variant = generate(template, seed, choices=choice, between=window)
            except UndefinedError as exc:
                report.add(template.path / "chart.md.j2", f"[{label}] undefined variable: {exc}")
                return
            except (JinjaError, ValueError, KeyError, TypeError) as exc:
                report.add(meta, f"[{label}] cannot render: {exc}")
                return
            report.charts_rendered += 1
            keyed.update(_codes_in_key(variant.key))
            _check_variant(template, variant, catalog, report, label)
            if seed == 0 and window is None:
                charts.append((label, variant.chart_markdown))
            if rendered is not None and seed == 0:
                rendered.append((str(template.path / "template.toml"), label, variant))
            newest = window is not None and window == windows[-1]
            if (seed == 0 and window is None and not per_year) or newest:
                signature = _key_signature(variant.key)
                if signature in signatures:
                    report.add(
                        meta,
                        f"variants [{signatures[signature]}] and [{label}] have the "
                        "same key: a variant must change the answer",
                    )
                signatures[signature] = label
    if not template.key_spec.get("not_coded"):
        report.without_decoys += 1
        report.warnings.append(
            (
                str(meta),
                "no [[key.not_coded]] decoys: an extra code the chart invites gets the "
                "neutral sentence instead of the rule that excludes it",
            )
        )
    for problem in identical_charts(charts):
        report.add(template.path / "chart.md.j2", problem)
    for revealed in title_gives_away(template.title, keyed):
        report.add(meta, f"the title names {revealed}: the trainee reads it before answering")
    report.variants += template.variant_count()
    report.distinct_keys += len(signatures)


def _check_variant(
    template: Template, variant: Any, catalog: Any, report: CheckReport, label: str
) -> None:
    meta = template.path / "template.toml"
    key, dos = variant.key, variant.date_of_service
    for code, kind in _codes_in_key(key):
        result = catalog.validate(code, kind, dos)
        if not result.valid:
            report.add(meta, f"[{label}] key code {code} ({kind}) on {dos}: {result.message}")
    for n, keyed in enumerate(key.lines):
        line = keyed.line
        if template.setting == "facility" and not line.revenue_code:
            report.add(meta, f"[{label}] facility line {n + 1} ({line.code}) has no revenue code")
        if template.setting == "professional" and line.revenue_code:
            report.add(meta, f"[{label}] professional line {n + 1} carries a revenue code")
        if any(p > len(key.diagnoses) for p in line.pointers):
            report.add(meta, f"[{label}] line {n + 1} points past the diagnoses")
    if template.setting == "inpatient":
        for d in key.diagnoses:
            if not d.poa:
                report.add(meta, f"[{label}] inpatient diagnosis {d.code} has no POA indicator")
        if key.lines:
            report.add(
                meta, f"[{label}] an inpatient key codes procedures in ICD-10-PCS, not lines"
            )
    keyed = {d.code for d in key.diagnoses} | {k.line.code for k in key.lines}
    for decoy in key.not_coded:
        if decoy.code in keyed:
            report.add(meta, f"[{label}] {decoy.code} is both keyed and listed as not coded")
        result = catalog.validate(decoy.code, guess_kind(decoy.code) or "icd10cm", dos)
        if not result.valid:
            report.add(meta, f"[{label}] not-coded decoy {decoy.code} on {dos}: {result.message}")
    for problem in key_rule_problems(template, variant, catalog):
        report.add(meta, f"[{label}] {problem}")
    sex = variant.patient.sex if variant.patient.sex in ("F", "M") else "F"
    patient = PatientFacts(variant.patient.age, sex, variant.patient.payer)  # type: ignore[arg-type]
    own = grade(key, key.as_claim(), "strict", dos, catalog=catalog, patient=patient)
    if own.score < 1.0 or not own.chart_correct:
        kinds = ", ".join(e.type for e in own.errors)
        report.add(meta, f"[{label}] the key does not grade 100% against itself ({kinds})")
    for edit in own.edits:
        if edit.action == "deny" and edit.rule not in template.intended_denials:
            line = key.lines[edit.line_index].line if edit.line_index < len(key.lines) else None
            shown = line.code if line else "?"
            report.add(
                meta,
                f"[{label}] the payer replay denies the key's line {edit.line_index + 1} "
                f"({shown}) on {dos}: {edit.reason} [{edit.rule}]",
            )
    for problem in chart_problems(template, variant):
        report.add(template.path / "chart.md.j2", f"[{label}] {problem}")
    for code, kind in _codes_in_key(key):
        if (kind == "icd10pcs" or guess_kind(code) in ("icd10cm", "cpt", "hcpcs")) and _gives_away(
            variant.chart_markdown, code
        ):
            report.add(template.path / "chart.md.j2", f"[{label}] the chart prints {code}")


def check_library(
    library: TemplateLibrary, catalog: Any, seeds_per_variant: int = 3
) -> CheckReport:
    report = CheckReport()
    for error in library.errors:
        report.add(error.file, error.message, error.line)
    rendered: list[tuple[str, str, Any]] = []
    for template in sorted(library.templates.values(), key=lambda t: str(t.path)):
        check_template(template, catalog, report, seeds_per_variant, rendered)
    for miss in disagreements(rendered):
        where = ", ".join(p for p in keyed_in(rendered, miss.codes) if p != miss.template)
        report.add(
            miss.template,
            f"[{miss.label}] the chart documents {miss.fact} but the key neither keys, accepts "
            f"nor declines (not_coded) {'/'.join(miss.codes)}"
            + (f"; keyed in {where}" if where else ""),
        )
    for path, problem in pair_problems(library):
        report.add(path, problem)
    report.pairs = len(paired_professionals(library))
    report.templates = len(library.templates)
    groups = library.by_specialty()
    report.specialties = len(groups)
    if groups:
        smallest = min(groups.items(), key=lambda item: (len(item[1]), item[0]))
        report.smallest_specialty = (smallest[0], len(smallest[1]))
    report.certification_level = sum(1 for t in library.templates.values() if t.difficulty >= 4)
    return report


def main(argv: list[str] | None = None) -> int:
    from trainer.config import PROJECT_ROOT
    from trainer.core.codesets.catalog import Catalog

    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0]) if args else PROJECT_ROOT / "exercises"
    report = check_library(load_library(root), Catalog.open())
    print(report.render())
    if report.templates == 0:
        print(f"{root}: no templates found (expected <specialty>/<slug>/template.toml)")
        return 1
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
