"""The form templates (rules/forms/<form>.v1.json) and the portal page a form's QR code names."""

from __future__ import annotations

from urllib.parse import urlencode

from services.registration.adapters.rules import load_rules
from services.registration.domain.errors import NotFound
from services.registration.domain.forms import FORMS

# The portal page where a unit files its documents (the portal serves it; keep them in step).
FILING_PATH = "/don-vi/ho-so"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def template(form: str) -> dict:
    if form not in FORMS:
        raise NotFound(f"Không có mẫu văn bản {form}; các mẫu: {', '.join(FORMS)}.")
    return load_rules(f"forms/{form}.v1.json")


def common() -> dict:
    return load_rules("forms/common.v1.json")


def filing_url(public_url: str, form: str, unit_id: str | None, year: int | None) -> str:
    query = {"bieu-mau": form}
    if unit_id:
        query["unit_id"] = unit_id
    if year:
        query["year"] = str(year)
    return f"{public_url.rstrip('/')}{FILING_PATH}?{urlencode(query)}"
