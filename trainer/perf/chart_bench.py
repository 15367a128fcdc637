"""The chart figures of the benchmark: charts generated and graded per second, warm.

Each is measured over real variants of the shipped library by a warm worker (templates
rendered once first), so the figure is the steady state a trainee's request meets; the
inpatient figure regroups every slipped answer with the MS-DRG grouper, as a submission would.
"""

from __future__ import annotations

import random
import time

from trainer.core.codesets.catalog import Catalog
from trainer.core.content.generation import generate
from trainer.core.content.templates import TemplateLibrary
from trainer.core.grading.grader import grade


def bench_generate(library: TemplateLibrary, seconds: float = 2.0) -> float:
    """Charts generated per second by a warm worker: each template is rendered once first, so
    the figure is the steady state, not Jinja compiling 200+ templates (about 2.6 s)."""
    templates = sorted(library.templates.values(), key=lambda t: t.id)
    for template in templates:
        generate(template, 0)
    rng = random.Random(7)
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        generate(rng.choice(templates), rng.randrange(2**31))
        done += 1
    return done / (time.perf_counter() - start)


def bench_grade(library: TemplateLibrary, catalog: Catalog, seconds: float = 2.0) -> float:
    """Charts graded per second: a mix of perfect and slipped answers over real variants."""
    rng = random.Random(11)
    templates = sorted(library.templates.values(), key=lambda t: t.id)
    cases = []
    for i in range(200):
        variant = generate(rng.choice(templates), i)
        answer = variant.key.as_claim()
        if i % 3 == 0 and answer.diagnoses:
            answer = type(answer)(answer.diagnoses[:-1] + ("R69",), answer.lines)
        cases.append((variant.key, answer, variant.date_of_service))
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for key, answer, dos in cases:
            grade(key, answer, "strict", dos, catalog=catalog)
        done += len(cases)
    return done / (time.perf_counter() - start)


def bench_grade_inpatient(
    library: TemplateLibrary, catalog: Catalog, seconds: float = 2.0
) -> float:
    """Inpatient charts graded per second, each with both claims grouped by the MS-DRG
    grouper: perfect answers, a wrong POA, a missed secondary diagnosis. The grouping cache
    is emptied before every pass and only the keys' groupings are put back (untimed: a key
    is the same for every trainee who draws it), so every slipped answer is grouped anew."""
    from trainer.core.claims import Claim
    from trainer.core.grading import drg
    from trainer.core.grading.types import PatientFacts

    rng = random.Random(19)
    templates = sorted(
        (t for t in library.templates.values() if t.setting == "inpatient"), key=lambda t: t.id
    )
    if not templates:
        return 0.0
    cases = []
    for i in range(200):
        variant = generate(rng.choice(templates), i)
        answer = variant.key.as_claim()
        if i % 3 == 1 and answer.poa:
            answer = Claim(
                answer.diagnoses, poa=("U",) + answer.poa[1:], procedures=answer.procedures
            )
        elif i % 3 == 2 and len(answer.diagnoses) > 1:
            answer = Claim(answer.diagnoses[:-1], poa=answer.poa[:-1], procedures=answer.procedures)
        patient = PatientFacts(variant.patient.age, variant.patient.sex)
        cases.append((variant.key, answer, variant.date_of_service, patient))
    done, spent = 0, 0.0
    while spent < seconds:
        drg._group_cached.cache_clear()
        for key, _, dos, patient in cases:
            grade(key, key.as_claim(), "strict", dos, catalog=catalog, patient=patient)
        start = time.perf_counter()
        for key, answer, dos, patient in cases:
            grade(key, answer, "strict", dos, catalog=catalog, patient=patient)
        spent += time.perf_counter() - start
        done += len(cases)
    return done / spent


__all__ = ["bench_generate", "bench_grade", "bench_grade_inpatient"]
