"""GET /requirements: what a client's forms ask for, read from the rule files."""


def test_anyone_signed_in_reads_the_documents_and_figures_each_unit_type_brings(client, token):
    r = client.get("/api/v1/requirements", headers=token("unit", unit_id="kdc-1"))
    assert r.status_code == 200, r.json
    figures = r.json["registration"]["figures"]
    assert "residential_area" in figures["households_resident"]["unit_types"]
    assert r.json["registration"]["documents"]["party_resolution"]["when"] == (
        "has_party_organization"
    )
    assert set(r.json["dossier"]["documents"]) == {"proposal", "results_report", "meeting_minutes"}
    assert r.json["file_types"]["application/pdf"] == "PDF"
    assert r.json["max_upload_bytes"] == 64 * 1024


def test_requirements_need_a_token(client):
    assert client.get("/api/v1/requirements").status_code == 401
