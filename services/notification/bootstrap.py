"""The notification service's composition root."""

from __future__ import annotations

from services.notification.adapters.mailer import Mailer, SmtpMailer
from services.notification.adapters.officials import Officials
from services.notification.adapters.tables import metadata
from services.notification.adapters.templates import Renderer
from services.notification.service_layer.handlers import handlers
from services.notification.service_layer.records import Parts
from services.notification.service_layer.scheduling import Scheduler
from services.notification.service_layer.sending import Sender
from services.notification.settings import NotificationSettings
from shared.config import Settings
from shared.runtime import Runtime, build_runtime


def bootstrap(
    settings: Settings | None = None, clock=None, mail: NotificationSettings | None = None
) -> Runtime:
    rt = build_runtime(settings or Settings.from_env("notification"), metadata, clock=clock)
    mail = mail or NotificationSettings.from_env()
    rt.parts = Parts(
        rt.store, rt.clock, Renderer(mail.public_url), Officials.load(rt.jurisdictions), mail
    )
    rt.handlers = handlers(rt.parts)
    return rt


def sender(rt: Runtime, mailer: Mailer | None = None) -> Sender:
    return Sender(rt.engine, rt.parts, mailer or SmtpMailer(rt.parts.mail))


def scheduler(rt: Runtime) -> Scheduler:
    return Scheduler(rt.engine, rt.parts)
