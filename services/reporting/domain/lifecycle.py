"""One unit's year as reporting sees it: a fold of its events, never a stored flag."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import singledispatch

from shared.events.registration import DossierSubmitted, UnitRegistered
from shared.events.review import (
    DossierReturned,
    RecognitionAnnulled,
    RecognitionDecided,
    RecommendationMade,
)

NOT_REGISTERED = "not_registered"
REGISTERED = "registered"
DOSSIER_SUBMITTED = "dossier_submitted"
RETURNED = "returned"
RECOMMENDED = "recommended"
RECOGNIZED = "recognized"
NOT_RECOGNIZED = "not_recognized"
ANNULLED = "annulled"
STATUSES = (
    NOT_REGISTERED,
    REGISTERED,
    DOSSIER_SUBMITTED,
    RETURNED,
    RECOMMENDED,
    RECOGNIZED,
    NOT_RECOGNIZED,
    ANNULLED,
)


@dataclass(frozen=True)
class Logged:
    """A consumed event with what the fold needs from its envelope."""

    event: object
    actor_sub: str = ""


@dataclass(frozen=True)
class UnitYear:
    status: str = NOT_REGISTERED
    dossiers_filed: int = 0
    returns: int = 0
    recommendation: str | None = None
    failing_criteria: tuple[str, ...] = ()
    decision: str | None = None
    decision_number: str | None = None
    decided_on: date | None = None
    signer: str | None = None


@singledispatch
def evolve(event, state: UnitYear, actor_sub: str) -> UnitYear:
    return state  # incidents, notifications, directory entries do not move the lifecycle


@evolve.register
def _(event: UnitRegistered, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(state, status=REGISTERED)


@evolve.register
def _(event: DossierSubmitted, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(state, status=DOSSIER_SUBMITTED, dossiers_filed=state.dossiers_filed + 1)


@evolve.register
def _(event: DossierReturned, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(state, status=RETURNED, returns=state.returns + 1)


@evolve.register
def _(event: RecommendationMade, state: UnitYear, actor_sub: str) -> UnitYear:
    failing = tuple(f.criterion_id for f in event.findings if not f.met)
    return replace(
        state,
        status=RECOMMENDED,
        recommendation=event.recommendation,
        failing_criteria=failing,
        decision=None,
        decision_number=None,
        decided_on=None,
        signer=None,
    )


@evolve.register
def _(event: RecognitionDecided, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(
        state,
        status=RECOGNIZED if event.decision == RECOGNIZED else NOT_RECOGNIZED,
        decision=event.decision,
        decision_number=event.decision_number,
        decided_on=event.decided_on,
        signer=actor_sub,
    )


@evolve.register
def _(event: RecognitionAnnulled, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(state, status=ANNULLED)


def fold(events) -> UnitYear:
    """Fold one unit-year's events, given in the order they happened."""
    state = UnitYear()
    for logged in events:
        state = evolve(logged.event, state, logged.actor_sub)
    return state
