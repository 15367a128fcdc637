"""The practice entry panel's form fields filled with a key's own answer.

One builder for both claim forms, so a change to the service-line fields (a new modifier slot,
the revenue column) is made once: the CMS-1500 panel takes diagnosis pointers, the UB-04 panel
takes none but always a revenue code (FL 42), and its diagnoses go to FL 67, FL 70 and FL 72.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.core.claims import AnswerKey, KeyedLine, is_external_cause, pointer_letters


def service_line_fields(lines: Sequence[KeyedLine], setting: str) -> dict[str, str]:
    """The ``lines-N-*`` fields of the keyed lines as the panel of ``setting`` takes them."""
    data: dict[str, str] = {}
    for n, keyed in enumerate(lines):
        line = keyed.line
        data[f"lines-{n}-code"] = line.code
        for m, mod in enumerate(line.modifiers):
            data[f"lines-{n}-mod{m + 1}"] = mod
        data[f"lines-{n}-units"] = str(line.units)
        if setting == "facility":
            data[f"lines-{n}-revenue"] = line.revenue_code or ""
            continue
        data[f"lines-{n}-pointers"] = pointer_letters(line.pointers)
        if line.revenue_code:
            data[f"lines-{n}-revenue"] = line.revenue_code
    return data


def ub04_form(key: AnswerKey) -> dict[str, str]:
    """The facility panel: FL 4, clinical codes to FL 67, external causes to FL 72, FL 70."""
    data: dict[str, str] = {"seconds": "300", "type_of_bill": key.type_of_bill}
    clinical = [d.code for d in key.diagnoses if not is_external_cause(d.code)]
    external = [d.code for d in key.diagnoses if is_external_cause(d.code)]
    for i, code in enumerate(clinical):
        data[f"diagnoses-{i}"] = code
    for i, code in enumerate(external):
        data[f"ecause-{i}"] = code
    for i, reason in enumerate(key.reason_for_visit):
        data[f"reason-{i}"] = reason.code
    data.update(service_line_fields(key.lines, "facility"))
    return data


def form_for(key: AnswerKey) -> dict[str, str]:
    """The entry panel of the key's own setting filled with its answer."""
    if key.setting == "facility":
        return ub04_form(key)
    data: dict[str, str] = {"seconds": "300"}
    if key.place_of_service:  # CMS-1500 box 24B, one for the claim
        data["place_of_service"] = key.place_of_service
    for i, dx in enumerate(key.diagnoses):
        data[f"diagnoses-{i}"] = dx.code
    data.update(service_line_fields(key.lines, key.setting))
    return data
