"""Roots of the rule errors every domain raises (pure: domains import this, not the HTTP edge)."""

from __future__ import annotations


class DomainError(Exception):
    """A broken rule; `status` is what the HTTP edge answers."""

    status = 422

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message, self.errors = message, errors or {}


class NotFound(DomainError):
    """The id names nothing this service knows."""

    status = 404


class Conflict(DomainError):
    """A step out of order, or a second of something that may exist once."""

    status = 409


class Invalid(DomainError):
    """The request breaks a rule of the domain."""

    status = 422


class NotAllowed(DomainError):
    """The caller may not do this to this case (a rule of who, not of what)."""

    status = 403
