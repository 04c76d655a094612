"""Documents on the real stack: a batch decision, certificates verified publicly, an annulment
flipping the public page, and the page's hash equal to the audit log's."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from shared.auth import mint_token
from shared.config import DEV_JWT_SECRET
from tests.e2e.client import wait_until
from tests.e2e.flow import (
    YEAR,
    add_unit,
    authority_token,
    case_in_review,
    criteria_of,
    register_late,
    setup_campaign_and_commune,
    submit_dossier,
)
from tests.unit.documents.reading import pdf_qr_codes, pdf_text

pytestmark = pytest.mark.e2e
UNITS = ("kdc-doc-1", "kdc-doc-2", "kdc-doc-3")
NUMBER = "88/QĐ-UBND"


def fetch(url: str, token: str | None = None, accept: str | None = None):
    """(status, content type, body) of a GET with the given Accept header."""
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if accept:
        req.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def recommend(system, unit_id, criteria, reviewer_token):
    case = case_in_review(system, unit_id, "dossier_submitted")
    body = {
        "recommendation": "achieved",
        "expected_version": case["version"],
        "findings": [{"criterion_id": c, "met": True, "note": "Đạt"} for c in criteria],
    }
    path = f"/cases/{unit_id}/{YEAR}/recommendation"
    r = system.api("review", "POST", path, body=body, token=reviewer_token)
    assert r.status == 201, r.json


@pytest.fixture(scope="module")
def batch_report(system):
    """Three cases recommended "achieved"; the third by the approver himself (four-eyes)."""
    setup_campaign_and_commune(system)
    criteria = criteria_of(system)
    for unit_id in UNITS:
        add_unit(system, unit_id)
        register_late(system, unit_id)
        case_in_review(system, unit_id, "registered")
        submit_dossier(system, unit_id, criteria)
    approver = authority_token(system, UNITS[0], sub="chairman-doc")
    same_person = mint_token(DEV_JWT_SECRET, "reviewer", "chairman-doc", None, "nha-trang")
    for unit_id in UNITS[:2]:
        recommend(system, unit_id, criteria, system.tokens["reviewer"])
    recommend(system, UNITS[2], criteria, same_person)
    cases = [
        {"unit_id": u, "expected_version": case_in_review(system, u, "recommended")["version"]}
        for u in UNITS
    ]
    body = {"year": YEAR, "decision_number": NUMBER, "decided_on": "2026-11-20", "cases": cases}
    r = system.api("review", "POST", "/decisions/batch", body=body, token=approver)
    assert r.status == 200, r.json
    return r.json, approver


def certificate(system, unit_id):
    url = f"{system.stack.url('reporting')}/api/v1/certificates/{unit_id}/{YEAR}"
    token = system.unit_token(unit_id)

    def ready():
        status, _, body = fetch(url, token, "application/json")
        return json.loads(body) if status == 200 else None

    meta = wait_until(ready, f"a certificate for {unit_id}")
    status, kind, pdf = fetch(url, token)
    assert status == 200 and kind.startswith("application/pdf")
    return meta, pdf


def test_a_batch_over_three_cases_gives_two_recognitions_and_one_clear_refusal(batch_report):
    report, _ = batch_report
    assert (report["decided"], report["refused"]) == (2, 1)
    refused = next(r for r in report["results"] if r["status"] == "refused")
    assert refused["unit_id"] == UNITS[2] and refused["code"] == 403
    assert "không được tự quyết định" in refused["message"]


def test_both_certificates_verify_publicly_with_the_audit_logs_hash(system, batch_report):
    report, _ = batch_report
    decided = {r["unit_id"]: r for r in report["results"] if r["status"] == "decided"}
    for unit_id, result in decided.items():
        meta, pdf = certificate(system, unit_id)
        assert meta["status"] == "valid" and meta["decision_number"] == NUMBER
        assert f"Khu dân cư {unit_id}" in pdf_text(pdf) and NUMBER in pdf_text(pdf)
        assert pdf_qr_codes(pdf) == [meta["verify_url"]]
        status, _, body = fetch(meta["verify_url"], accept="application/json")  # no token
        page = json.loads(body)
        assert status == 200 and page["status"] == "valid" and page["unit_id"] == unit_id
        assert page["hash"] == result["hash"]
        assert page["stream_position"] == {
            "stream_id": result["stream_id"],
            "stream_version": result["stream_version"],
        }
        # The audit log (reporting's history of the unit) holds the same event with that hash.
        history = system.api("reporting", "GET", f"/units/{unit_id}/history?year={YEAR}", "auditor")
        [logged] = [e for e in history.json["events"] if e["event_type"] == "RecognitionDecided"]
        assert logged["hash"] == page["hash"] and logged["event_id"] == result["event_id"]
        stored = system.scalar(
            "review", "SELECT hash FROM events WHERE event_id = :id", id=result["event_id"]
        )
        assert stored == page["hash"]


def test_annulling_one_recognition_makes_its_public_page_say_so(system, batch_report):
    _, approver = batch_report
    meta, _ = certificate(system, UNITS[1])
    path = f"/cases/{UNITS[1]}/{YEAR}/annulment"
    reason = "Phát hiện vụ việc nghiêm trọng sau khi công nhận"
    r = system.api("review", "POST", path, body={"reason": reason}, token=approver)
    assert r.status == 201, r.json

    def annulled():
        status, _, body = fetch(meta["verify_url"])
        html = body.decode()
        return html if status == 200 and "Đã bị hủy" in html else None

    html = wait_until(annulled, "the public page to show the annulment")
    assert reason in html
    _, _, body = fetch(meta["verify_url"], accept="application/json")
    assert json.loads(body)["status"] == "annulled"
    other, _ = certificate(system, UNITS[0])
    assert json.loads(fetch(other["verify_url"], accept="application/json")[2])["status"] == "valid"


def test_an_unknown_code_is_not_found(system):
    status, _, body = fetch(f"{system.stack.url('reporting')}/verify/{'A' * 40}")
    assert status == 404 and "Không tìm thấy" in body.decode()
