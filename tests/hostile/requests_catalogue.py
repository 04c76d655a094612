"""Every endpoint of the four APIs as one request aimed at a target unit (for the matrix)."""

from __future__ import annotations

import io

from tests.hostile.worlds import UNITS
from tests.unit.registration import files

NEW_UNIT = {
    "name": "Tổ dân phố mới",
    "unit_type": "residential_area",
    "managing_level": "commune",
    "has_party_organization": True,
    "contact_email": "moi@example.vn",
}
CSV_HEAD = "name,unit_type,commune_code,managing_level,has_party_organization,contact_email\n"


def _commune(unit_id):
    return UNITS[unit_id][0]


def _json(body):
    return {"json": body}


def _csv(unit_id):
    row = f"Tổ dân phố nhập,residential_area,{_commune(unit_id)},commune,true,nhap@example.vn\n"
    data = (CSV_HEAD + row).encode()
    return {"data": {"file": (io.BytesIO(data), "don-vi.csv")}}


def _pdf():
    return {"data": {"file": (io.BytesIO(files.pdf("matrix upload")), "ke-hoach.pdf")}}


def _registration_body(u, facts):
    docs = [{"kind": "registration_form", "sha256": facts["documents"][u]}]
    return {"unit_id": u, "year": 2026, "documents": docs, "figures": {}}


def _dossier_body(u, facts):
    docs = [{"kind": "proposal", "sha256": facts["documents"][u]}]
    lines = [{"criterion_id": "RA-1", "met": True, "note": "Đạt"}]
    return {"unit_id": u, "year": 2026, "documents": docs, "self_assessment": lines}


FINDINGS = [{"criterion_id": f"RA-{i}", "met": True, "note": "kiểm tra"} for i in range(1, 6)]

# name → (service, method, path with {u} for the target unit, body builder or None)
ENDPOINTS = {
    "set campaign": ("registration", "POST", "/campaigns/2027", lambda u, f: _json({})),
    "read campaign": ("registration", "GET", "/campaigns/2026", None),
    "add unit": (
        "registration",
        "POST",
        "/units",
        lambda u, f: _json({**NEW_UNIT, "commune_code": _commune(u)}),
    ),
    "import units": ("registration", "POST", "/units/import", lambda u, f: _csv(u)),
    "list units": ("registration", "GET", "/units?commune_code={c}", None),
    "read unit": ("registration", "GET", "/units/{u}", None),
    "edit unit": ("registration", "PATCH", "/units/{u}", lambda u, f: _json({"name": "Tên mới"})),
    "register": (
        "registration",
        "POST",
        "/registrations",
        lambda u, f: _json(_registration_body(u, f)),
    ),
    "read registration": ("registration", "GET", "/registrations/{u}/2026", None),
    "grant late exception": (
        "registration",
        "POST",
        "/late-exceptions",
        lambda u, f: _json({"unit_id": u, "year": 2026, "step": "dossier", "reason": "Bão lũ"}),
    ),
    "submit dossier": (
        "registration",
        "POST",
        "/dossiers",
        lambda u, f: _json(_dossier_body(u, f)),
    ),
    "read dossiers": ("registration", "GET", "/dossiers/{u}/2026", None),
    "upload document": ("registration", "POST", "/documents", lambda u, f: _pdf()),
    "download document": ("registration", "GET", "/documents/{sha}", None),
    "read criteria": ("review", "GET", "/criteria?unit_type=residential_area&year=2025", None),
    "list cases": ("review", "GET", "/cases?year=2025&commune_code={c}", None),
    "read case": ("review", "GET", "/cases/{u}/2025", None),
    "record incident": (
        "review",
        "POST",
        "/incidents",
        lambda u, f: _json(
            {
                "unit_id": u,
                "occurred_on": "2025-05-01",
                "criterion_id": "RA-3",
                "description": "Tụ tập gây rối trật tự",
            }
        ),
    ),
    "return dossier": (
        "review",
        "POST",
        "/cases/{u}/2025/return",
        lambda u, f: _json({"reasons": ["Thiếu biên bản"], "due_date": "2025-12-05"}),
    ),
    "recommend": (
        "review",
        "POST",
        "/cases/{u}/2025/recommendation",
        lambda u, f: _json(
            {"recommendation": "achieved", "findings": FINDINGS, "expected_version": 2}
        ),
    ),
    "decide": (
        "review",
        "POST",
        "/cases/{u}/2025/decision",
        lambda u, f: _json(
            {
                "decision": "recognized",
                "decision_number": "12/QĐ-UBND",
                "decided_on": "2025-11-20",
            }
        ),
    ),
    "annul": (
        "review",
        "POST",
        "/cases/{u}/2025/annulment",
        lambda u, f: _json({"reason": "Phát hiện sai phạm"}),
    ),
    "list notifications": ("notification", "GET", "/notifications?unit_id={u}&year=2026", None),
    "read report": ("reporting", "GET", "/reports/2026?commune_code={c}", None),
    "reproduce report": (
        "reporting",
        "POST",
        "/reports/reproduce",
        lambda u, f: _json({"manifest": f["manifest"]}),
    ),
    "read unit history": ("reporting", "GET", "/units/{u}/history?year=2026", None),
    "verify audit chains": ("reporting", "GET", "/audit/verify?year=2026", None),
}


def request_for(endpoint: str, unit_id: str, facts: dict):
    """(service, method, url, keyword arguments of the test client's open)."""
    service, method, path, body = ENDPOINTS[endpoint]
    sha = facts.get("documents", {}).get(unit_id, "")
    url = "/api/v1" + path.format(u=unit_id, c=_commune(unit_id), sha=sha)
    return service, method, url, (body(unit_id, facts) if body else {})
