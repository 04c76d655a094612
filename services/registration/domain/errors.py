"""Rule errors of the registration service."""

from shared.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound


class UnitNotEligible(Invalid):
    """The unit is excluded by Art. 1 of the Circular."""


class UnknownUnit(NotFound):
    """No unit with this id in the directory."""


class NoCampaign(NotFound):
    """No campaign has been set for the year."""


class AlreadyRegistered(Conflict):
    """The unit has already registered for the year."""


class OutsideWindow(Invalid):
    """A deadline or window of the campaign does not allow this today."""


class StepOutOfOrder(Conflict):
    """The case is not in a state that allows this step."""


class StaleVersion(Conflict):
    """The caller's expected_version is not the case's current version."""


class DuplicateUnit(Conflict):
    """A unit with this id is already in the directory."""


class DocumentRefused(Invalid):
    """An uploaded file is not one of the allowed kinds, or cannot be cited."""


class TooLarge(Invalid):
    """An uploaded file is larger than the configured limit."""

    status = 413


class DocumentCorrupt(DomainError):
    """The stored bytes no longer match their SHA-256: refused, never served."""

    status = 500


__all__ = [
    "AlreadyRegistered",
    "DocumentCorrupt",
    "DocumentRefused",
    "DuplicateUnit",
    "Invalid",
    "NoCampaign",
    "NotAllowed",
    "NotFound",
    "OutsideWindow",
    "StaleVersion",
    "StepOutOfOrder",
    "TooLarge",
    "UnitNotEligible",
    "UnknownUnit",
]
