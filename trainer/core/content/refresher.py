"""Annual code-update refreshers: what changed in an update, and which charts drill it.

An update is one code set's yearly release: ICD-10-CM takes effect on 1 October (the fiscal
year it is named for starts then), CPT and HCPCS on 1 January. ICD-10-PCS is loaded for one
fiscal year, so its update is that year's April addenda (1 April; the codes before it govern
discharges from 1 October). "What changed" comes from the
catalog's diff; the refresher set is every template whose key, on a date after the update,
uses a code the update added, or whose key before the update used a code the update deleted
or expanded (a trainee coding from memory enters the old code and is graded
``not_valid_on_dos`` with the replacement named).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trainer.core.codesets.codes import guess_kind
from trainer.core.codesets.icd10pcs_axes import SECTIONS as PCS_SECTIONS
from trainer.core.content.generation import DOS_WINDOW, generate
from trainer.core.content.templates import Template, TemplateLibrary
from trainer.core.integers import is_ascii_digits

KIND_LABELS = {
    "icd10cm": "ICD-10-CM",
    "cpt": "CPT",
    "hcpcs": "HCPCS Level II",
    "icd10pcs": "ICD-10-PCS",
}

# ICD-10-CM chapters by 3-character category range (public-domain structure of the code set).
ICD_CHAPTERS: tuple[tuple[str, str, str], ...] = (
    ("A00", "B99", "1 Certain infectious and parasitic diseases"),
    ("C00", "D49", "2 Neoplasms"),
    ("D50", "D89", "3 Blood and immune mechanism"),
    ("E00", "E89", "4 Endocrine, nutritional and metabolic"),
    ("F01", "F99", "5 Mental, behavioral and neurodevelopmental"),
    ("G00", "G99", "6 Nervous system"),
    ("H00", "H59", "7 Eye and adnexa"),
    ("H60", "H95", "8 Ear and mastoid process"),
    ("I00", "I99", "9 Circulatory system"),
    ("J00", "J99", "10 Respiratory system"),
    ("K00", "K95", "11 Digestive system"),
    ("L00", "L99", "12 Skin and subcutaneous tissue"),
    ("M00", "M99", "13 Musculoskeletal system and connective tissue"),
    ("N00", "N99", "14 Genitourinary system"),
    ("O00", "O9A", "15 Pregnancy, childbirth and the puerperium"),
    ("P00", "P96", "16 Perinatal period"),
    ("Q00", "Q99", "17 Congenital malformations"),
    ("R00", "R99", "18 Symptoms, signs and abnormal findings"),
    ("S00", "T88", "19 Injury, poisoning and other consequences of external causes"),
    ("U00", "U85", "22 Codes for special purposes"),
    ("V00", "Y99", "20 External causes of morbidity"),
    ("Z00", "Z99", "21 Factors influencing health status and contact with health services"),
)

CPT_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("00100", "01999", "Anesthesia"),
    ("10004", "69990", "Surgery"),
    ("70010", "79999", "Radiology"),
    ("80047", "89398", "Pathology and laboratory"),
    ("90281", "99199", "Medicine"),
    ("99202", "99499", "Evaluation and management"),
    ("99500", "99607", "Medicine"),
)


@dataclass(frozen=True, slots=True)
class CodeUpdate:
    """One yearly release of one code set."""

    kind: str
    year: int

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.year}"

    @property
    def label(self) -> str:
        if self.kind == "icd10pcs":
            return f"April {self.year} ICD-10-PCS update (FY{self.year} addenda)"
        prefix = "FY" if self.kind == "icd10cm" else ""
        return f"{prefix}{self.year} {KIND_LABELS.get(self.kind, self.kind)} update"

    @property
    def window(self) -> tuple[date, date]:
        """Dates of service the updated code set governs."""
        if self.kind == "icd10cm":
            return date(self.year - 1, 10, 1), date(self.year, 9, 30)
        if self.kind == "icd10pcs":
            return date(self.year, 4, 1), date(self.year, 9, 30)
        return date(self.year, 1, 1), date(self.year, 12, 31)

    @property
    def before(self) -> tuple[date, date]:
        if self.kind == "icd10pcs":  # the same fiscal year, October to March
            return date(self.year - 1, 10, 1), date(self.year, 3, 31)
        start, end = self.window
        return start.replace(year=start.year - 1), end.replace(year=end.year - 1)

    @property
    def effective(self) -> date:
        return self.window[0]

    @classmethod
    def from_slug(cls, slug: str) -> CodeUpdate | None:
        kind, _, year = slug.partition("-")
        if kind not in KIND_LABELS or not is_ascii_digits(year) or len(year) != 4:
            return None
        return cls(kind, int(year))


@dataclass(frozen=True, slots=True)
class Change:
    """One code the update touched, with its old-to-new mapping where one exists."""

    change: str  # added | deleted | revised
    code: str
    title: str
    old_title: str = ""
    mapping: tuple[str, ...] = ()  # deleted: its replacements; added: the codes it replaces


@dataclass
class ChangeSet:
    update: CodeUpdate
    changes: list[Change]
    by_chapter: dict[str, list[Change]] = field(default_factory=dict)
    by_specialty: dict[str, list[Change]] = field(default_factory=dict)

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)


@dataclass(frozen=True, slots=True)
class RefresherItem:
    """A template in an update's refresher set, and which of its codes the update touched."""

    template_id: str
    title: str
    specialty: str
    new_codes: tuple[str, ...]
    retired_codes: tuple[str, ...]


