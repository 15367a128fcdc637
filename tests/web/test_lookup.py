"""The look-up pages: search results, code detail with notes, children and 7th characters."""


def test_lookup_search_page_lists_ranked_matches(client, auth):
    auth.login()
    page = client.get("/lookup/?q=M17.1").get_data(as_text=True)
    assert page.index("M17.1<") < page.index("M17.11")


def test_code_detail_shows_seventh_characters_and_children(client, auth):
    auth.login()
    page = client.get("/lookup/icd10cm/S52.531").get_data(as_text=True)
    assert "S52.531A" in page and "initial encounter for closed fracture" in page
    assert "FY2025, FY2026" in page


def test_code_detail_shows_excludes_notes(client, auth):
    auth.login()
    page = client.get("/lookup/icd10cm/E11").get_data(as_text=True)
    assert "Excludes1" in page


def test_curated_code_detail(client, auth):
    auth.login()
    assert b"Arthrocentesis" in client.get("/lookup/cpt/20610").data


def test_unknown_code_and_kind_are_404(client, auth):
    auth.login()
    assert client.get("/lookup/icd10cm/M17.99").status_code == 404
    assert client.get("/lookup/icd9/250.00").status_code == 404
    assert client.get("/lookup/cpt/" + "9" * 40).status_code == 404


def test_oversized_query_is_400(client, auth):
    auth.login()
    assert client.get("/lookup/?q=" + "x" * 10_000).status_code == 400
