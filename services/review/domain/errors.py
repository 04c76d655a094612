"""Rule errors of the review service."""

from shared.authority import NoAuthority  # the kernel's: no table names who decides (409)
from shared.errors import Conflict, Invalid, NotAllowed, NotFound


class CaseNotFound(NotFound):
    """No unit-year case with this id is known to review."""


class StepOutOfOrder(Conflict):
    """The case is not in a state that allows this step."""


class StaleVersion(Conflict):
    """The client decided on an older version of the case than the current one."""


class FindingsInvalid(Invalid):
    """The findings do not match the catalogue or the recommendation."""


class UnitsStillOpen(Conflict):
    """A commune's decision waits for the units it counts for CW-4."""


class NumberTaken(Conflict):
    """The decision number is already used by this authority this year."""


class FourEyes(NotAllowed):
    """The approver made the recommendation they are asked to decide on."""


__all__ = [
    "CaseNotFound",
    "Conflict",
    "FindingsInvalid",
    "FourEyes",
    "Invalid",
    "NoAuthority",
    "NotAllowed",
    "NotFound",
    "NumberTaken",
    "StaleVersion",
    "StepOutOfOrder",
    "UnitsStillOpen",
]
