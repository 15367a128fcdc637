"""The code-set figures of the benchmark: search and PCS search latency, validation, NCCI.

A coder types into the look-up on every chart, so its p95 latency is a target of its own
(``TARGETS`` in ``benchmark``); each search's thread CPU time is kept beside the wall clock,
because on a shared machine the wall clock includes time spent waiting for a core. The index's
build time and size are read from the index itself (recorded at ``trainer init-db``).
"""

from __future__ import annotations

import random
import time
from datetime import date

from trainer.core.claims import CodeKind
from trainer.core.codesets.catalog import Catalog
from trainer.core.codesets.search_quality import load_quality_set

SEARCH_QUERIES = (
    "M17",
    "M17.11",
    "knee osteoarthritis",
    "diabetes with chronic kidney",
    "9921",
    "99214",
    "J3301",
    "colonoscopy",
    "fracture radius",
    "E11.2",
    "hypertension",
    "chest pain",
    "S52.5",
    "asthma exacerbation",
    "I50",
    "depression recurrent",
    "0450",
    "laceration",
    "Z12.11",
    "G0",
)
# ICD-10-PCS look-ups as coders type them: words, lay terms and code prefixes.
PCS_QUERIES = (
    "laparoscopic cholecystectomy",
    "hemiarthroplasty",
    "resection sigmoid colon",
    "drug-eluting coronary",
    "0SRR0",
    "cesarean",
    "interbody fusion lumbar",
    "10E0XZZ",
)


def percentile(samples: list[float], pct: float) -> float:
    """The ``pct``-th percentile of ``samples`` (nearest rank)."""
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def _timed_search(
    catalog: Catalog,
    query: str,
    kind: CodeKind | None,
    dos: date | None,
    cpu: list[float] | None,
) -> float:
    """ms of one search (20 hits); its thread CPU time in ms is appended to ``cpu`` if given."""
    start, start_cpu = time.perf_counter(), time.thread_time()
    catalog.search(query, kind, dos, 20)
    elapsed = (time.perf_counter() - start) * 1000
    if cpu is not None:
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return elapsed


def bench_search(catalog: Catalog, rounds: int = 25, cpu: list[float] | None = None) -> float:
    """p95 of search latency in ms over typical queries, both ICD years and curated sets.

    ``cpu`` collects the thread CPU time of each search too: on a shared machine the wall
    clock includes time the process waited for a core, which says little about the search.
    """
    samples: list[float] = []
    dates = (date(2025, 3, 1), date(2026, 3, 1), None)
    # The typing mix above plus the coder queries of the quality set (shorthand, brands,
    # Index and table terms), so the figure covers the Index layer and both years.
    queries = SEARCH_QUERIES + tuple(q.query for q in load_quality_set())
    for _ in range(rounds):
        for query in queries:
            for dos in dates:
                samples.append(_timed_search(catalog, query, None, dos, cpu))
        samples.extend(_pcs_samples(catalog, cpu))
    return percentile(samples, 95)


def _pcs_samples(catalog: Catalog, cpu: list[float] | None = None) -> list[float]:
    samples = []
    for query in PCS_QUERIES:
        for dos in (date(2026, 2, 2), date(2026, 5, 4)):
            samples.append(_timed_search(catalog, query, "icd10pcs", dos, cpu))
    return samples


def bench_pcs_search(catalog: Catalog, rounds: int = 25, cpu: list[float] | None = None) -> float:
    """p95 of ICD-10-PCS search latency in ms (titles, lay terms, code prefixes); ``cpu``
    collects each search's thread CPU time, as in ``bench_search``."""
    samples: list[float] = []
    for _ in range(rounds):
        samples.extend(_pcs_samples(catalog, cpu))
    return percentile(samples, 95)


def bench_validate(catalog: Catalog, seconds: float = 1.0) -> float:
    codes = [
        ("M17.11", "icd10cm"),
        ("S52.501A", "icd10cm"),
        ("E11.9", "icd10cm"),
        ("99214", "cpt"),
        ("J3301", "hcpcs"),
        ("RT", "modifier"),
        ("0450", "revenue"),
        ("M17", "icd10cm"),
        ("T36.01A", "icd10cm"),
    ]
    dos = date(2026, 3, 2)
    done = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for code, kind in codes:
            catalog.validate(code, kind, dos)  # type: ignore[arg-type]
        done += len(codes)
    return done / seconds


def bench_ncci_lookup(catalog: Catalog, pairs: int = 2000) -> float:
    """p95 in microseconds of an uncached NCCI PTP point look-up (the SQLite range scan).

    Pairs are drawn from real codes of the PFS, most of them not an edit, as the replay asks
    for every ordered pair of a claim's lines.
    """
    rng = random.Random(5)
    codes = [r[0] for r in catalog._db().execute("SELECT code FROM pfs WHERE modifier = ''")]
    lookup = type(catalog.cms).ptp_rows.__wrapped__
    samples = []
    for _ in range(pairs):
        a, b = rng.choice(codes), rng.choice(codes)
        claim = "practitioner" if rng.random() < 0.5 else "outpatient_hospital"
        start = time.perf_counter()
        lookup(catalog.cms, claim, a, b)
        samples.append((time.perf_counter() - start) * 1e6)
    return percentile(samples, 95)


def index_figures(catalog: Catalog) -> dict[str, float]:
    """Build time (recorded at ``trainer init-db``) and size of the code-set index."""
    meta = dict(catalog._db().execute("SELECT key, value FROM meta").fetchall())
    figures = {"index_mb": catalog.index_path.stat().st_size / 1e6}
    for name, key in (("index_build_s", "build_seconds"), ("cms_build_s", "cms_build_seconds")):
        if key in meta:
            figures[name] = float(meta[key])
    return figures


__all__ = [
    "PCS_QUERIES",
    "SEARCH_QUERIES",
    "bench_ncci_lookup",
    "bench_pcs_search",
    "bench_search",
    "bench_validate",
    "index_figures",
    "percentile",
]
