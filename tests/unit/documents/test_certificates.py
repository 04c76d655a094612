"""Certificates on the reporting API: the PDF, its QR code, and the public verify page."""

from tests.unit.documents.reading import pdf_qr_codes, pdf_text
from tests.unit.reporting import events as ev
from tests.unit.reporting.feed import APPROVER
from tests.unit.reporting.test_api import YEAR, fed, get, world  # noqa: F401


def _json(app, url, role="approver", **claims):
    claims.setdefault("jurisdiction", None if role == "unit" else "nha-trang")
    from tests.unit.reporting.test_api import token

    headers = {**token(app, role, **claims), "Accept": "application/json"}
    return app.test_client().get(f"/api/v1{url}", headers=headers)


def test_a_recognised_unit_gets_a_pdf_naming_it_with_a_qr_code_to_its_verify_page(world):  # noqa: F811
    envs = fed(world)
    app = world[0]
    resp = get(app, f"/certificates/u1/{YEAR}", "unit", unit_id="u1")
    assert resp.status_code == 200, resp.data[:300]
    assert resp.mimetype == "application/pdf"
    text = pdf_text(resp.data)
    assert "GIẤY CÔNG NHẬN" in text and "Khu dân cư u1" in text and "123/QĐ-UBND" in text
    meta = _json(app, f"/certificates/u1/{YEAR}").json
    assert meta["status"] == "valid" and meta["decision_number"] == "123/QĐ-UBND"
    assert meta["verify_url"].endswith(f"/verify/{meta['code']}")
    assert pdf_qr_codes(resp.data) == [meta["verify_url"]]
    page = app.test_client().get(f"/verify/{meta['code']}", headers={"Accept": "application/json"})
    assert page.status_code == 200
    decision = envs["case"][-1]
    assert page.json["hash"] == decision.hash
    assert page.json["stream_position"] == {
        "stream_id": decision.stream_id,
        "stream_version": decision.stream_version,
    }


def test_an_annulment_flips_the_public_page_at_once(world):  # noqa: F811
    fed(world)
    app, _, producers, delivery = world
    code = _json(app, f"/certificates/u1/{YEAR}").json["code"]
    env = producers.append("review", "review-u1-2025", ev.annulled("u1"), APPROVER)
    assert delivery.deliver(env) == ["handled"]
    page = app.test_client().get(f"/verify/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Đã bị hủy" in html and "Khu dân cư u1" in html
    as_json = app.test_client().get(f"/verify/{code}", headers={"Accept": "application/json"})
    assert as_json.json["status"] == "annulled" and as_json.json["annulment"]["annulled_on"]


def test_an_unknown_or_forged_code_is_not_found(world):  # noqa: F811
    fed(world)
    app = world[0]
    code = _json(app, f"/certificates/u1/{YEAR}").json["code"]
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    for wrong in (forged, "x", "A" * 40):
        page = app.test_client().get(f"/verify/{wrong}")
        assert page.status_code == 404 and "Không tìm thấy" in page.get_data(as_text=True)
    as_json = app.test_client().get(f"/verify/{forged}", headers={"Accept": "application/json"})
    assert as_json.status_code == 404 and as_json.json["code"] == 404


def test_no_certificate_for_a_unit_not_recognised_nor_for_another_unit(world):  # noqa: F811
    fed(world)
    app = world[0]
    assert get(app, f"/certificates/u2/{YEAR}").status_code == 404
    assert get(app, f"/certificates/u1/{YEAR}", "unit", unit_id="u2").status_code == 403
