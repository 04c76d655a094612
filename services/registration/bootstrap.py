"""The registration service's composition root."""

import os

from services.registration.adapters.document_store import LocalDocumentStore
from services.registration.adapters.forms import DEFAULT_PUBLIC_URL
from services.registration.adapters.tables import metadata
from services.registration.service_layer.deps import RegistrationDeps
from services.registration.service_layer.handlers import HANDLERS
from shared.config import Settings
from shared.events import TOPICS
from shared.runtime import Runtime, build_runtime


def bootstrap(settings: Settings | None = None, clock=None) -> Runtime[RegistrationDeps]:
    settings = settings or Settings.from_env("registration")
    # The document store is a port: the local folder under ANTT_VAR_DIR is the default adapter.
    documents = LocalDocumentStore(settings.var_dir / "registration-documents")
    return build_runtime(
        settings,
        metadata,
        clock=clock,
        handlers=HANDLERS,
        consumer_topics=(TOPICS["review"],),
        deps=RegistrationDeps(documents, public_url(os.environ)),
    )


def public_url(env) -> str:
    """ANTT_PUBLIC_URL: where people reach the portal (forms' QR codes point there)."""
    return (env.get("ANTT_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")
