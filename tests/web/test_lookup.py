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


def test_lookup_search_by_date_of_service_marks_other_year_codes(client, auth):
    auth.login()
    page = client.get("/lookup/?q=E78.01&dos=2026-03-02").get_data(as_text=True)
    assert "billable until 2025-09-30, expanded into E78.010" in page
    assert 'name="dos" type="date" value="2026-03-02"' in page


def test_lookup_shows_what_a_hit_was_found_by(client, auth):
    auth.login()
    page = client.get("/lookup/?q=liver+mets").get_data(as_text=True)
    # The table's edition is named: CDC's FY2026 tables are not shipped.
    assert "C78.7" in page and "Neoplasm Table (FY2025): neoplasm liver" in page


def test_lookup_says_which_edition_of_the_index_tables_it_searches(client, auth):
    auth.login()
    page = client.get("/lookup/?q=toxic+effect&dos=2026-03-02").get_data(as_text=True)
    assert "Table of Drugs and Chemicals FY2025" in page
    assert "CDC's FY2026 editions of these tables are not included" in page


def test_api_search_carries_note_and_source_line(client, auth):
    auth.login()
    data = client.get("/api/v1/codes/search?q=kenalog+40+mg&dos=2026-03-02").get_json()
    first = data["results"][0]
    assert first["code"] == "J3301" and "40 mg = 4 units" in first["note"]
    assert first["matched"].startswith("Drug brand: Kenalog")


def test_code_detail_shows_index_entries_includes_and_retirement(client, auth):
    auth.login()
    page = client.get("/lookup/icd10cm/C18.9").get_data(as_text=True)
    assert "Index entries" in page and "neoplasm colon malignant primary" in page
    retired = client.get("/lookup/icd10cm/S30.1XXA").get_data(as_text=True)
    assert "deleted in FY2026" in retired and "S30.11XA" in retired
    includes = client.get("/lookup/icd10cm/J44").get_data(as_text=True)
    assert "<h2>Includes</h2>" in includes and "asthma with chronic obstructive" in includes
