"""The inpatient library: at least 20 templates, all clean, and the DRG the grader reports
is the grouper's own on every key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from trainer.core.codesets.catalog import Catalog
from trainer.core.content.generation import generate
from trainer.core.content.templates import SPECIALTIES, load_library
from trainer.core.content.validation import check_library
from trainer.core.grading.drg import group_stay
from trainer.core.grading.grader import grade
from trainer.core.grading.types import PatientFacts

INPATIENT = Path(__file__).resolve().parents[2] / "exercises" / "inpatient"


def test_inpatient_is_a_specialty_with_twenty_clean_templates(catalog: Catalog) -> None:
    assert "inpatient" in SPECIALTIES
    library = load_library(INPATIENT)
    report = check_library(library, catalog, seeds_per_variant=1)
    assert report.templates >= 20
    assert report.problems == []
    for template in library.templates.values():
        assert template.setting == "inpatient" and template.claim_form == "UB-04"
        assert (template.path / "notes.md").read_text().strip()


def test_the_grader_reports_the_groupers_drg_on_every_key(catalog: Catalog) -> None:
    for template in load_library(INPATIENT).templates.values():
        for choice in template.choices():
            variant = generate(template, 3, choices=choice)
            key, dos = variant.key, variant.date_of_service
            patient = PatientFacts(variant.patient.age, variant.patient.sex)
            result = grade(key, key.as_claim(), "strict", dos, catalog=catalog, patient=patient)
            assert result.score == 1.0 and result.drg is not None and result.drg.same
            codes = [d.code for d in key.diagnoses]
            direct = group_stay(
                codes[0],
                tuple(codes[1:]),
                tuple(d.poa for d in key.diagnoses[1:]),
                tuple(p.code for p in key.procedures),
                age=patient.age,
                sex=patient.sex,
                discharge=dos,
            )
            assert result.drg.key.drg == direct.drg, (template.slug, choice)


def test_minimal_pairs_move_the_drg(catalog: Catalog) -> None:
    """The POA pair on the hip fracture and the sepsis onset pair change the MS-DRG."""
    library = load_library(INPATIENT)
    by_slug = {t.slug: t for t in library.templates.values()}
    found = {}
    for slug in ("hip-fracture-hemiarthroplasty", "sepsis-pneumonia-onset"):
        template = by_slug[slug]
        drgs = set()
        for choice in template.choices():
            v = generate(template, 0, choices=choice)
            patient = PatientFacts(v.patient.age, v.patient.sex)
            g = grade(
                v.key,
                v.key.as_claim(),
                "strict",
                v.date_of_service,
                catalog=catalog,
                patient=patient,
            )
            assert g.drg is not None
            drgs.add(g.drg.key.drg)
        found[slug] = drgs
    assert found == {
        "hip-fracture-hemiarthroplasty": {"521", "522"},
        "sepsis-pneumonia-onset": {"871", "193"},
    }


def test_every_keyed_procedure_has_the_date_its_note_documents() -> None:
    """FL 74 dates are graded: each key's date must be printed in the chart (the procedure
    note's date line), and it falls within the stay (on or before the discharge date)."""
    dated = 0
    for template in load_library(INPATIENT).templates.values():
        for choice in template.choices():
            variant = generate(template, 5, choices=choice)
            for proc in variant.key.procedures:
                day = date.fromisoformat(proc.date)
                assert day <= variant.date_of_service, (template.slug, proc.code)
                assert day.strftime("%m/%d/%Y") in variant.chart_markdown, (template.slug, proc)
                dated += 1
    assert dated >= 20


