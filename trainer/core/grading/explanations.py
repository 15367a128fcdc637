"""The sentences a trainee reads: what was entered, what the key supports, and the rule.

Kept apart from the matching logic so that wording can be reviewed by a coder without
reading the alignment code. Where the key's rationale exists it is the rule quoted; the
defaults below are the general coding conventions behind each error type.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    "invalid_code": "only codes that exist in the code set can be reported.",
    "header_code": (
        "a category or subcategory that has codes below it is a header, not billable; report "
        "a complete code to the highest specificity documented."
    ),
    "not_valid_on_dos": (
        "a code is valid only from its effective date until it is deleted; the code set in "
        "force on the date of service decides (ICD-10-CM changes each 1 October)."
    ),
    "wrong_code": "the code must describe what the note documents.",
    "combination": (
        "where the classification has a combination code for the conditions documented, it "
        "is reported instead of separate codes."
    ),
    "specificity": (
        "code to the highest specificity the documentation supports; an unspecified code is "
        "only for when the note does not say more."
    ),
    "laterality": "documented laterality is coded: the side in the code must match the note.",
    "seventh_character": (
        "this category needs a 7th character for the encounter (A initial, D subsequent, "
        "S sequela, and more for fractures); where the code is shorter than 6 characters the "
        "placeholder X fills the gap."
    ),
    "sequencing": (
        "the first-listed diagnosis is the condition, problem or other reason shown in the "
        "record to be chiefly responsible for the services of this encounter (ICD-10-CM IV.G)."
    ),
    "missing_code": "every documented condition or service that the encounter supports is coded.",
    "extra_code": (
        "report the conditions and services the note documents for this encounter; compare "
        "your codes with the key's codes and their rationales."
    ),
    "excludes1_conflict": (
        "an Excludes1 note means the two conditions are not coded together: the excluded "
        "code is never reported with the code the note sits under (ICD-10-CM I.A.12.a)."
    ),
    "missing_modifier": (
        "the modifier tells the payer a fact about the service that the note supports."
    ),
    "extra_modifier": "a modifier is appended only when the note supports it.",
    "wrong_modifier": (
        "the modifier must match what was done (side, digit, component, distinct service)."
    ),
    "wrong_units": (
        "units count what the code's descriptor measures (for a drug, the billing unit: 40 mg "
        "of a per-10-mg code is 4 units)."
    ),
    "mue_exceeded": (
        "Medically Unlikely Edits cap the units of a code per patient per day; a line over "
        "the cap is denied."
    ),
    "wrong_revenue_code": (
        "on a facility claim each line's revenue code must match the department that provided "
        "the service and its CPT/HCPCS code."
    ),
    "wrong_pointer": (
        "the first diagnosis pointer on a line is the diagnosis that supports it; payers read "
        "medical necessity from it."
    ),
    "wrong_type_of_bill": (
        "UB-04 FL 4 is a leading zero and three digits: the kind of facility (1 hospital, "
        "7 clinic), the kind of care (3 outpatient; for a clinic, 7 a federally qualified "
        "health center) and the frequency (1 a claim for the whole encounter); an outpatient "
        "hospital visit is 013x, an FQHC visit 077x (NUBC; CMS Claims Processing Manual "
        "ch. 25 §75.1)."
    ),
    "wrong_place_of_service": (
        "CMS-1500 box 24B reports where the service was furnished, from the CMS "
        "place-of-service code set (Medicare Claims Processing Manual ch. 26 §10.5); the "
        "Physician Fee Schedule pays the lower facility practice expense in a facility "
        "(hospital, ASC, SNF) and the non-facility one elsewhere (ch. 12 §20.4.2)."
    ),
    "wrong_reason_for_visit": (
        "UB-04 FL 70 reports the patient's reason for an unscheduled outpatient visit (an "
        "emergency department visit) as the patient stated it on arrival, which may be a "
        "symptom rather than the diagnosis made after study (NUBC; CMS Claims Processing "
        "Manual ch. 25 §75.5)."
    ),
    "ncci_unbundled": (
        "NCCI pairs the column 2 code into the column 1 code; reporting both without a "
        "supported distinct-service modifier is unbundling."
    ),
    "addon_without_primary": (
        "an add-on code describes work done in addition to a primary service and is paid only "
        "when one of its primary codes is on the same claim (NCCI add-on code edits)."
    ),
    "em_level_high": (
        "the E/M level is set by medical decision making (two of three elements) or by total "
        "time where documented; reporting a higher level than the note supports is over-coding."
    ),
    "em_level_low": (
        "the E/M level is set by medical decision making (two of three elements) or by total "
        "time where documented; reporting a lower level than the note supports loses revenue."
    ),
}


# Why an extra code or line is not reported: the supported-part of the sentence and the rule.
# Used when the key names the decoy (``[[key.not_coded]]``) or the grader can prove the reason.
NOT_CODED: dict[str, tuple[str, str]] = {
    "not_documented": (
        "the note does not document it",
        "a code is reported only for a condition or service the note documents.",
    ),
    "uncertain_diagnosis": (
        "the note documents it only as uncertain (rule out, probable, suspected, questionable)",
        "in outpatient coding an uncertain diagnosis is not coded as if it were confirmed: "
        "code the signs, symptoms or findings to the highest degree of certainty "
        "(ICD-10-CM IV.H).",
    ),
    "integral_symptom": (
        "the sign or symptom is part of the confirmed diagnosis",
        "signs and symptoms routinely associated with a disease process are not coded in "
        "addition to the confirmed diagnosis (ICD-10-CM I.B.5; outpatient IV.D).",
    ),
    "excludes1": (
        "an Excludes1 note forbids reporting it with another code on the claim",
        "Excludes1 conditions are never coded together (ICD-10-CM I.A.12.a).",
    ),
    "ncci_bundled": (
        "NCCI bundles it into another service on the claim",
        "NCCI pairs the column 2 code into the column 1 code; reporting both without a "
        "supported distinct-service modifier is unbundling (NCCI Policy Manual).",
    ),
    "global_package": (
        "the service is part of the global surgical package",
        "care included in a procedure's global period is paid with the procedure and not "
        "billed separately (CMS Claims Processing Manual ch. 12 §40.1; CPT surgical package).",
    ),
    "duplicate": (
        "each code is reported once",
        "a diagnosis is reported once per claim; a service once, with its units.",
    ),
    "history_of": (
        "the note documents the condition as past or resolved, not current",
        "a condition previously treated that no longer exists is not coded as active; a "
        "personal history code (Z85-Z87) may be reported instead (ICD-10-CM IV.J, I.C.21.c.4).",
    ),
    "optional_not_required": (
        "the guidelines make this code optional and it does not apply to this encounter",
        "external cause place, activity and status codes are optional unless a payer or "
        "state requires them, and are reported once, at the initial encounter (ICD-10-CM "
        "I.C.20.b, I.C.20.c, I.C.20.k).",
    ),
    "other_provider": (
        "another provider performs and bills that service",
        "a claim reports only the services of the provider who bills it: a test run by the "
        "hospital or reference laboratory is billed by that laboratory, not on this claim.",
    ),
    "incidental_finding": (
        "the note records it as an incidental finding the provider did not address",
        "a finding is coded only when the provider documents its clinical significance or "
        "addresses it in this encounter.",
    ),
}

# Inpatient facility coding (UB-04, type of bill 111): the rules behind the inpatient errors.
INPATIENT_RULES: dict[str, str] = {
    "principal_dx": (
        "the principal diagnosis is the condition established after study to be chiefly "
        "responsible for occasioning the admission of the patient to the hospital for care "
        "(UHDDS; ICD-10-CM Official Guidelines Section II). Codes for symptoms integral to "
        "an established diagnosis are not principal (II.A); an uncertain diagnosis documented "
        "at discharge as probable, suspected or likely is coded as if established (II.H)."
    ),
    "secondary": (
        "other diagnoses are reported when they coexist at admission or develop later and "
        "affect the care: clinical evaluation, therapeutic treatment, diagnostic procedures, "
        "extended length of stay or increased nursing care and/or monitoring (UHDDS; "
        "Section III); uncertain diagnoses at discharge are coded as if established (III.C)."
    ),
    "poa_indicator": (
        "present on admission means present at the time the order for inpatient admission "
        "occurs, including conditions that arose during an outpatient encounter (emergency "
        "department, observation, outpatient surgery) before it: Y yes, N no, U the "
        "documentation is insufficient to decide (query the provider), W the provider cannot "
        "clinically determine it, 1 (blank on the 837I) a code exempt from POA reporting "
        "(ICD-10-CM Official Guidelines Appendix I)."
    ),
    "pcs_axis": (
        "an ICD-10-PCS code is built character by character from one row of a PCS table; each "
        "character is an axis (for Medical and Surgical: section, body system, root operation, "
        "body part, approach, device, qualifier), and the root operation is chosen by the "
        "objective of the procedure (ICD-10-PCS Official Guidelines B3.1a); the approach is "
        "how the site was reached (B5), the device what remains after the procedure (B6)."
    ),
    "principal_procedure": (
        "the principal procedure is the one performed for definitive treatment rather than "
        "for diagnostic or exploratory purposes, or to treat a complication; when several "
        "qualify, the one most related to the principal diagnosis (UHDDS)."
    ),
    "drg_mismatch": (
        "the MS-DRG is assigned from the principal diagnosis, the secondary diagnoses (CC "
        "and MCC, with exclusions by the principal), the procedures, age, sex and discharge "
        "status; the hospital is paid the DRG's relative weight times its base rate, so a "
        "different DRG is a different payment."
    ),
    "missed_cc_mcc": (
        "a secondary diagnosis on the CMS CC or MCC list raises the severity level of the "
        "MS-DRG unless the principal diagnosis excludes it; leaving a documented CC or MCC "
        "off the claim understates the stay and lowers the payment."
    ),
    "procedure_date": (
        "each ICD-10-PCS code of an inpatient claim is reported with the date the procedure "
        "was performed: the principal procedure code and date in UB-04 FL 74, the other "
        "procedures and their dates in FL 74a-e, required on inpatient claims when a "
        "procedure was performed (NUBC UB-04 data specifications; Medicare Claims Processing "
        "Manual, chapter 25, section 75.6); the 837I carries the date with each code. The date "
        "is the one the procedure note documents, not the admission or discharge date."
    ),
}

# Why one diagnosis goes before another: the rule the grader can show applies.
SEQUENCE_RULES: dict[str, str] = {
    "order_note": (
        "a code-first or use-additional-code note fixes the order: the code the note asks "
        "to be sequenced first goes before the other (ICD-10-CM I.A.13)."
    ),
    "manifestation": (
        "etiology/manifestation convention: the underlying condition is sequenced first and "
        "the manifestation ('in diseases classified elsewhere') after it; a manifestation code "
        "is never first-listed (ICD-10-CM I.A.13)."
    ),
    "neoplasm_anaemia": (
        "when the encounter is for anaemia associated with a malignancy, the malignancy is "
        "sequenced first, followed by D63.0 (ICD-10-CM I.C.2.c.1)."
    ),
    "external_cause": (
        "an external cause code is never first-listed; it follows the injury or condition it "
        "explains (ICD-10-CM I.C.20)."
    ),
    "injury": (
        "the injury treated is first-listed (the most serious injury first), and external "
        "cause codes follow it (ICD-10-CM I.C.19.b, I.C.20)."
    ),
    "screening": (
        "for a screening encounter the screening Z code is first-listed and a condition the "
        "screening finds is an additional code (ICD-10-CM I.C.21.c.5)."
    ),
    "reason": RULES["sequencing"],
}


def not_coded_rule(reason: str, rationale: str = "") -> tuple[str, str]:
    """(what the documentation says, the rule) for a decoy's reason; the key's words win."""
    supported, general = NOT_CODED.get(reason, ("", ""))
    text = rationale.strip() or general
    if text and not text.endswith((".", "!", "?")):
        text += "."
    return supported, text[:1].upper() + text[1:]


def named(code: str | None, title: str) -> str:
    """``M17.11 (Unilateral primary osteoarthritis, right knee)``, or the code alone."""
    if not code:
        return "nothing"
    return f"{code} ({title})" if title else code


def rule(kind: str, rationale: str = "") -> str:
    """The rule sentence: the key's rationale where present, else the convention."""
    text = rationale.strip()
    if text:
        return text if text.endswith((".", "!", "?")) else text + "."
    general = RULES.get(kind, "")
    return general[:1].upper() + general[1:]


def sentence(entered: str, supported: str, kind: str, rationale: str = "") -> str:
    """Join the three parts every explanation has."""
    return f"{entered.rstrip('. ')}; {supported}. Rule: {rule(kind, rationale)}"


__all__ = [
    "INPATIENT_RULES",
    "NOT_CODED",
    "RULES",
    "SEQUENCE_RULES",
    "named",
    "not_coded_rule",
    "rule",
    "sentence",
]
