"""The chart header says where the service was in words, never the place-of-service code.

Box 24B is graded (``grading.place_of_service``); the header printed "Place of service | 22"
until stop 27, which gave the answer away on every professional chart.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.core.content.chart_header import LOCATIONS, location_of
from trainer.core.content.generation import Variant, generate
from trainer.core.content.realism import place_of_service_shown
from trainer.core.content.rendering import render_markdown
from trainer.core.content.templates import load_template

ROOT = Path(__file__).resolve().parents[2] / "exercises"
ANESTHESIA = ROOT / "anesthesia" / "lap-cholecystectomy-general-anesthesia"  # POS 22
TELEHEALTH = ROOT / "care_management" / "telehealth-medication-management"  # POS 10 or 02

_HEADER_ROW = re.compile(r"^\| \*\*([^*]+)\*\* \| ([^|]*)\|$", re.MULTILINE)


def _header(variant: Variant) -> dict[str, str]:
    head = variant.chart_markdown.split("| **Payer** |")[0] + "| **Payer** | x |"
    return {label: value.strip() for label, value in _HEADER_ROW.findall(head)}


def _cells(html: str) -> list[str]:
    table = html.split("</table>")[0]
    return [c.strip() for c in re.findall(r"<t[dh]>(.*?)</t[dh]>", table, re.DOTALL)]


def test_a_graded_pos_is_not_in_the_rendered_chart_but_the_setting_is():
    variant = generate(load_template(ANESTHESIA), 7)
    assert variant.key.place_of_service == "22"  # graded in box 24B
    header = _header(variant)
    assert "Place of service" not in header
    assert "22" not in header.values()
    assert header["Location"] == "Hospital outpatient department"
    assert re.search(r"Medical Center|Regional Hospital", header["Facility"])
    assert "Place of service" not in variant.chart_html
    assert "22" not in _cells(variant.chart_html)
    assert "<td>Hospital outpatient department</td>" in variant.chart_html
    assert place_of_service_shown(variant.chart_markdown, "22") == []


def test_where_the_code_set_splits_a_place_by_a_documented_fact_the_note_carries_it():
    """POS 10 (telehealth in the patient's home) vs 02 (elsewhere): the header says
    "Telehealth visit" for both, the note says where the patient was."""
    template = load_template(TELEHEALTH)
    seen = {}
    for choice in template.choices():
        variant = generate(template, 3, choices=choice)
        pos = variant.key.place_of_service
        assert _header(variant)["Location"] == "Telehealth visit"
        assert pos not in _header(variant).values()
        seen[pos] = variant.chart_markdown
    assert set(seen) == {"10", "02"}
    assert "rural" in seen["02"].lower() and "rural" not in seen["10"].lower()


def test_the_library_check_fails_a_chart_that_prints_the_pos_code():
    variant = generate(load_template(ANESTHESIA), 7)
    old = variant.chart_markdown.replace(
        "| **Location** | Hospital outpatient department |", "| **Place of service** | 22 |"
    )
    assert old != variant.chart_markdown
    assert place_of_service_shown(old, "22") == [
        "the chart prints the place-of-service code 22 (box 24B is graded)"
    ]
    assert place_of_service_shown("Seen in the office (POS 11) today.", "11")
    assert place_of_service_shown("positive for 11 of 12 markers", "11") == []
    assert place_of_service_shown("no code", "99") == [
        "the header cannot say where: POS 99 has no location words"
    ]


def test_a_chart_stored_before_the_change_no_longer_shows_the_code_when_opened():
    """An attempt keeps its variant as generated; one started with the old header is shown
    with the location line in its place."""
    variant = generate(load_template(ANESTHESIA), 7)
    data = variant.to_dict()
    old_markdown = data["chart_markdown"].replace(
        "| **Location** | Hospital outpatient department |\n", "| **Place of service** | 22 |\n"
    )
    assert "| **Place of service** | 22 |" in old_markdown
    data["chart_markdown"] = old_markdown
    data["chart_html"] = render_markdown(old_markdown)
    assert "<td><strong>Place of service</strong></td>" in data["chart_html"]
    opened = Variant.from_dict(data)
    assert "Place of service" not in opened.chart_markdown
    assert "Place of service" not in opened.chart_html
    assert "22" not in _cells(opened.chart_html)
    assert opened.chart_markdown == variant.chart_markdown
    assert opened.chart_html == variant.chart_html
    assert opened.key == variant.key


@pytest.mark.parametrize("pos", sorted(LOCATIONS))
def test_every_location_line_is_words_not_a_code(pos):
    words = location_of(pos)
    assert words and not re.search(r"\d", words)


def test_every_professional_variant_in_the_library_hides_its_pos(library):
    checked = 0
    for template in library.templates.values():
        for choice in template.choices():
            variant = generate(template, 0, choices=choice)
            pos = variant.key.place_of_service
            if not pos:
                continue
            checked += 1
            header = _header(variant)
            assert pos not in header.values(), (template.slug, choice)
            assert header.get("Location") == location_of(pos) != "", (template.slug, pos)
            assert "Place of service" not in variant.chart_html, template.slug
    assert checked > 700
