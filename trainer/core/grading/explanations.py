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
        "the first-listed diagnosis is the reason for the encounter (for a screening that "
        "finds something, the screening Z code comes first)."
    ),
    "missing_code": "every documented condition or service that the encounter supports is coded.",
    "extra_code": (
        "code only what the note documents and supports; uncertain outpatient diagnoses "
        "('rule out', 'probable') are not coded."
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


__all__ = ["RULES", "named", "rule", "sentence"]
