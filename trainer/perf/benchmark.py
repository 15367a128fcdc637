"""The project's benchmark: the figures the issues name, measured in one run on this machine.

Medians and ratios only mean something when measured together, so ``trainer bench`` measures
everything in one process run and reports one table (or one JSON object). Page throughput is
measured against a minimal Flask + Jinja + one-query page served the same way, alternately, so
``page_ratio`` survives a noisy shared machine better than absolute requests per second.

The figures are measured by part: the code-set look-ups in ``catalog_bench``, generation and
grading in ``chart_bench``, the fresh-process figures (cold start, memory, a new worker's first
page) in ``process_bench``; pages and reports in ``pages`` and ``report_scale``. This module
holds the targets, the result table and ``run_core_benchmarks``, and re-exports the parts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from trainer.core.codesets.catalog import Catalog
from trainer.core.codesets.search_quality import hit_at_k, load_quality_set
from trainer.core.content.templates import TemplateLibrary
from trainer.perf.catalog_bench import (
    PCS_QUERIES,
    SEARCH_QUERIES,
    bench_ncci_lookup,
    bench_pcs_search,
    bench_search,
    bench_validate,
    index_figures,
    percentile,
)
from trainer.perf.chart_bench import bench_generate, bench_grade, bench_grade_inpatient
from trainer.perf.process_bench import (
    COLD_START,
    UPDATES_FIRST,
    bench_cold_start,
    bench_updates_first_request,
)

TARGETS = {
    "search_p95_ms": ("<=", 5.0),
    "pcs_search_p95_ms": ("<=", 5.0),
    "inpatient_grade_charts_per_s": (">=", 1_000.0),
    "search_hit_at_5": (">=", 0.9),
    "grade_charts_per_s": (">=", 10_000.0),
    "generate_charts_per_s": (">=", 500.0),
    "page_ratio": (">=", 0.6),
    "report_ms": ("<=", 150.0),
    "report_1m_ms": ("<=", 150.0),
    "cold_start_s": ("<=", 1.5),
    "rss_mb": ("<=", 250.0),
    "ncci_lookup_p95_us": ("<=", 500.0),
    "updates_first_ms": ("<=", 300.0),
}


@dataclass
class BenchResult:
    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def table(self) -> str:
        lines = [f"{'figure':<24}{'value':>14}  target"]
        for name, value in self.figures.items():
            op, goal = TARGETS.get(name, ("", None))
            mark = ""
            if goal is not None:
                ok = value <= goal if op == "<=" else value >= goal
                mark = f"{op} {goal:g}  {'ok' if ok else 'MISSED'}"
            lines.append(f"{name:<24}{value:>14.3f}  {mark}")
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps({**self.figures, "notes": self.notes}, indent=2)


def run_core_benchmarks(library: TemplateLibrary, catalog: Catalog) -> dict[str, Any]:
    cpu: list[float] = []
    pcs_cpu: list[float] = []
    pcs_wall = bench_pcs_search(catalog, cpu=pcs_cpu)
    return {
        **index_figures(catalog),
        "search_p95_ms": bench_search(catalog, rounds=5, cpu=cpu),
        "search_p95_cpu_ms": percentile(cpu, 95),
        "search_hit_at_5": hit_at_k(catalog, load_quality_set()).rate,
        "validate_per_s": bench_validate(catalog),
        "ncci_lookup_p95_us": bench_ncci_lookup(catalog),
        "generate_charts_per_s": bench_generate(library),
        "grade_charts_per_s": bench_grade(library, catalog),
        "pcs_search_p95_ms": pcs_wall,
        "pcs_search_p95_cpu_ms": percentile(pcs_cpu, 95),
        "inpatient_grade_charts_per_s": bench_grade_inpatient(library, catalog),
    }


__all__ = [
    "COLD_START",
    "PCS_QUERIES",
    "SEARCH_QUERIES",
    "TARGETS",
    "UPDATES_FIRST",
    "BenchResult",
    "bench_cold_start",
    "bench_generate",
    "bench_grade",
    "bench_grade_inpatient",
    "bench_ncci_lookup",
    "bench_pcs_search",
    "bench_search",
    "bench_updates_first_request",
    "bench_validate",
    "index_figures",
    "percentile",
    "run_core_benchmarks",
]
