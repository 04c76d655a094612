"""CW-4's counts: the commune's own units, registered, recognised and still open (Art. 5.4)."""

from __future__ import annotations

from dataclasses import dataclass

from services.review.domain.case import CaseState
from services.review.domain.decision import RECOGNIZED
from services.review.domain.proposals import CommuneCounts


@dataclass(frozen=True)
class Standing:
    """Where one counted unit stands in the year."""

    unit_id: str
    registered: bool
    recognised: bool
    open: bool


def standing(unit_id: str, state: CaseState | None) -> Standing:
    """A registered unit is open until decided; a standing recognition counts, an annulled one not.

    A unit that never registered is not open: nothing more can happen to its case but a late
    registration (which makes it open again), and it already fails CW-4's 100% registration.
    """
    registered = state is not None and state.registration is not None
    decided = registered and state.decision is not None
    recognised = decided and state.decision.decision == RECOGNIZED and state.annulment is None
    return Standing(unit_id, registered, recognised, registered and not decided)


def counts(standings: list[Standing]) -> CommuneCounts:
    return CommuneCounts(
        total=len(standings),
        registered=sum(s.registered for s in standings),
        recognised=sum(s.recognised for s in standings),
        open_units=tuple(s.unit_id for s in standings if s.open),
    )
