"""Batch decisions: one number for many cases, each checked alone; and the draft decision."""

import pytest

from tests.unit.documents.reading import docx_text, pdf_text
from tests.unit.review.desk import RA_IDS, YEAR, Desk, findings

AFTER = "2025-11-20"  # two tiers: Vĩnh Hải's residential areas are decided by Bắc Nha Trang


@pytest.fixture
def desk(client, feed, token):
    desk = Desk(client, feed, token)
    desk.ward = token("approver", "chairman-vh", jurisdiction="bac-nha-trang")
    return desk


def batch(desk, cases, number="12/QĐ-UBND", who=None):
    body = {"year": YEAR, "decision_number": number, "decided_on": "2025-11-20", "cases": cases}
    return desk.client.post("/api/v1/decisions/batch", json=body, headers=who or desk.ward)


def recommended_by(desk, token, unit_id, sub):
    """A case recommended by `sub` (the same person as the approver breaks four-eyes)."""
    desk.submitted(unit_id)
    version = desk.case(unit_id).get_json()["version"]
    body = {"recommendation": "achieved", "findings": findings(RA_IDS), "expected_version": version}
    url = f"/api/v1/cases/{unit_id}/{YEAR}/recommendation"
    assert desk.client.post(url, json=body, headers=token("reviewer", sub)).status_code == 201


def test_a_batch_decides_each_good_case_under_one_number_and_refuses_the_four_eyes_one(desk, token):
    for unit_id in ("kdc-1", "kdc-2"):
        desk.submitted(unit_id)
        desk.recommend(unit_id, RA_IDS)
    recommended_by(desk, token, "kdc-3", "chairman-vh")
    versions = {u: desk.case(u).get_json()["version"] for u in ("kdc-1", "kdc-2", "kdc-3")}
    cases = [{"unit_id": u, "expected_version": v} for u, v in versions.items()]
    answer = batch(desk, cases)
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    assert (report["decided"], report["refused"]) == (2, 1)
    by_unit = {r["unit_id"]: r for r in report["results"]}
    assert by_unit["kdc-3"]["status"] == "refused" and by_unit["kdc-3"]["code"] == 403
    assert "kiến nghị" in by_unit["kdc-3"]["message"]
    for unit_id in ("kdc-1", "kdc-2"):
        decision = desk.case(unit_id).get_json()["decision"]
        assert decision["decision_number"] == "12/QĐ-UBND", decision
    assert desk.case("kdc-3").get_json()["decision"] is None
    assert desk.case("kdc-3").get_json()["version"] == versions["kdc-3"]


def test_a_stale_case_is_refused_alone_and_the_number_stays_the_batchs(desk):
    for unit_id in ("kdc-1", "kdc-2"):
        desk.submitted(unit_id)
        desk.recommend(unit_id, RA_IDS)
    stale = desk.case("kdc-2").get_json()["version"] - 1
    report = batch(desk, [{"unit_id": "kdc-1"}, {"unit_id": "kdc-2", "expected_version": stale}])
    results = report.get_json()["results"]
    assert [r["status"] for r in results] == ["decided", "refused"]
    assert results[1]["code"] == 409
    # The number now belongs to that batch: a single decision may not reuse it.
    assert desk.decide("kdc-2", desk.ward, "12/QĐ-UBND", on=AFTER).status_code == 409


def test_a_number_a_single_decision_holds_refuses_every_case_of_a_batch(desk):
    for unit_id in ("kdc-1", "kdc-2"):
        desk.submitted(unit_id)
        desk.recommend(unit_id, RA_IDS)
    assert desk.decide("kdc-1", desk.ward, "3/QĐ-UBND", on=AFTER).status_code == 201
    report = batch(desk, [{"unit_id": "kdc-2"}], number="3/QĐ-UBND").get_json()
    assert report["refused"] == 1 and report["results"][0]["code"] == 409


def test_only_approvers_decide_batches(desk):
    assert batch(desk, [{"unit_id": "x"}], who=desk.reviewer).status_code == 403


def test_the_draft_decision_lists_the_units_recommended_achieved_in_the_authoritys_remit(
    desk, client
):
    desk.submitted("kdc-1")
    desk.recommend("kdc-1", RA_IDS)
    desk.submitted("kdc-2")
    desk.recommend("kdc-2", RA_IDS, unmet=("RA-1",))
    desk.submitted("kdc-9", commune_code="loc-tho")  # phường Nha Trang: another ward
    desk.recommend("kdc-9", RA_IDS)
    url = f"/api/v1/decisions/draft?year={YEAR}&decision_number=12/QĐ-UBND&decided_on=2025-11-20"
    as_docx = client.get(url, headers=desk.ward)
    assert as_docx.status_code == 200, as_docx.get_data()[:300]
    text = docx_text(as_docx.data)
    assert "Đơn vị kdc-1 (dữ liệu thử)" in text and "12/QĐ-UBND" in text
    assert "kdc-2" not in text and "kdc-9" not in text
    assert "Thông tư số 124/2021/TT-BCA" in text
    assert "Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Nơi nhận:" in text
    as_pdf = client.get(url + "&format=pdf", headers=desk.ward)
    assert as_pdf.mimetype == "application/pdf"
    pdf = pdf_text(as_pdf.data)
    assert "Đơn vị kdc-1 (dữ liệu thử)" in pdf and "12/QĐ-UBND" in pdf
    again = client.get(url + "&format=pdf", headers=desk.ward)
    assert again.data == as_pdf.data
