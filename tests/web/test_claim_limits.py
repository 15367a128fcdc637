"""One set of claim limits: the API, the entry form and the OpenAPI contract agree on each."""

from __future__ import annotations

import pytest

from tests.web.test_api import KNEE_KEY, grade_body
from trainer.core.claims import (
    MAX_DIAGNOSES,
    MAX_INPATIENT_DIAGNOSES,
    MAX_LINES,
    MAX_PROCEDURES,
    MAX_UNITS,
    MIN_UNITS,
    SETTINGS,
)
from trainer.core.grading.entry import EntryLine, parse_entry
from trainer.core.grading.types import POLICIES


def _answer_with_units(units: int) -> dict[str, object]:
    lines = [{**KNEE_KEY["lines"][0], "units": units}, KNEE_KEY["lines"][1]]
    return {**KNEE_KEY, "lines": lines}


@pytest.mark.parametrize(
    ("units", "status"),
    [(MIN_UNITS - 1, 400), (MIN_UNITS, 200), (MAX_UNITS, 200), (MAX_UNITS + 1, 400)],
)
def test_the_api_takes_units_from_one_to_the_maximum(client, auth, units, status):  # type: ignore[no-untyped-def]
    auth.login()
    response = client.post("/api/v1/grade", json=grade_body(answer=_answer_with_units(units)))
    assert response.status_code == status, response.get_json()
    if status == 400:
        assert response.get_json()["field"] == "answer.lines[0].units"


@pytest.mark.parametrize(
    ("units", "accepted"),
    [(str(MIN_UNITS - 1), False), (str(MIN_UNITS), True), (str(MAX_UNITS), True)]
    + [(str(MAX_UNITS + 1), False)],
)
def test_the_entry_form_takes_the_same_units(units: str, accepted: bool) -> None:
    claim, problems = parse_entry(["M17.11"], [EntryLine(code="20610", units=units)], False)
    assert (claim is not None) is accepted, problems


def test_the_openapi_contract_states_the_validators_limits(client):  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/openapi.json").get_json()

    def resolve(schema):  # type: ignore[no-untyped-def]
        while "$ref" in schema:
            schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema

    body = doc["paths"]["/api/v1/grade"]["post"]["requestBody"]["content"]["application/json"]
    props = resolve(body["schema"])["properties"]
    line = resolve(props["answer"])["properties"]
    units = resolve(line["lines"]["items"])["properties"]["units"]
    assert (units["minimum"], units["maximum"]) == (MIN_UNITS, MAX_UNITS)
    assert line["lines"]["maxItems"] == MAX_LINES
    assert line["diagnoses"]["maxItems"] == MAX_INPATIENT_DIAGNOSES  # 12 except inpatient
    assert f"At most {MAX_DIAGNOSES} on a CMS-1500" in line["diagnoses"]["description"]
    assert line["poa"]["items"]["enum"] == ["Y", "N", "U", "W", "1", ""]
    procedure = resolve(line["procedures"]["items"])
    assert line["procedures"]["maxItems"] == MAX_PROCEDURES and procedure["required"] == ["code"]
    assert props["policy"]["enum"] == list(POLICIES)
    assert props["setting"]["enum"] == list(SETTINGS)
