"""Reading claims and keys from their JSON shape, with messages that name the field."""

import pytest

from trainer.core.claims import (
    AnswerKey,
    ClaimFormatError,
    KeyedDiagnosis,
    KeyedLine,
    ServiceLine,
    claim_from_dict,
    key_from_dict,
    pointer_letters,
)


def test_claim_round_trips_through_its_dict():
    data = {
        "diagnoses": ["M17.11", "Z79.899"],
        "lines": [
            {
                "code": "20610",
                "modifiers": ["RT"],
                "units": 1,
                "revenue_code": None,
                "pointers": [1],
            }
        ],
    }
    claim = claim_from_dict(data)
    assert claim.lines[0] == ServiceLine("20610", ("RT",), 1, None, (1,))
    assert claim.to_dict() == data


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"diagnoses": "M17.11"}, "claim.diagnoses"),
        ({"diagnoses": [17]}, "claim.diagnoses[0]"),
        ({"lines": [{"code": "20610", "units": -1}]}, "claim.lines[0].units"),
        ({"lines": [{"code": "20610", "units": True}]}, "claim.lines[0].units"),
        ({"lines": [{"code": "20610", "pointers": [13]}]}, "claim.lines[0].pointers[0]"),
        ({"lines": ["20610"]}, "claim.lines[0]"),
        ({"lines": [{"code": "x" * 40}]}, "claim.lines[0].code"),
        ([], "claim"),
    ],
)
def test_malformed_claims_name_the_field(data, field):
    with pytest.raises(ClaimFormatError) as caught:
        claim_from_dict(data)
    assert caught.value.field == field


def test_key_accepts_plain_codes_and_keyed_objects():
    key = key_from_dict(
        {
            "diagnoses": ["M17.11", {"code": "Z79.52", "alternates": ["Z79.899"]}],
            "lines": [{"code": "20610", "modifiers": ["RT"], "rationale": "major joint"}],
            "alternates": [{"diagnoses": ["M17.11"], "lines": []}],
        },
        setting="professional",
    )
    assert key.diagnoses[1] == KeyedDiagnosis("Z79.52", "", ("Z79.899",))
    assert key.lines[0] == KeyedLine(ServiceLine("20610", ("RT",)), "major joint", ())
    assert key.as_claim().diagnoses == ("M17.11", "Z79.52")
    assert len(key.alternate_sets) == 1


def test_key_rejects_unknown_setting():
    with pytest.raises(ClaimFormatError) as caught:
        key_from_dict({"diagnoses": [], "lines": []}, setting="outpatient")
    assert caught.value.field == "setting"


def test_answer_key_serialises_with_em_facts():
    key = key_from_dict(
        {
            "diagnoses": ["I10"],
            "lines": [{"code": "99214"}],
            "em": {
                "category": "office_established",
                "problems": "moderate",
                "data": "low",
                "risk": "moderate",
            },
        }
    )
    assert isinstance(key, AnswerKey)
    assert key.to_dict()["em"]["problems"] == "moderate"


def test_pointer_letters_follow_box_21():
    assert pointer_letters((1, 3, 12)) == "ACL"