def chapter_of(code: str, kind: str) -> str:
    if kind == "icd10cm":
        category = code[:3].upper()
        for start, end, title in ICD_CHAPTERS:
            # 'X99' closes a chapter that also holds lettered categories (QA0 after Q99).
            if start <= category <= (end[0] + "ZZ" if end.endswith("99") else end):
                return title
        return "Other"
    if kind == "cpt":
        if code[-1:].isalpha():
            return "Category II and III"
        for start, end, title in CPT_SECTIONS:
            if start <= code[:5] <= end:
                return title
        return "Other"
    if kind == "icd10pcs":
        return f"PCS section {code[:1]} {PCS_SECTIONS.get(code[:1], 'Other')}"
    return f"HCPCS {code[:1]} codes"


def update_source(catalog: Any, update: CodeUpdate) -> str:
    """Where an update's list of changes comes from, shown on its page."""
    cms = getattr(catalog, "cms", None)
    if update.kind == "cpt" and cms is not None:
        return (
            "CPT code numbers added and deleted between the Medicare PFS RVU files "
            f"({cms.release_label('cpt_numbers')}); CPT descriptors are the AMA's and are not "
            "included: titles are our own wording where we have it."
        )
    if update.kind == "hcpcs" and cms is not None:
        return (
            f"The CMS transaction report of {cms.release_label('hcpcs')}: codes added, "
            "discontinued and long descriptions changed (new wording shown)."
        )
    if update.kind == "icd10pcs":
        return (
            "The CMS ICD-10-PCS FY2026 order file and its April 2026 addenda: codes added and "
            "deleted for discharges from 1 April 2026."
        )
    return "The CDC ICD-10-CM tabular list of each fiscal year."


def updates(catalog: Any) -> list[CodeUpdate]:
    """Every update between two loaded years that changed at least one code."""
    found = []
    for pcs_year in catalog.years("icd10pcs"):
        pcs = catalog.diff("icd10pcs", pcs_year - 1, pcs_year)
        if pcs.added or pcs.deleted:
            found.append(CodeUpdate("icd10pcs", pcs_year))
    for kind in ("icd10cm", "cpt", "hcpcs"):
        years = sorted(catalog.years(kind))
        for old, new in zip(years, years[1:], strict=False):
            diff = catalog.diff(kind, old, new)
            if diff.added or diff.deleted or diff.revised:
                found.append(CodeUpdate(kind, new))
    return found


def what_changed(catalog: Any, update: CodeUpdate, library: TemplateLibrary) -> ChangeSet:
    """The update's changes, mapped old to new, grouped by chapter and by our specialties."""
    diff = catalog.diff(update.kind, update.year - 1, update.year)
    first_day = update.effective
    replaced_by: dict[str, tuple[str, ...]] = {}
    for code, _ in diff.deleted:
        result = catalog.validate(code, update.kind, first_day)
        replaced_by[code] = tuple(result.suggestions)
    replaces: dict[str, list[str]] = {}
    for old, news in replaced_by.items():
        for new in news:
            replaces.setdefault(new, []).append(old)
    changes = [Change("deleted", c, t, mapping=replaced_by[c]) for c, t in diff.deleted]
    changes += [Change("added", c, t, mapping=tuple(replaces.get(c, ()))) for c, t in diff.added]
    changes += [Change("revised", c, new, old_title=old) for c, old, new in diff.revised]
    result = ChangeSet(update, changes)
    for change in changes:
        result.by_chapter.setdefault(chapter_of(change.code, update.kind), []).append(change)
    families = specialty_families(library, update)
    for specialty, used in sorted(families.items()):
        touching = [
            c
            for c in changes
            if _family(c.code, update.kind) in used
            or any(_family(m, update.kind) in used for m in c.mapping)
        ]
        if touching:
            result.by_specialty[specialty] = touching
    return result


