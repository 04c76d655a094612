"""Rule errors of the registration service."""

from shared.errors import Conflict, Invalid, NotAllowed, NotFound


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


__all__ = [
    "AlreadyRegistered",
    "Invalid",
    "NoCampaign",
    "NotAllowed",
    "OutsideWindow",
    "StepOutOfOrder",
    "UnitNotEligible",
    "UnknownUnit",
]
