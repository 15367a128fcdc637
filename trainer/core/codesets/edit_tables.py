"""What the claim-edit replay and pricing ask the catalog: PFS facts and RVUs, GPCIs, NCCI
PTP, MUE and add-on edits, drug billing units, revenue codes.

A base of ``Catalog`` (these are its methods): each normalises the code as typed and asks the
CMS tables (``cms_catalog``) or the curated sets, so callers never normalise themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from trainer.core.codesets.cms_catalog import (
    AddOn,
    CmsCatalog,
    Gpci,
    Mue,
    NcciEdit,
    PfsFacts,
    PfsRvu,
)
from trainer.core.codesets.codes import normalize
from trainer.core.codesets.curated import CuratedSets
from trainer.core.codesets.procedure_catalog import ProcedureCatalog


class EditTables:
    """The claim-edit and pricing look-ups of ``Catalog`` (which sets these attributes)."""

    cms: CmsCatalog
    curated: CuratedSets
    procedures: ProcedureCatalog

    def pfs(self, code: str) -> PfsFacts | None:
        """The fee schedule's indicators for a code (global days, PC/TC, multiple/bilateral)."""
        return self.cms.pfs(normalize(code))

    def pfs_rvu(self, code: str, modifier: str = "") -> PfsRvu | None:
        """The PFS relative value row of a code (modifier "", "26" or "TC"), for pricing."""
        return self.cms.pfs_rvu(normalize(code), modifier)

    def gpci(self, locality: str) -> Gpci | None:
        """A Medicare locality's GPCIs ("national": all 1.0)."""
        return self.cms.gpci(locality)

    def localities(self) -> tuple[Gpci, ...]:
        return self.cms.localities()

    def add_on(self, code: str) -> AddOn | None:
        """The NCCI add-on code edit of a code, or None when it is no add-on code."""
        return self.cms.add_on(normalize(code))

    def ncci_release(self) -> str:
        """The NCCI release the claim-edit replay applies (shown beside every edit)."""
        return self.cms.release_label("ncci")

    def ncci_edit(
        self, column1: str, column2: str, dos: date, setting: str = "professional"
    ) -> NcciEdit | None:
        """The PTP edit in force on ``dos`` (practitioner table, or hospital for facility)."""
        return self.cms.ncci_edit(normalize(column1), normalize(column2), dos, setting)

    def ncci_edits_for(
        self, codes: Iterable[str], dos: date, setting: str = "professional"
    ) -> list[NcciEdit]:
        unique = list(dict.fromkeys(normalize(c) for c in codes))
        found = []
        for a in unique:
            for b in unique:
                if a != b:
                    edit = self.cms.ncci_edit(a, b, dos, setting)
                    if edit:
                        found.append(edit)
        return found

    def mue_edit(self, code: str, dos: date, setting: str = "professional") -> Mue | None:
        """The MUE of a code for the claim type (practitioner, or hospital for facility)."""
        return self.cms.mue(normalize(code), setting)

    def mue(self, code: str, dos: date, setting: str = "professional") -> int | None:
        found = self.mue_edit(code, dos, setting)
        return found.value if found else None

    def drug_unit(self, hcpcs: str) -> str | None:
        """The billing unit: ours where it was checked, else parsed from the CMS descriptor."""
        return self.procedures.drug_unit(normalize(hcpcs))

    def revenue_codes_for(self, code: str) -> tuple[str, ...]:
        return self.curated.revenue_codes_for(normalize(code))


__all__ = ["EditTables"]
