"""Steps over the registration API for tests: campaign, units, uploads, registration, dossier."""

from __future__ import annotations

import io

from tests.unit.registration import files

YEAR = 2026
FIGURES = {
    "residential_area": {"households_resident": 120, "households_registered": 120},
    "commune": {"movement_models": 2},
    "agency": {"staff_total": 40, "staff_briefed": 40, "movement_models": 1},
    "enterprise": {"staff_total": 300, "staff_briefed": 300, "movement_models": 1},
    "school": {"staff_total": 80, "staff_briefed": 80, "movement_models": 1},
}
REG_KINDS = {
    "residential_area": ["party_resolution", "registration_form"],
    "commune": ["party_resolution", "security_plan", "registration_form"],
}
DOSSIER_KINDS = ["proposal", "results_report", "meeting_minutes"]
CRITERIA = {
    "residential_area": ["RA-1", "RA-2", "RA-3", "RA-4", "RA-5"],
    "commune": ["CW-1", "CW-2", "CW-3", "CW-4"],
    "agency": ["AE-1", "AE-2", "AE-3"],
    "enterprise": ["AE-1", "AE-2", "AE-3"],
    "school": ["ED-1", "ED-2", "ED-3", "ED-4", "ED-5", "ED-6"],
}
TYPE_FIELDS = {
    "agency": {"armed_forces": False},
    "enterprise": {"enterprise_size": "medium"},
    "school": {"school_level": "lower_secondary"},
}


class Builder:
    def __init__(self, client, token, clock):
        self.client, self.token, self.clock = client, token, clock
        self.admin = token("admin", "admin-nt")

    def post(self, path, body, headers=None):
        return self.client.post(f"/api/v1{path}", json=body, headers=headers or self.admin)

    def get(self, path, headers=None):
        return self.client.get(f"/api/v1{path}", headers=headers or self.admin)

    def as_unit(self, unit_id):
        return self.token("unit", f"user-{unit_id}", unit_id)

    def campaign(self, year=YEAR, **dates):
        r = self.post(f"/campaigns/{year}", dates)
        assert r.status_code == 200, r.json
        return r.json

    def commune(self, code="vinh-hai", headers=None):
        return self.unit(code, "commune", commune_code=code, managing_level="province")

    def unit_body(self, unit_id, unit_type="residential_area", **kw):
        body = {
            "unit_id": unit_id,
            "name": f"Đơn vị {unit_id}",
            "unit_type": unit_type,
            "commune_code": "vinh-hai",
            "managing_level": "commune",
            "has_party_organization": True,
            "contact_email": f"{unit_id}@example.vn",
            **TYPE_FIELDS.get(unit_type, {}),
        }
        return body | kw

    def unit(self, unit_id, unit_type="residential_area", **kw):
        r = self.post("/units", self.unit_body(unit_id, unit_type, **kw))
        assert r.status_code == 201, r.json
        return unit_id

    def upload(self, headers, data=None, name="tai-lieu.pdf"):
        r = self.client.post(
            "/api/v1/documents",
            headers=headers,
            data={"file": (io.BytesIO(data or files.pdf(name)), name)},
            content_type="multipart/form-data",
        )
        assert r.status_code == 201, r.json
        return r.json["sha256"]

    def documents(self, unit_id, kinds, headers=None):
        headers = headers or self.as_unit(unit_id)
        return [
            {"kind": k, "sha256": self.upload(headers, files.pdf(f"{unit_id} {k}"), f"{k}.pdf")}
            for k in kinds
        ]

    def registration_body(self, unit_id, unit_type="residential_area", **kw):
        kinds = REG_KINDS.get(unit_type, ["party_resolution", "security_plan", "registration_form"])
        body = {
            "unit_id": unit_id,
            "year": YEAR,
            "documents": self.documents(unit_id, kinds),
            "figures": FIGURES[unit_type],
        }
        return body | kw

    def register(self, unit_id, unit_type="residential_area", headers=None, **kw):
        body = self.registration_body(unit_id, unit_type, **kw)
        return self.post("/registrations", body, headers or self.as_unit(unit_id))

    def dossier_body(self, unit_id, unit_type="residential_area", **kw):
        lines = [{"criterion_id": c, "met": True, "note": "Đạt"} for c in CRITERIA[unit_type]]
        body = {
            "unit_id": unit_id,
            "year": YEAR,
            "documents": self.documents(unit_id, DOSSIER_KINDS),
            "self_assessment": lines,
        }
        return body | kw

    def submit(self, unit_id, unit_type="residential_area", headers=None, **kw):
        body = self.dossier_body(unit_id, unit_type, **kw)
        return self.post("/dossiers", body, headers or self.as_unit(unit_id))
