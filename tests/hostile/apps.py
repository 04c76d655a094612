"""The four APIs in process (SQLite, in-memory broker, a fixed clock) and their tokens."""

from __future__ import annotations

from datetime import datetime

from services.notification.entrypoints.api import create_app as notification_app
from services.notification.settings import NotificationSettings
from services.registration.entrypoints.api import create_app as registration_app
from services.reporting.entrypoints.api import create_app as reporting_app
from services.review.entrypoints.api import create_app as review_app
from shared.auth import mint_token
from shared.clock import VIETNAM, FixedClock
from tests.conftest import settings_for

# Each service at a moment its own tests use: registration open in Quarter I of 2026; review in
# late 2025, after the 2025 dossiers came in; notification and reporting in March 2026.
MOMENTS = {
    "registration": datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM),
    "review": datetime(2025, 11, 20, 9, 0, tzinfo=VIETNAM),
    "notification": datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM),
    "reporting": datetime(2026, 3, 1, 9, 0, tzinfo=VIETNAM),
}
SERVICES = ("registration", "review", "notification", "reporting")


def build_app(service: str, directory, **settings_kw):
    """One service's Flask app on its own SQLite file under `directory`."""
    settings = settings_for(
        service,
        f"sqlite:///{directory / f'{service}.db'}",
        var_dir=directory / service,
        **({"max_upload_bytes": 64 * 1024} | settings_kw),
    )
    clock = FixedClock(MOMENTS[service])
    if service == "registration":
        return registration_app(settings, clock)
    if service == "review":
        return review_app(settings, clock)
    if service == "notification":
        return notification_app(settings, clock, NotificationSettings(smtp_port=1))
    return reporting_app(settings, clock)


def bearer(app, role: str, sub: str | None = None, unit_id=None, jurisdiction=None) -> dict:
    """The Authorization header of a token minted with the app's own secret."""
    secret = app.config["ANTT_SETTINGS"].jwt_secret
    raw = mint_token(secret, role, sub or f"{role}-hostile", unit_id, jurisdiction)
    return {"Authorization": f"Bearer {raw}"}
