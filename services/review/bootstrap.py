"""The review service's composition root."""

from services.review.adapters.tables import metadata
from services.review.service_layer.handlers import HANDLERS
from shared.config import Settings
from shared.runtime import Runtime, build_runtime


def bootstrap(settings: Settings | None = None, clock=None) -> Runtime:
    rt = build_runtime(settings or Settings.from_env("review"), metadata, clock=clock)
    rt.handlers = HANDLERS
    return rt
