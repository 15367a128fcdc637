"""What each of the seven ICD-10-PCS characters means, and the root operations in our words.

A PCS code is built, not looked up: every character is one axis of a table row, and what an
axis is depends on the section (the 4th character is the body part in Medical and Surgical but
the body region in Placement). The names of the axes and sections are the structure CMS
publishes in the PCS tables; the root-operation definitions below are the trainer's own
paraphrase of the ideas in the ICD-10-PCS Official Guidelines (B3), written for trainees.
"""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "0": "Medical and Surgical",
    "1": "Obstetrics",
    "2": "Placement",
    "3": "Administration",
    "4": "Measurement and Monitoring",
    "5": "Extracorporeal or Systemic Assistance and Performance",
    "6": "Extracorporeal or Systemic Therapies",
    "7": "Osteopathic",
    "8": "Other Procedures",
    "9": "Chiropractic",
    "B": "Imaging",
    "C": "Nuclear Medicine",
    "D": "Radiation Therapy",
    "F": "Physical Rehabilitation and Diagnostic Audiology",
    "G": "Mental Health",
    "H": "Substance Abuse Treatment",
    "X": "New Technology",
}

_SURGICAL = (
    "section",
    "body system",
    "root operation",
    "body part",
    "approach",
    "device",
    "qualifier",
)
AXES: dict[str, tuple[str, ...]] = {
    "0": _SURGICAL,
    "1": _SURGICAL,
    "2": (
        "section",
        "body system",
        "root operation",
        "body region",
        "approach",
        "device",
        "qualifier",
    ),
    "3": (
        "section",
        "body system",
        "root operation",
        "body system / region",
        "approach",
        "substance",
        "qualifier",
    ),
    "4": (
        "section",
        "body system",
        "root operation",
        "body system",
        "approach",
        "function / device",
        "qualifier",
    ),
    "5": (
        "section",
        "body system",
        "root operation",
        "body system",
        "duration",
        "function",
        "qualifier",
    ),
    "6": (
        "section",
        "body system",
        "root operation",
        "body system",
        "duration",
        "qualifier",
        "qualifier",
    ),
    "7": (
        "section",
        "body system",
        "root operation",
        "body region",
        "approach",
        "method",
        "qualifier",
    ),
    "8": (
        "section",
        "body system",
        "root operation",
        "body region",
        "approach",
        "method",
        "qualifier",
    ),
    "9": (
        "section",
        "body system",
        "root operation",
        "body region",
        "approach",
        "method",
        "qualifier",
    ),
    "B": ("section", "body system", "type", "body part", "contrast", "qualifier", "qualifier"),
    "C": ("section", "body system", "type", "body part", "radionuclide", "qualifier", "qualifier"),
    "D": (
        "section",
        "body system",
        "modality",
        "treatment site",
        "modality qualifier",
        "isotope",
        "qualifier",
    ),
    "F": (
        "section",
        "section qualifier",
        "type",
        "body system / region",
        "type qualifier",
        "equipment",
        "qualifier",
    ),
    "G": ("section", "body system", "type", "qualifier", "qualifier", "qualifier", "qualifier"),
    "H": ("section", "body system", "type", "qualifier", "qualifier", "qualifier", "qualifier"),
    "X": (
        "section",
        "body system",
        "root operation",
        "body part",
        "approach",
        "device / substance / technology",
        "qualifier",
    ),
}

#: Approach values of the Medical and Surgical section (5th character), as PCS names them.
APPROACHES: dict[str, str] = {
    "0": "Open",
    "3": "Percutaneous",
    "4": "Percutaneous Endoscopic",
    "7": "Via Natural or Artificial Opening",
    "8": "Via Natural or Artificial Opening Endoscopic",
    "F": "Via Natural or Artificial Opening with Percutaneous Endoscopic Assistance",
    "X": "External",
}

