"""Inpatient charts through the test client: entry with POA and PCS, draft, UB-04, DRG."""

from __future__ import annotations

from tests.web.test_practice import key_of, start_chart
from trainer.extensions import db
from trainer.models import Attempt


def inpatient_form(key) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {"seconds": "600"}
    for i, dx in enumerate(key.diagnoses):
        data[f"diagnoses-{i}"] = dx.code
        data[f"poa-{i}"] = dx.poa
    for n, proc in enumerate(key.procedures):
        data[f"procedures-{n}-code"] = proc.code
        data[f"procedures-{n}-date"] = proc.date  # the date its procedure note documents
    for n in range(len(key.procedures), 4):
        data[f"procedures-{n}-code"] = ""
    return data


def test_inpatient_chart_shows_the_poa_and_pcs_panel(client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'name="poa-0"' in page and 'name="procedures-0-code"' in page
    assert 'name="lines-0-code"' not in page  # no outpatient service lines on an inpatient claim


def test_the_keyed_stay_scores_100_and_shows_both_drgs(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    key = key_of(app, attempt_id)
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=inpatient_form(key))
    assert response.status_code == 303
    with app.app_context():
        item = db.session.get(Attempt, attempt_id)
        assert item.score == 1.0
        graded = item.grades[-1].result
        assert graded["drg"]["same"] is True
        assert item.answer.get("poa")
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "UB-04 (CMS-1450), inpatient" in page and "0111" in page
    assert f'id="drg-key">{graded["drg"]["key"]["drg"]}<' in page


def test_a_wrong_poa_is_graded_and_named(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    key = key_of(app, attempt_id)
    form = inpatient_form(key)
    form["poa-0"] = "W" if key.diagnoses[0].poa != "W" else "Y"
    client.post(f"/practice/attempt/{attempt_id}/submit", data=form)
    with app.app_context():
        graded = db.session.get(Attempt, attempt_id).grades[-1].result
    assert "poa_indicator" in [e["type"] for e in graded["errors"]]


def test_malformed_poa_or_pcs_is_400_and_costs_nothing(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    key = key_of(app, attempt_id)
    for field, value, message in (
        ("poa-0", "X", "POA is Y, N, U, W or 1"),
        ("procedures-0-code", "0FT4-4ZZ", "not an ICD-10-PCS code shape"),
        ("procedures-0-date", "yesterday", "YYYY-MM-DD"),
    ):
        form = inpatient_form(key)
        form[field] = value
        if field == "procedures-0-date":
            form["procedures-0-code"] = "0FT44ZZ"
        response = client.post(f"/practice/attempt/{attempt_id}/submit", data=form)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"


def test_inpatient_draft_keeps_poa_and_procedures(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    draft = {"diagnoses": ["A41.9"], "poa": ["Y"], "procedures": [{"code": "5A1955Z", "date": ""}]}
    assert client.post(f"/practice/attempt/{attempt_id}/draft", json=draft).status_code == 200
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'value="5A1955Z"' in page and '<option value="Y" selected>' in page


def test_another_trainees_inpatient_chart_is_404(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    auth.logout()
    auth.login("other")
    assert client.get(f"/practice/attempt/{attempt_id}").status_code == 404
    draft = {"diagnoses": ["A41.9"], "poa": ["Y"]}
    assert client.post(f"/practice/attempt/{attempt_id}/draft", json=draft).status_code == 404


def test_pcs_builder_walks_to_a_code(client, auth):
    assert client.get("/lookup/pcs").status_code in (302, 401)  # login required
    auth.login()
    page = client.get("/lookup/pcs").get_data(as_text=True)
    assert "Medical and Surgical" in page
    page = client.get("/lookup/pcs?prefix=0SR").get_data(as_text=True)
    assert "Left Hip Joint, Femoral Surface" in page and "Root operation Replacement" in page
    page = client.get("/lookup/pcs?prefix=0SRS0J9&dos=2026-05-01").get_data(as_text=True)
    assert 'id="pcs-complete">0SRS0J9<' in page


def test_pcs_builder_bad_prefix_is_4xx(client, auth):
    auth.login()
    assert client.get("/lookup/pcs?prefix=0SRI").status_code == 400  # PCS has no I
    assert client.get("/lookup/pcs?prefix=" + "0" * 50).status_code == 400
    assert client.get("/lookup/pcs?prefix=0SR1").status_code == 404  # no such table row


def test_pcs_detail_page(client, auth):
    auth.login()
    page = client.get("/lookup/icd10pcs/0FT44ZZ").get_data(as_text=True)
    assert "approach: 4 = Percutaneous Endoscopic" in page


def test_an_exam_draft_keeps_every_inpatient_entry_that_parses():
    """At the exam bell the saved draft is graded: bad rows are dropped, good ones kept with
    their POA (the diagnosis after a malformed one keeps its own indicator)."""
    from types import SimpleNamespace

    from trainer.services.practice import draft_claim

    draft = {
        "diagnoses": ["A41.9", "J18..9", "N17.9"],
        "poa": ["Y", "Y", "N"],
        "procedures": [{"code": "5A1955Z", "date": "2026-05-02"}, {"code": "bad code!"}],
    }
    claim = draft_claim(SimpleNamespace(setting="inpatient", draft=draft))
    assert claim.diagnoses == ("A41.9", "N17.9")
    assert claim.poa == ("Y", "N")
    assert [p.code for p in claim.procedures] == ["5A1955Z"]


def test_dropping_a_secondary_that_moves_the_drg_is_priced_in_dollars(app, client, auth):
    """The stay's payment estimate (weight x DRG_BASE_RATE) is stored and shown; a trainee who
    leaves off every secondary diagnosis of a stay that then groups to another DRG is priced
    at the difference (under when the key pays more, over when the given claim does), and the
    attempt's revenue columns carry it into the reports."""
    from decimal import Decimal

    from trainer.domain import domain

    with app.app_context():  # DRG_BASE_RATE as read at start-up (a per-test app)
        domain().drg_base_rate = Decimal("10000")
    auth.login()
    for _ in range(12):  # draw until a stay whose secondaries carry a CC/MCC
        attempt_id = start_chart(client, "inpatient")
        key = key_of(app, attempt_id)
        form = inpatient_form(key)
        for i in range(1, len(key.diagnoses)):
            form[f"diagnoses-{i}"] = ""
            form[f"poa-{i}"] = ""
        client.post(f"/practice/attempt/{attempt_id}/submit", data=form)
        with app.app_context():
            item = db.session.get(Attempt, attempt_id)
            graded = item.grades[-1].result
            drg = graded["drg"]
            if drg["key"]["weight"] and drg["given"]["weight"] and not drg["same"]:
                costs = graded["costs"]
                # signed: dropping the secondaries can also raise the DRG (a delivery without
                # its Z37 outcome code groups to a postpartum DRG with O.R. procedure, 769)
                moved = round(
                    round(drg["given"]["weight"] * 10000, 2)
                    - round(drg["key"]["weight"] * 10000, 2),
                    2,
                )
                amount = Decimal(str(abs(moved))).quantize(Decimal("0.01"))
                side, other = ("under", "over") if moved < 0 else ("over", "under")
                assert Decimal(costs[side]) == amount and Decimal(costs[other]) == 0
                assert getattr(item, f"revenue_{side}_cents") == round(abs(moved) * 100)
                page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
                assert f"MS-DRG {drg['key']['drg']}, IPPS" in page
                assert "Medicare locality (GPCI)" not in page  # the IPPS estimate is national
                return
    raise AssertionError("no inpatient stay in 12 draws moved the DRG without its secondaries")


# 25 real ICD-10-CM codes: a long stay's principal and 24 other diagnoses (the 837I's limit).
LONG_STAY = [
    "A41.9", "J18.9", "N17.9", "E87.1", "E03.9", "I10", "E11.9", "E78.5", "K21.9", "M81.0",
    "F32.A", "G47.33", "N40.0", "H40.9", "J44.9", "I25.10", "E66.9", "Z79.01", "Z79.4",
    "Z87.891", "I48.91", "D64.9", "E55.9", "M10.9", "N18.30",
]  # fmt: skip


def _long_form(count: int) -> dict[str, str]:
    codes = LONG_STAY + ["R65.20"]
    data = {"seconds": "60"}
    for i in range(count):
        data[f"diagnoses-{i}"] = codes[i]
        data[f"poa-{i}"] = "Y"
    return data


def test_the_panel_has_an_add_diagnosis_button_capped_at_25(client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'id="add-inpatient-dx"' in page and 'data-max="25"' in page
    assert 'data-labels="67,67A,67B,67C,67D,67E,67F,67G,67H,67I,' in page
    assert "837I 19" in page  # the positions only the 837I carries are labelled for the script


def test_25_diagnoses_are_graded_and_drawn_past_67q(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=_long_form(25))
    assert response.status_code == 303
    with app.app_context():
        item = db.session.get(Attempt, attempt_id)
        assert item.status == "submitted"
        assert item.answer["diagnoses"] == LONG_STAY and len(item.answer["poa"]) == 25
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "<th>67Q</th><td>Z7901 Y</td>" in page  # the 18th: the paper form's last box
    assert 'id="ub04-dx-continued"' in page
    assert "<th>19</th><td>Z794 Y</td>" in page and "<th>25</th><td>N1830 Y</td>" in page


def test_26_diagnoses_are_refused_with_a_400_that_names_the_cap(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=_long_form(26))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "at most 25 diagnoses" in text and "you entered 26" in text
    assert 'value="R65.20"' in text  # shown back as typed, nothing dropped
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"


def test_the_draft_keeps_diagnoses_past_the_twelfth(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    draft = {"diagnoses": LONG_STAY[:20], "poa": ["Y"] * 19 + ["N"], "procedures": []}
    assert client.post(f"/practice/attempt/{attempt_id}/draft", json=draft).status_code == 200
    with app.app_context():
        saved = db.session.get(Attempt, attempt_id).draft
        assert saved["diagnoses"] == LONG_STAY[:20] and saved["poa"][19] == "N"
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'name="diagnoses-19" value="Z87.891"' in page


SIX_PROCEDURES = ["0DJ08ZZ", "30233N1", "5A1955Z", "0BH17EZ", "02HV33Z", "0W9930Z"]


def _procedure_form(codes: list[str]) -> dict[str, str]:
    data = {"seconds": "60", "diagnoses-0": "J18.9", "poa-0": "Y"}
    for n, code in enumerate(codes):
        data[f"procedures-{n}-code"] = code
        data[f"procedures-{n}-date"] = "2026-05-02"
    return data


def test_the_panel_has_an_add_procedure_button_capped_at_25(client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'id="add-procedure"' in page
    assert '<table class="lines" id="procedures" data-max="25">' in page
    assert 'name="procedures-3-code"' in page and 'name="procedures-4-code"' not in page


def test_procedures_past_the_fourth_row_are_graded_not_dropped(app, client, auth):
    """The page shows four FL 74 rows and the button adds more: a fifth and sixth row posted
    are stored and graded in the order typed."""
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    response = client.post(
        f"/practice/attempt/{attempt_id}/submit", data=_procedure_form(SIX_PROCEDURES)
    )
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.get(Attempt, attempt_id).answer["procedures"]
    codes = [p["code"] if isinstance(p, dict) else p for p in stored]
    assert codes == SIX_PROCEDURES


def test_26_procedures_are_refused_with_a_400_that_names_the_cap(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "inpatient")
    codes = (SIX_PROCEDURES * 5)[:26]
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=_procedure_form(codes))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "at most 25 ICD-10-PCS procedures" in text and "you entered 26" in text
    assert 'name="procedures-25-code" value="30233N1"' in text  # shown back, not dropped
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"
