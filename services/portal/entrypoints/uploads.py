"""Files chosen in a form, checked here (type, size) and stored through registration's API."""

from __future__ import annotations

import re

from flask import request

from services.portal.adapters.api_client import ApiError

EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "image/jpeg": ".jpg,.jpeg",
    "image/png": ".png",
}
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def accept_attribute(file_types: dict) -> str:
    return ",".join(EXTENSIONS.get(mime, "") for mime in file_types if mime in EXTENSIONS)


def collect(apis, kinds, requirements: dict) -> tuple[list[dict], dict, dict]:
    """Upload the chosen file of each kind (or keep the one uploaded on an earlier try).

    Returns (documents for the command, {kind: filename} kept, {field: error}).
    """
    documents, kept, errors = [], {}, {}
    limit = requirements.get("max_upload_bytes") or 20 * 1024 * 1024
    allowed = accept_attribute(requirements.get("file_types", {})).split(",")
    for kind in kinds:
        field = f"file_{kind}"
        chosen = request.files.get(field)
        if chosen and chosen.filename:
            data = chosen.read(limit + 1)
            problem = _problem(chosen.filename, data, limit, allowed)
            if problem:
                errors[field] = problem
                continue
            try:
                stored = apis.registration.upload(
                    "/documents", chosen.filename, data, chosen.mimetype
                )
            except ApiError as err:
                if err.status in (401, 503):
                    raise
                errors[field] = err.message
                continue
            sha, name = stored["sha256"], stored.get("filename") or chosen.filename
        else:
            sha, name = request.form.get(f"sha_{kind}", ""), request.form.get(f"name_{kind}", "")
            if not SHA256.match(sha):
                continue
        documents.append({"kind": kind, "sha256": sha})
        kept[kind] = {"sha256": sha, "filename": name}
    return documents, kept, errors


def _problem(filename: str, data: bytes, limit: int, allowed: list[str]) -> str | None:
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if allowed and ext not in allowed:
        return f"Tệp {filename} phải là một trong các loại: {', '.join(allowed)}."
    if len(data) > limit:
        return f"Tệp {filename} lớn hơn {limit // (1024 * 1024)} MB."
    if not data:
        return f"Tệp {filename} rỗng."
    return None
