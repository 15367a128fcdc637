"""Issue 20's modifier breadth: AI, FS and XP keyed where they are right, and the OPPS PCI twin.

Each test generates the shipped template's variant, checks what the key holds, and grades a
claim that leaves the teaching point out, so a key that lost its modifier (or a template that
lost the variant) fails here.
"""

from dataclasses import replace
from datetime import date

from trainer.core.claims import Claim
from trainer.core.content.generation import generate
from trainer.core.grading.grader import grade

DOS = date(2025, 11, 3)
_LAD = "staged PCI: drug-eluting stent in the proximal LAD"


def _template(library, slug):
    return next(t for t in library.templates.values() if t.slug == slug)


def _variant(library, slug, **labels):
    return generate(_template(library, slug), 0, choices=labels, between=(DOS, DOS))


def _lines(v):
    return [(k.line.code, k.line.modifiers) for k in v.key.lines if not k.optional]


def _without_modifier(claim: Claim, code: str, modifier: str) -> Claim:
    lines = tuple(
        replace(line, modifiers=tuple(m for m in line.modifiers if m != modifier))
        if line.code == code
        else line
        for line in claim.lines
    )
    return replace(claim, lines=lines)


def test_ai_and_fs_carry_our_wording(catalog):
    ai = catalog.validate("AI", "modifier", DOS)
    fs = catalog.validate("FS", "modifier", DOS)
    assert ai.valid and fs.valid
    # The CMS short descriptors are "Principal physician of record" and "Split (or shared)
    # evaluation and management visit"; ours say who appends them.
    assert ai.title.startswith("Principal physician of record: the admitting or attending")
    assert "substantive portion" in fs.title


def test_the_medicare_attending_appends_ai_and_a_commercial_plan_does_not(library, catalog):
    slug = "heart-failure-admission-history-and-physical"
    case = "HFrEF, moderate MDM, time not documented"
    medicare = _variant(library, slug, payer="Medicare", case=case)
    commercial = _variant(library, slug, payer="commercial plan", case=case)
    assert _lines(medicare) == [("99222", ("AI",))]
    assert _lines(commercial) == [("99222", ())]
    assert medicare.patient.age >= 66 and commercial.patient.age <= 64
    answer = _without_modifier(medicare.key.as_claim(), "99222", "AI")
    result = grade(medicare.key, answer, date_of_service=DOS, catalog=catalog)
    assert not result.chart_correct
    assert [(e.type, e.expected) for e in result.errors] == [("missing_modifier", "AI")]


def test_split_shared_visits_take_fs_and_a_visit_by_one_practitioner_does_not(library, catalog):
    slug = "heart-failure-split-shared-hospital-visit"
    npp = _variant(
        library,
        slug,
        split="nurse practitioner spent more than half of the total time (35 of 55 minutes)",
        potassium="hypokalemia treated",
    )
    alone = _variant(
        library,
        slug,
        split="nurse practitioner alone; the physician did not see the patient",
        potassium="hypokalemia treated",
    )
    mdm = _variant(
        library,
        slug,
        split="no times documented; the physician made the management plan",
        potassium="potassium normal",
    )
    assert _lines(npp) == [("99233", ("FS",))]
    assert _lines(alone) == [("99232", ())]
    assert _lines(mdm) == [("99232", ("FS",))]
    # The signer is the practitioner who bills: the NP when the NP did the substantive portion.
    assert npp.provider.endswith(", NP") and mdm.provider.endswith((", MD", ", DO"))
    assert "E87.6" not in [d.code for d in mdm.key.diagnoses]
    answer = _without_modifier(npp.key.as_claim(), "99233", "FS")
    result = grade(npp.key, answer, date_of_service=DOS, catalog=catalog)
    assert [(e.type, e.expected) for e in result.errors] == [("missing_modifier", "FS")]


