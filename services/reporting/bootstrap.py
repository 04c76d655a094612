"""The reporting service's composition root."""

from services.reporting.adapters.tables import metadata
from services.reporting.service_layer.handlers import FINISHERS, HANDLERS
from shared.config import Settings
from shared.runtime import Runtime, build_runtime


def bootstrap(settings: Settings | None = None, clock=None) -> Runtime:
    return build_runtime(
        settings or Settings.from_env("reporting"),
        metadata,
        clock=clock,
        handlers=HANDLERS,
        finishers=FINISHERS,
    )
