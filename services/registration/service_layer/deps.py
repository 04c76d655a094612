"""What registration's use cases need beyond the kernel's runtime; bootstrap() builds it."""

from __future__ import annotations

from dataclasses import dataclass

from services.registration.adapters.document_store import DocumentStore


@dataclass(frozen=True)
class RegistrationDeps:
    documents: DocumentStore  # the content-addressed store of uploaded files (a port)
    # The portal's public address: the QR code on a form leads to its filing page there.
    public_url: str = "http://127.0.0.1:8000"