def test_xp_for_a_partners_interpretation_xu_for_a_new_problem(library, catalog):
    slug = "cardioversion-same-day-ecg-reader"
    rhythm = "persistent atrial fibrillation"
    partner = _variant(
        library,
        slug,
        ecg="post-cardioversion 12-lead interpreted by the group's reading cardiologist",
        rhythm=rhythm,
    )
    new_problem = _variant(
        library,
        slug,
        ecg="12-lead for chest discomfort in recovery, interpreted by the cardiologist who "
        "did the cardioversion",
        rhythm=rhythm,
    )
    confirm = _variant(
        library,
        slug,
        ecg="post-cardioversion 12-lead interpreted by the cardiologist who did the cardioversion",
        rhythm=rhythm,
    )
    assert _lines(partner) == [("92960", ()), ("93010", ("XP",))]
    assert _lines(new_problem) == [("92960", ()), ("93010", ("XU",))]
    assert _lines(confirm) == [("92960", ())]
    # XU where XP is right is graded wrong (the modifier, not the code).
    claim = partner.key.as_claim()
    swapped = replace(
        claim,
        lines=tuple(
            replace(line, modifiers=("XU",)) if line.code == "93010" else line
            for line in claim.lines
        ),
    )
    result = grade(partner.key, swapped, date_of_service=DOS, catalog=catalog)
    assert ("wrong_modifier", "XP") in [(e.type, e.expected) for e in result.errors]


def test_the_hospital_reports_c9600_per_major_vessel_with_its_devices(library, catalog):
    label = "staged PCI: stents in the LAD and the right coronary artery"
    hospital = _variant(library, "pci-drug-eluting-stent-hospital", pci=label)
    physician = _variant(library, "pci-by-vessel-and-branch", pci=label)
    assert _lines(physician) == [("92928", ("LD",)), ("92928", ("RC",))]
    by_code = {(k.line.code, k.line.modifiers): k.line for k in hospital.key.lines}
    assert by_code[("C9600", ("LD",))].revenue_code == "0481"
    assert by_code[("C9600", ("RC",))].revenue_code == "0481"
    assert by_code[("C1874", ())].units == 2 and by_code[("C1874", ())].revenue_code == "0278"
    assert by_code[("C1887", ())].units == 2 and by_code[("C1725", ())].units == 3
    assert hospital.key.type_of_bill == "0131"
    # The physician's CPT stent code on the hospital claim is an error, explained by the decoy.
    one = _variant(library, "pci-drug-eluting-stent-hospital", pci=_LAD)
    claim = one.key.as_claim()
    cpt = replace(
        claim,
        lines=tuple(
            replace(line, code="92928") if line.code == "C9600" else line for line in claim.lines
        ),
    )
    result = grade(one.key, cpt, date_of_service=DOS, catalog=catalog)
    assert not result.chart_correct
    assert [e.type for e in result.errors] == ["missing_code", "extra_code"]
    extra = next(e for e in result.errors if e.type == "extra_code")
    assert extra.given == "92928" and "C9600" in extra.explanation


def test_cath_lab_revenue_codes_follow_the_map(library, catalog):
    """A catheter under implants (0278) is accepted as well as sterile supplies (0272); the
    stent code under the emergency room's revenue code is not."""
    v = _variant(library, "pci-drug-eluting-stent-hospital", pci=_LAD)
    claim = v.key.as_claim()
    supplies_as_implants = replace(
        claim,
        lines=tuple(
            replace(line, revenue_code="0278") if line.code == "C1725" else line
            for line in claim.lines
        ),
    )
    assert grade(v.key, supplies_as_implants, date_of_service=DOS, catalog=catalog).chart_correct
    stent_in_er = replace(
        claim,
        lines=tuple(
            replace(line, revenue_code="0450") if line.code == "C9600" else line
            for line in claim.lines
        ),
    )
    result = grade(v.key, stent_in_er, date_of_service=DOS, catalog=catalog)
    assert not result.chart_correct
    assert "0481" in " ".join(e.explanation for e in result.errors)


def test_a_medicare_consultant_reports_initial_hospital_care_without_ai(library, catalog):
    v = _variant(
        library,
        "atrial-fibrillation-inpatient-consultation",
        payer="Medicare",
        level="rate controlled on oral drugs (moderate MDM)",
    )
    assert _lines(v) == [("99222", ())]
    claim = v.key.as_claim()
    with_ai = replace(
        claim,
        lines=tuple(
            replace(line, modifiers=("AI",)) if line.code == "99222" else line
            for line in claim.lines
        ),
    )
    result = grade(v.key, with_ai, date_of_service=DOS, catalog=catalog)
    assert [(e.type, e.given) for e in result.errors] == [("extra_modifier", "AI")]
