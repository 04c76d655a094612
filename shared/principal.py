"""Who is calling: the five roles, the Principal a token stands for, and why a call is refused."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("unit", "reviewer", "approver", "auditor", "admin")


class Unauthenticated(Exception):
    """No token, or a token that is malformed, badly signed or expired (401)."""


class Forbidden(Exception):
    """A valid token that may not do this, here (403)."""


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    unit_id: str | None = None
    jurisdiction: str | None = None
    # The person's display name (the provider's `name` claim), kept beside the subject.
    name: str | None = None

    @property
    def actor(self) -> dict:
        actor = {"sub": self.sub, "role": self.role}
        if self.name:
            actor["name"] = self.name
        return actor