def test_the_april_2026_pcs_refresher_drills_the_gallbladder_drainage_chart(
    catalog: Catalog,
) -> None:
    """The April addenda's new qualifiers (0F9480D transmural, 0F9480E transpapillary) are
    keyed by a chart dated after the update; the PCS refresher picks it (no template drilled
    the April update before)."""
    from trainer.core.claims import Claim, ProcedureEntry
    from trainer.core.codesets.pcs_catalog import APRIL_UPDATE
    from trainer.core.content.refresher import CodeUpdate, refresher_items

    library = load_library(INPATIENT)
    template = library.templates[
        next(t.id for t in library.templates.values() if t.slug.startswith("cholecystitis-endo"))
    ]
    added = {code for code, _ in catalog.pcs.april_changes()[0]}
    keyed = set()
    for choice in template.choices():
        for seed in range(4):
            variant = generate(template, seed, choices=choice)
            assert variant.date_of_service >= date.fromisoformat(APRIL_UPDATE)
            (proc,) = variant.key.procedures
            assert proc.code in added and date.fromisoformat(proc.date) >= date(2026, 4, 1)
            keyed.add(proc.code)
        # The pre-April code (no qualifier) is valid but says less: the qualifier axis.
        claim = variant.key.as_claim()
        older = Claim(
            claim.diagnoses, poa=claim.poa, procedures=(ProcedureEntry("0F9480Z", proc.date),)
        )
        patient = PatientFacts(variant.patient.age, variant.patient.sex)
        result = grade(
            variant.key, older, "strict", variant.date_of_service, catalog=catalog, patient=patient
        )
        (error,) = result.errors
        assert error.type == "pcs_axis" and "qualifier Z (No Qualifier)" in error.explanation
    assert keyed == {"0F9480D", "0F9480E"}
    items = refresher_items(library, catalog, CodeUpdate("icd10pcs", 2026))
    drilled = {i.template_id: i.new_codes for i in items}
    assert drilled.get(template.id) == ("0F9480D", "0F9480E")


# The decoys added when `exercises check` listed 12 inpatient templates without one.
ADDED_DECOYS = {
    "appendicitis-laparoscopic-appendectomy": ("R10.31", "I.B.5"),
    "caesarean-delivery": ("O80", "I.C.15.n.1"),
    "copd-acute-respiratory-failure": ("R06.00", "I.B.5"),
    "gi-bleed-gastric-ulcer": ("K92.2", "I.A.12.a"),
    "heart-failure-aki": ("R06.01", "I.B.5"),
    "ischaemic-stroke-thrombolysis": ("Z86.73", "I.C.9.d.3"),
    "laparoscopic-cholecystectomy": ("K81.0", "I.A.12.a"),
    "lumbar-interbody-fusion": ("M79.604", "I.B.5"),
    "nstemi-pci": ("R07.89", "I.B.5"),
    "pcs-root-operation-excision-or-resection": ("R11.14", "I.B.5"),
    "principal-dx-heart-failure-or-pneumonia": ("R05.9", "I.B.5"),
    "vaginal-delivery": ("O99.824", "Section III"),
}


def test_every_inpatient_template_names_a_decoy_with_an_inpatient_rule(catalog: Catalog) -> None:
    """Decoys on a stay: never the "uncertain diagnosis" reason (inpatient codes an uncertain
    diagnosis at discharge as established, II.H / III.C); the added ones name their rule."""
    library = load_library(INPATIENT)
    assert check_library(library, catalog, seeds_per_variant=1).without_decoys == 0
    seen: dict[str, dict[str, str]] = {}
    for template in library.templates.values():
        decoys = {
            decoy.code: decoy
            for choice in template.choices()
            for decoy in generate(template, 0, choices=choice).key.not_coded
        }
        assert decoys, template.slug  # in some variant at least (a decoy may have a `when`)
        assert all(d.reason != "uncertain_diagnosis" for d in decoys.values()), template.slug
        seen[template.slug] = {code: d.rationale for code, d in decoys.items()}
    for slug, (code, rule) in ADDED_DECOYS.items():
        assert rule in seen[slug][code], (slug, code)


def test_an_inpatient_decoy_explains_the_extra_code_with_its_rule(catalog: Catalog) -> None:
    template = next(
        t
        for t in load_library(INPATIENT).templates.values()
        if t.slug == "laparoscopic-cholecystectomy"
    )
    variant = generate(template, 0)
    key, dos = variant.key, variant.date_of_service
    claim = key.as_claim()
    answer = type(claim)(
        (*claim.diagnoses, "K81.0"),
        claim.lines,
        poa=(*claim.poa, "Y"),
        procedures=claim.procedures,
    )
    patient = PatientFacts(variant.patient.age, variant.patient.sex)
    result = grade(key, answer, "strict", dos, catalog=catalog, patient=patient)
    (error,) = [e for e in result.errors if e.given == "K81.0"]
    assert error.type in ("extra_code", "excludes1_conflict")
    assert "cholecystitis with cholelithiasis (K80.-)" in error.explanation
    assert "I.A.12.a" in error.explanation
