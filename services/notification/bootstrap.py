"""The notification service's composition root."""

from services.notification.adapters.mailer import FileMailer
from services.notification.adapters.tables import metadata
from services.notification.service_layer.handlers import handlers
from shared.config import Settings
from shared.runtime import Runtime, build_runtime


def bootstrap(settings: Settings | None = None, clock=None) -> Runtime:
    rt = build_runtime(settings or Settings.from_env("notification"), metadata, clock=clock)
    rt.handlers = handlers(rt.store, rt.clock, FileMailer(rt.settings.var_dir / "mail"))
    return rt