def _family(code: str, kind: str) -> str:
    """ICD-10-CM category; PCS section, body system and root operation; else the code."""
    return code[:3] if kind in ("icd10cm", "icd10pcs") else code


_KEY_CODES: dict[tuple[Any, ...], frozenset[tuple[str, str]]] = {}


def _key_codes(
    template: Template, choice: dict[str, str], between: tuple[date, date]
) -> frozenset[tuple[str, str]]:
    """The (code set, code) pairs of one variant's key in a date window: the key says which
    set each code is from (a diagnosis is ICD-10-CM, a stay's procedure ICD-10-PCS, a line CPT
    or HCPCS), so no code is guessed from its shape. Rendering a chart costs ~2 ms, and both the
    specialty grouping and the refresher set ask for the same variants."""
    # Keyed on the key's own text too: a template edited in the browser may keep its version.
    spec = repr((template.key_spec, template.variables))
    memo = (str(template.path), template.version, spec, tuple(sorted(choice.items())), between)
    found = _KEY_CODES.get(memo)
    if found is None and template.dos_from is not None and between[1] < template.dos_from:
        # A chart dated only from its own first day (a key with an April PCS code) has no
        # variant in an earlier window, so no code of its key was in use then.
        found = _KEY_CODES[memo] = frozenset()
    if found is None:
        key = generate(template, 0, choices=choice, between=between).key
        codes = {("icd10cm", d.code) for d in key.diagnoses}
        codes |= {("icd10cm", a) for d in key.diagnoses for a in d.alternates}
        codes |= {(_line_kind(k.line.code), k.line.code) for k in key.lines}
        codes |= {("icd10pcs", p.code) for p in key.procedures}
        codes |= {("icd10pcs", a) for p in key.procedures for a in p.alternates}
        if len(_KEY_CODES) > 50_000:
            _KEY_CODES.clear()
        found = _KEY_CODES[memo] = frozenset(codes)
    return found


def _codes_of(pairs: frozenset[tuple[str, str]], kind: str) -> set[str]:
    return {code for set_name, code in pairs if set_name == kind}


def _overlaps(window: tuple[date, date]) -> bool:
    return window[0] <= DOS_WINDOW[1] and window[1] >= DOS_WINDOW[0]


def specialty_families(library: TemplateLibrary, update: CodeUpdate) -> dict[str, set[str]]:
    """The code families (ICD categories, or procedure codes) each specialty's keys use."""
    used: dict[str, set[str]] = {}
    window = update.window if _overlaps(update.window) else DOS_WINDOW
    for template in library.templates.values():
        for choice in template.choices():
            for code in _codes_of(_key_codes(template, choice, window), update.kind):
                used.setdefault(template.specialty, set()).add(_family(code, update.kind))
    return used


def _line_kind(code: str) -> str:
    """A service line's code is HCPCS Level II (a letter and four digits) or CPT."""
    return "hcpcs" if guess_kind(code) == "hcpcs" else "cpt"


def refresher_items(
    library: TemplateLibrary, catalog: Any, update: CodeUpdate
) -> list[RefresherItem]:
    """Templates that drill the update: new codes in the key after it, retired ones before."""
    diff = catalog.diff(update.kind, update.year - 1, update.year)
    added = {c for c, _ in diff.added} | {c for c, _, _ in diff.revised}
    deleted = {c for c, _ in diff.deleted}
    items = []
    for template in sorted(library.templates.values(), key=lambda t: (t.specialty, t.title)):
        if not _overlaps(update.window):
            continue
        new_codes: set[str] = set()
        retired: set[str] = set()
        for choice in template.choices():
            new_codes |= _codes_of(_key_codes(template, choice, update.window), update.kind) & added
            if _overlaps(update.before):
                retired |= (
                    _codes_of(_key_codes(template, choice, update.before), update.kind) & deleted
                )
        if new_codes or retired:
            items.append(
                RefresherItem(
                    template.id,
                    template.title,
                    template.specialty,
                    tuple(sorted(new_codes)),
                    tuple(sorted(retired)),
                )
            )
    return items


def item_ids(items: Iterable[RefresherItem]) -> list[str]:
    return [i.template_id for i in items]


__all__ = [
    "Change",
    "ChangeSet",
    "CodeUpdate",
    "RefresherItem",
    "chapter_of",
    "refresher_items",
    "update_source",
    "updates",
    "what_changed",
]
