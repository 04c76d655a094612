"""The notification service's composition root."""

from __future__ import annotations

from dataclasses import replace

from services.notification.adapters.mailer import Mailer, SmtpMailer
from services.notification.adapters.officials import Officials
from services.notification.adapters.tables import metadata
from services.notification.adapters.templates import Renderer
from services.notification.service_layer.handlers import handlers
from services.notification.service_layer.records import Parts
from services.notification.service_layer.scheduling import Scheduler
from services.notification.service_layer.sending import Sender
from services.notification.settings import NotificationSettings
from shared.authority import load_tables
from shared.config import Settings
from shared.runtime import Runtime, build_runtime


def bootstrap(
    settings: Settings | None = None, clock=None, mail: NotificationSettings | None = None
) -> Runtime[Parts]:
    """The runtime, its `deps` the Parts that the consumer's handlers, the sender and the
    scheduler share (built from the kernel's store and clock, hence in two steps)."""
    kernel = build_runtime(settings or Settings.from_env("notification"), metadata, clock=clock)
    mail = mail or NotificationSettings.from_env()
    authorities = load_tables(kernel.settings.authority_file)
    officials = Officials.load(kernel.jurisdictions, authorities)
    parts = Parts(kernel.store, kernel.clock, Renderer(mail.public_url), officials, mail)
    return replace(kernel, handlers=handlers(parts), deps=parts)


def sender(rt: Runtime[Parts], mailer: Mailer | None = None) -> Sender:
    return Sender(rt.engine, rt.deps, mailer or SmtpMailer(rt.deps.mail))


def scheduler(rt: Runtime[Parts]) -> Scheduler:
    return Scheduler(rt.engine, rt.deps)
