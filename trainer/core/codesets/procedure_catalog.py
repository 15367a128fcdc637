"""CPT, HCPCS Level II and the small curated sets (modifiers, POS, revenue codes) for ``Catalog``.

Two sources answer together: the full CMS files (every CPT number of the PFS, every HCPCS
Level II code, through ``cms_catalog``) and our curated CSVs (CPT wording in our own words,
checked drug units, replacements, the sets CMS does not ship). The curated entry wins where
it says more (our wording, a successor); the CMS file decides whether a number exists in a
year. ICD-10-CM and ICD-10-PCS have their own modules; the facade picks the year first.
"""

from __future__ import annotations

from datetime import date

from trainer.core.claims import CodeKind
from trainer.core.codesets.cms_catalog import CmsCatalog
from trainer.core.codesets.curated import CuratedSets, Entry
from trainer.core.codesets.results import (
    KIND_NAMES,
    CodeDetail,
    CodeSetDiff,
    Validation,
    unknown_code,
)


class ProcedureCatalog:
    """Validation, titles, detail and year diffs of the code sets that are not ICD-10."""

    def __init__(self, curated: CuratedSets, cms: CmsCatalog) -> None:
        self.curated = curated
        self.cms = cms

    # ------------------------------------------------------------------ validation

    def validate(self, text: str, kind: CodeKind, dos: date) -> Validation:
        """``text`` already normalised and the year already checked by the facade."""
        from_cms = self._validate_cms(text, kind, dos)
        if from_cms is not None:
            return from_cms
        entry = self.curated.entry(text, kind)
        if entry is None:
            others = [k for k in self.curated.kinds_of(text) if k != kind]
            if others:
                other = others[0]
                return Validation(
                    False,
                    text,
                    kind,
                    "wrong_kind",
                    f"{text} is {KIND_NAMES[other]}, not {KIND_NAMES[kind]}.",
                    (),
                )
            return unknown_code(text, kind)
        if entry.active_on(dos):
            return Validation(True, text, kind, None, f"{text}: {entry.title}", (), entry.title)
        if dos < entry.effective:
            return Validation(
                False,
                text,
                kind,
                "not_effective",
                f"{text} takes effect on {entry.effective}; it is not valid on {dos}.",
                (),
                entry.title,
            )
        repl = (entry.replaced_by,) if entry.replaced_by else ()
        tail = f"; use {entry.replaced_by}" if entry.replaced_by else ""
        return Validation(
            False,
            text,
            kind,
            "deleted",
            f"{text} was deleted after {entry.terminated} and is not valid on {dos}{tail}.",
            repl,
            entry.title,
            entry.replaced_by or None,
        )

    def _validate_cms(self, text: str, kind: CodeKind, dos: date) -> Validation | None:
        """CPT numbers from the PFS years, HCPCS codes and modifiers from the CMS file."""
        entry = self.curated.entry(text, kind)
        if kind == "cpt":
            check = self.cms.check_cpt(text, dos)
        elif kind == "hcpcs":
            check = self.cms.check_hcpcs(text, dos)
        elif kind == "modifier" and entry is None:
            check = self.cms.check_hcpcs(text, dos, "modifier")
        else:
            return None
        if check is None:
            return None
        title = self.procedure_title(text, kind, entry) or check.title
        message = f"{text}: {title}" if check.valid else check.message
        successor = entry.replaced_by if entry and not check.valid else ""
        if successor:
            message = f"{message.rstrip('.')}; use {successor}."
        return Validation(
            check.valid,
            text,
            kind,
            check.reason,
            message,
            (successor,) if successor else (),
            title,
            successor or None,
            check.note,
        )

    # ------------------------------------------------------------------ titles and detail

    def procedure_title(self, text: str, kind: CodeKind, entry: Entry | None) -> str:
        """Our wording (or the licensed descriptor file's) for CPT; CMS's words for HCPCS."""
        if kind == "cpt":
            override = self.curated.cpt_overrides.get(text)
            if override:
                return override
            return entry.title if entry else self.cms.cpt_title(text)
        if kind == "hcpcs":
            row = self.cms.hcpcs(text)
            if row is not None and row.record_type == "procedure":
                return row.long_description
        return entry.title if entry else ""

    def title(self, text: str, kind: CodeKind) -> str | None:
        entry = self.curated.entry(text, kind)
        known = entry is not None or (
            self.cms.cpt_numbers(text) if kind == "cpt" else self.cms.hcpcs(text) is not None
        )
        if kind in ("cpt", "hcpcs") and known:
            return self.procedure_title(text, kind, entry) or None
        return self.curated.title(text, kind)

    def detail(self, text: str, kind: CodeKind, years: tuple[int, ...]) -> CodeDetail | None:
        """``years``: the years loaded for ``kind`` (the facade's ``years``)."""
        entry = self.curated.entry(text, kind)
        if entry is None and kind in ("cpt", "hcpcs"):
            return self._cms_detail(text, kind)
        if entry is None:
            return None
        notes = dict(entry.notes)
        if kind in ("cpt", "hcpcs") and self.cms.loaded:
            notes.update(self._cms_notes(kind, text))
            if kind == "cpt":
                notes["source"] = "Description in the trainer's own words. " + str(notes["source"])
        return CodeDetail(
            text,
            kind,
            self.procedure_title(text, kind, entry) if kind in ("cpt", "hcpcs") else entry.title,
            True,
            "",
            (),
            notes,
            {},
            entry.years(years),
        )

    def _cms_detail(self, text: str, kind: CodeKind) -> CodeDetail | None:
        if kind == "cpt":
            years = self.cms.cpt_numbers(text)
        else:
            row = self.cms.hcpcs(text)
            if row is None or row.record_type != "procedure":
                return None
            years = tuple(
                y
                for y in self.cms.years
                if row.added <= date(y, 12, 31) and row.terminated >= date(y, 1, 1)
            )
        if not years:
            return None
        return CodeDetail(
            text,
            kind,
            self.procedure_title(text, kind, None),
            True,
            "",
            (),
            self._cms_notes(kind, text),
            {},
            self._with_carried(years),
        )

    def _with_carried(self, years: tuple[int, ...]) -> tuple[int, ...]:
        """Add the years answered from an earlier file (2026 from 2025) to a code's years."""
        extra = tuple(y for y, src in sorted(self.cms.carried.items()) if src in years)
        return tuple(sorted(set(years) | set(extra)))

    def _cms_notes(self, kind: CodeKind, code: str = "") -> dict[str, list[str] | str]:
        """Where a CPT/HCPCS look-up comes from, and the carried-forward year, for the UI."""
        source = (
            f"Source: {self.cms.release_label('hcpcs')} (CMS)."
            if kind == "hcpcs"
            else f"Code numbers: {self.cms.release_label('cpt_numbers')}; facts from "
            f"{self.cms.release_label('pfs')}. CPT descriptors are the AMA's (not included)."
        )
        notes: dict[str, list[str] | str] = {"source": source}
        if code and kind == "hcpcs":
            row = self.cms.hcpcs(code)
            if row is not None:
                notes["short_description"] = row.short_description
                if self.drug_unit(code):
                    notes["billing_unit"] = str(self.drug_unit(code))
        carried = " ".join(self.cms.carried_note(kind, y) for y in sorted(self.cms.carried))
        if carried:
            notes["year_note"] = carried
        return notes

    def drug_unit(self, code: str) -> str | None:
        """The billing unit: ours where it was checked, else parsed from the CMS descriptor."""
        entry = self.curated.entry(code, "hcpcs")
        if entry and entry.unit:
            return entry.unit
        row = self.cms.hcpcs(code)
        return row.unit if row and row.unit else None

    # ------------------------------------------------------------------ diff

    def _titled(self, codes: list[str]) -> tuple[tuple[str, str], ...]:
        return tuple(
            (c, self.procedure_title(c, "cpt", self.curated.entry(c, "cpt"))) for c in codes
        )

    def diff(self, kind: CodeKind, from_year: int, to_year: int) -> CodeSetDiff:
        """CPT: numbers added/deleted between PFS years; HCPCS: the CMS transaction report;
        the curated sets: their own effective and end dates."""
        if kind not in ("cpt", "hcpcs") or not self.cms.loaded:
            return self.curated.diff(kind, from_year, to_year, CodeSetDiff)
        if kind == "cpt":
            old, new = self.cms.data_year(from_year), self.cms.data_year(to_year)
            added, deleted = self.cms.cpt_added_deleted(old, new)
            return CodeSetDiff(kind, from_year, to_year, self._titled(added), self._titled(deleted))
        release = int(self.cms.manifest.get("hcpcs", {}).get("release_year", 0))
        if not (from_year < release <= to_year and self.cms.data_year(to_year) == release):
            return CodeSetDiff(kind, from_year, to_year, (), ())
        changes = self.cms.hcpcs_changes()
        return CodeSetDiff(
            kind,
            from_year,
            to_year,
            tuple((c, t) for c, a, t in changes if a == "ADD"),
            tuple((c, t) for c, a, t in changes if a.lower().startswith("discontinued")),
            tuple((c, "", t) for c, a, t in changes if a.lower().startswith("long")),
        )


__all__ = ["ProcedureCatalog"]
