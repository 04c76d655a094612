"""Setup shared by the command benchmarks: a campaign, a commune, registered units, bodies."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from shared.auth import mint_token
from shared.config import DEV_JWT_SECRET
from tests.e2e.client import call
from tests.e2e.registration_http import send_file
from tests.unit.registration.files import pdf

YEAR = 2026
# The API processes' clock: the dossier window of 2026 is open, registration is late.
CLOCK = "2026-11-20T09:00:00+07:00"
COMMUNE = "bac-nha-trang"
CRITERIA_TYPE = "residential_area"
ADMIN = mint_token(DEV_JWT_SECRET, "admin", "admin-bench", None, "nha-trang")
REGISTRATION_KINDS = ("party_resolution", "registration_form")
DOSSIER_KINDS = ("proposal", "results_report", "meeting_minutes")
PLACEHOLDER = "__UNIT__"


def unit_id(n: int) -> str:
    return f"bench-u{n:06d}"


def _ok(r, what: str):
    if r.status not in (200, 201):
        raise SystemExit(f"{what} failed: {r.status} {r.body[:500]!r}")
    return r.json


def open_campaign(base: str) -> None:
    """The 2026 campaign and the commune every unit belongs to."""
    _ok(call("POST", f"{base}/api/v1/campaigns/{YEAR}", ADMIN, {}), "campaign")
    commune = {
        "unit_id": COMMUNE,
        "name": "Phường Bắc Nha Trang",
        "unit_type": "commune",
        "commune_code": COMMUNE,
        "managing_level": "province",
        "has_party_organization": True,
        "contact_email": "bac-nha-trang@example.vn",
    }
    _ok(call("POST", f"{base}/api/v1/units", ADMIN, commune), "commune")


def upload_documents(base: str) -> dict[str, str]:
    """Upload one PDF per kind ONCE as the admin, who may then cite them for any unit."""
    hashes = {}
    for kind in REGISTRATION_KINDS + DOSSIER_KINDS:
        r = send_file(base, "/documents", ADMIN, f"{kind}.pdf", pdf(f"bench {kind}"))
        hashes[kind] = _ok(r, f"upload {kind}")["sha256"]
    return hashes


def import_units(base: str, first: int, count: int, chunk: int = 500) -> None:
    """Residential areas bench-u<first>… through the CSV import (one transaction per chunk)."""
    head = "unit_id,name,unit_type,commune_code,managing_level,has_party_organization,contact_email"
    for start in range(first, first + count, chunk):
        rows = [
            f"{unit_id(n)},Khu dân cư {n},residential_area,{COMMUNE},commune,true,"
            f"{unit_id(n)}@example.vn"
            for n in range(start, min(first + count, start + chunk))
        ]
        data = "\n".join([head, *rows]).encode()
        _ok(send_file(base, "/units/import", ADMIN, "units.csv", data), "unit import")


def register(base: str, first: int, count: int, hashes: dict, threads: int = 8) -> None:
    """Register each unit for the year (late, with the admin's reason), a few at a time."""

    def one(n: int) -> None:
        body = {
            "unit_id": unit_id(n),
            "year": YEAR,
            "late_reason": "Ngoại lệ ghi nhận khi đo hiệu năng",
            "documents": [{"kind": k, "sha256": hashes[k]} for k in REGISTRATION_KINDS],
            "figures": {"households_resident": 40, "households_registered": 40},
        }
        _ok(call("POST", f"{base}/api/v1/registrations", ADMIN, body), f"register {n}")

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(first, first + count)))


def criteria() -> list[str]:
    from services.registration.adapters.rules import criteria_ids, load_rules

    version = load_rules("calendar.v1.json")["catalogue_version"]
    return criteria_ids(version)[CRITERIA_TYPE]


def dossier_template(hashes: dict) -> str:
    """The POST /dossiers body with PLACEHOLDER where the unit id goes."""
    body = {
        "unit_id": PLACEHOLDER,
        "year": YEAR,
        "documents": [{"kind": k, "sha256": hashes[k]} for k in DOSSIER_KINDS],
        "self_assessment": [{"criterion_id": c, "met": True, "note": "Đạt"} for c in criteria()],
    }
    return json.dumps(body, ensure_ascii=False)


def prepare(base: str, count: int, first: int = 0, hashes: dict | None = None) -> dict:
    """Units first … first+count-1 registered; returns the document hashes."""
    if hashes is None:
        open_campaign(base)
        hashes = upload_documents(base)
    import_units(base, first, count)
    register(base, first, count, hashes)
    return hashes
