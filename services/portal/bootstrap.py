"""The portal's composition root: settings, the sign-in in use, the clock, the API clients."""

from __future__ import annotations

from dataclasses import dataclass

from services.portal.adapters.api_client import Apis
from services.portal.adapters.sign_in import DevelopmentSignIn, NoSignIn, SignIn
from services.portal.settings import PortalSettings
from shared.clock import Clock


@dataclass(frozen=True)
class PortalRuntime:
    settings: PortalSettings
    sign_in: SignIn
    clock: Clock

    def apis(self, token: str | None) -> Apis:
        return Apis.for_token(self.settings.api_urls, token, self.settings.api_timeout_s)


def bootstrap(
    settings: PortalSettings | None = None,
    clock: Clock | None = None,
    sign_in: SignIn | None = None,
) -> PortalRuntime:
    settings = settings or PortalSettings.from_env()
    if sign_in is None:
        # Production never offers the demo accounts; single sign-on plugs in here.
        sign_in = (
            NoSignIn()
            if settings.production
            else DevelopmentSignIn(settings.jwt_secret, settings.jwt_issuer, settings.jwt_audience)
        )
    clock = clock or Clock.from_setting(
        settings.clock_start, settings.environment, settings.clock_anchor
    )
    return PortalRuntime(settings, sign_in, clock)
