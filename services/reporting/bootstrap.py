"""The reporting service's composition root."""

from services.reporting.adapters.tables import metadata
from services.reporting.service_layer.handlers import FINISHERS, HANDLERS
from services.reporting.settings import ReportingSettings, refuse_unsafe
from shared.config import Settings
from shared.runtime import Runtime, build_runtime


def bootstrap(
    settings: Settings | None = None, clock=None, own: ReportingSettings | None = None
) -> Runtime[ReportingSettings]:
    settings = settings or Settings.from_env("reporting")
    own = own or ReportingSettings.from_env(settings.port)
    refuse_unsafe(own, settings.environment)
    return build_runtime(
        settings, metadata, clock=clock, handlers=HANDLERS, finishers=FINISHERS, deps=own
    )
