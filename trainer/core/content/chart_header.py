"""The header every chart starts with: who, when, where, and who pays.

The place of service is box 24B of the CMS-1500, a graded answer, so the header does not print
its code (it did, as "Place of service | 22", until stop 27). It says where the service was
done the way a real record does, in words: the facility's name (drawn by ``people``) and a
location line ("Emergency department", "Hospital outpatient department", "Office"), from which
a coder reads the POS as they would on the job. Where the code set splits one kind of place
by a fact the note itself documents (the patient's home or an assisted living facility, a
skilled stay or long-term care, telehealth from home or from a clinic), the line names the
kind only and leaves that fact to the note. A chart whose template has no POS (most UB-04
charts) gets no location line: its record type says where (ED facility record, infusion
record).
"""

from __future__ import annotations

import re
from datetime import date

# POS code -> what the record's header prints: the kind of place, not the code.
LOCATIONS: dict[str, str] = {
    "02": "Telehealth visit",
    "10": "Telehealth visit",
    "11": "Office",
    "12": "Patient's residence",
    "13": "Patient's residence",
    "19": "Hospital outpatient department (off campus)",
    "21": "Hospital, inpatient unit",
    "22": "Hospital outpatient department",
    "23": "Emergency department",
    "24": "Ambulatory surgery center",
    "31": "Nursing facility",
    "32": "Nursing facility",
    "50": "Community health center (FQHC)",
    "81": "Independent laboratory",
}

HEADER = """| **Patient** | {name} |
|---|---|
| **DOB / age / sex** | {dob:%m/%d/%Y} / {age} / {sex} |
| **MRN** | {mrn} |
| **Date of service** | {dos:%m/%d/%Y} |
| **Provider** | {provider} |
| **Facility** | {facility} |
{location}| **Payer** | {payer} (member {member}) |

"""


def location_of(place_of_service: str) -> str:
    """The record's words for where the service was done ("" for no POS or an unknown one;
    the library check fails a professional template whose POS has no words here)."""
    return LOCATIONS.get(place_of_service.strip(), "")


def location_row(place_of_service: str) -> str:
    words = location_of(place_of_service)
    return f"| **Location** | {words} |\n" if words else ""


def header_markdown(
    *,
    name: str,
    dob: date,
    age: int,
    sex: str,
    mrn: str,
    dos: date,
    provider: str,
    facility: str,
    place_of_service: str,
    payer: str,
    member: str,
) -> str:
    return HEADER.format(
        name=name,
        dob=dob,
        age=age,
        sex=sex,
        mrn=mrn,
        dos=dos,
        provider=provider,
        facility=facility,
        location=location_row(place_of_service),
        payer=payer,
        member=member,
    )


# The row charts generated before stop 27 carry, in their stored Markdown and HTML.
_OLD_MARKDOWN_ROW = re.compile(r"^\| \*\*Place of service\*\* \| [^|\n]*\|\n", re.MULTILINE)
_OLD_HTML_ROW = re.compile(
    r"<tr>\s*<td><strong>Place of service</strong></td>\s*<td>[^<]*</td>\s*</tr>\s*"
)


def hide_stored_place_of_service(
    markdown: str, html: str, place_of_service: str
) -> tuple[str, str]:
    """A chart stored before stop 27 (an attempt keeps its variant for ever) printed the POS
    code in its header; replace that row with the location line, so an attempt started then
    and opened now does not show box 24B's answer."""
    words = location_of(place_of_service)
    md_row = location_row(place_of_service)
    html_row = (
        f"<tr>\n<td><strong>Location</strong></td>\n<td>{words}</td>\n</tr>\n" if words else ""
    )
    return (
        _OLD_MARKDOWN_ROW.sub(lambda _: md_row, markdown, count=1),
        _OLD_HTML_ROW.sub(lambda _: html_row, html, count=1),
    )