#: Root operations, in our words: what the procedure is meant to accomplish.
ROOT_OPERATIONS: dict[str, str] = {
    "Alteration": "Changing a body part's form for looks only, without treating disease.",
    "Bypass": "Rerouting the contents of a tubular body part along a new path, around or "
    "away from its usual route.",
    "Change": "Taking out a device and putting back the same or a similar one without cutting "
    "or puncturing skin or mucous membrane.",
    "Control": "Stopping or trying to stop bleeding after a procedure or other acute bleeding.",
    "Creation": "Making a new genital structure that stands in for one that is missing.",
    "Destruction": "Wiping out all or part of a body part by heat, cold, chemicals or other "
    "force, so that nothing of it is taken out.",
    "Detachment": "Cutting off all or part of an upper or lower extremity (an amputation).",
    "Dilation": "Widening the opening or passage of a tubular body part.",
    "Division": "Cutting into a body part, without draining anything, to separate or transect it.",
    "Drainage": "Taking out or letting out fluids or gases from a body part.",
    "Excision": "Cutting out or off a portion of a body part, without replacing it.",
    "Extirpation": "Taking out solid matter (a clot, stone, foreign body) from a body part.",
    "Extraction": "Pulling or stripping out all or part of a body part by force.",
    "Fragmentation": "Breaking solid matter in a body part into pieces.",
    "Fusion": "Joining portions of a joint so that it can no longer move.",
    "Insertion": "Putting in a device that monitors, assists, performs or prevents a "
    "function, without taking the place of a body part.",
    "Inspection": "Looking at a body part, directly or with instruments, to examine it.",
    "Map": "Locating the route of electrical impulses or functional areas in a body part.",
    "Occlusion": "Closing off completely the opening or passage of a tubular body part.",
    "Reattachment": "Putting back all or part of a separated body part in its usual place.",
    "Release": "Freeing a body part from an abnormal physical constraint by cutting or force.",
    "Removal": "Taking a device out of or off a body part.",
    "Repair": "Restoring a body part, as far as possible, to its usual structure and "
    "function (the choice when no other root operation applies).",
    "Replacement": "Putting in or on a biological or synthetic material that takes the "
    "place or function of all or part of a body part.",
    "Reposition": "Moving all or part of a body part to its usual or another suitable place.",
    "Resection": "Cutting out or off all of a body part, without replacing it.",
    "Restriction": "Partly closing the opening or passage of a tubular body part.",
    "Revision": "Correcting, as far as possible, a device that is malfunctioning or out of place.",
    "Supplement": "Putting in or on material that reinforces or adds to the function of a "
    "body part.",
    "Transfer": "Moving all or part of a body part, without taking it off, to take over the "
    "function of another.",
    "Transplantation": "Putting in all or part of a living body part taken from another "
    "person or animal, to take over the function of the same part.",
    "Delivery": "Assisting the passage of the products of conception from the genital canal.",
    "Abortion": "Artificially ending a pregnancy.",
}


#: Words coders and surgeons say, and the PCS words the titles use instead (PCS titles name
#: the root operation and body part, never the eponym or the "-ectomy").
LAY_TERMS: dict[str, str] = {
    "cholecystectomy": "resection gallbladder",
    "appendectomy": "resection appendix",
    "colectomy": "resection colon",
    "hemicolectomy": "resection colon",
    "sigmoidectomy": "resection sigmoid colon",
    "hemiarthroplasty": "replacement hip joint femoral surface",
    "arthroplasty": "replacement joint",
    "cabg": "bypass coronary artery",
    "pci": "dilation coronary artery intraluminal device",
    "stent": "intraluminal device",
    "cesarean": "extraction products conception",
    "caesarean": "extraction products conception",
    "c-section": "extraction products conception",
    "episiotomy": "division perineum",
    "laparoscopic": "percutaneous endoscopic",
    "lap": "percutaneous endoscopic",
    "intubation": "insertion endotracheal airway",
    "ventilation": "respiratory ventilation",
    "transfusion": "transfusion",
    "egd": "inspection upper intestinal tract",
    "colonoscopy": "inspection lower intestinal tract",
    "laminectomy": "excision vertebra",
    "discectomy": "excision disc",
}


def axis_names(code_or_prefix: str) -> tuple[str, ...]:
    """The seven axis names for the section a code or prefix starts with."""
    return AXES.get(code_or_prefix[:1].upper(), _SURGICAL)


__all__ = ["APPROACHES", "AXES", "LAY_TERMS", "ROOT_OPERATIONS", "SECTIONS", "axis_names"]
