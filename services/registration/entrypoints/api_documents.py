"""The registration API for documents: multipart upload, checked download."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response
from flask_smorest import Blueprint

from services.registration.adapters.rules import document_rules, requirement_rules
from services.registration.adapters.sniff import DOCX, ODT
from services.registration.entrypoints import schemas_files as f
from services.registration.entrypoints.docs import refusals
from services.registration.service_layer import documents
from shared.http.app import current_runtime
from shared.http.auth import current_principal, requires

blp = Blueprint("documents", __name__, description="Tài liệu (lưu theo SHA-256)")
BINARY = {"schema": {"type": "string", "format": "binary"}}
KINDS = ("application/pdf", "application/msword", DOCX, ODT, "image/jpeg", "image/png")


@blp.route("/documents", methods=["POST"])
@requires("unit", "admin")
@blp.arguments(f.FileIn, location="files")
@blp.response(201, f.DocumentOut)
@refusals(blp, 413, 422)
def upload(files):
    """Upload one file (PDF, DOC/DOCX, ODT, JPEG, PNG — checked by content, not name).

    Stored once by its SHA-256; cite it by that hash in a registration or dossier.
    Larger than the limit (default 20 MB) → 413 and nothing is stored.
    """
    file = files["file"]
    return documents.upload(current_runtime(), current_principal(), file.stream, file.filename)


@blp.route("/documents/<sha256>", methods=["GET"])
@requires("unit", "reviewer", "approver", "auditor", "admin")
@blp.doc(
    responses={
        "200": {
            "description": "The bytes, hash checked again, with their content type",
            "content": {k: BINARY for k in KINDS},
        }
    }
)
@refusals(blp, 404)
def download(sha256):
    """The document's bytes, for whoever may see a case citing it."""
    data, content_type, filename = documents.download(
        current_runtime(), current_principal(), sha256
    )
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(data, 200, {"Content-Type": content_type, "Content-Disposition": disposition})


@blp.route("/requirements", methods=["GET"])
@requires("unit", "reviewer", "approver", "auditor", "admin")
@blp.response(200, f.RequirementsOut)
def get_requirements():
    """What a registration and a dossier bring (documents and figures per unit type, with their
    labels), the file types accepted and the upload limit: the forms of a client are built on it.
    """
    rules = requirement_rules()
    return {
        "version": rules["version"],
        "registration": rules["registration"],
        "dossier": rules["dossier"],
        "file_types": document_rules()["allowed"],
        "max_upload_bytes": current_runtime().settings.max_upload_bytes,
    }
