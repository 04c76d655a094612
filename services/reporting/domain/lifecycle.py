"""One unit's year as reporting sees it: a fold of its events, never a stored flag."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import singledispatch

from shared.events.notification import NotificationFailed, NotificationSent
from shared.events.registration import DossierSubmitted, LateExceptionGranted, UnitRegistered
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
EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


@dataclass(frozen=True, slots=True)
class Logged:
    """A consumed event with what the fold needs from its envelope."""

    event: object
    actor_sub: str = ""
    event_id: str = ""
    occurred_at: datetime = EPOCH
    stream_id: str = ""
    stream_version: int = 0


@dataclass(frozen=True)
class UnitYear:
    status: str = NOT_REGISTERED
    dossiers_filed: int = 0
    returns: int = 0
    recommendation: str | None = None
    failing_criteria: tuple[str, ...] = ()
    # (criterion_id, met) of the last recommendation, in the reviewer's order.
    findings: tuple[tuple[str, bool], ...] = ()
    decision: str | None = None
    decision_number: str | None = None
    decided_on: date | None = None
    signer: str | None = None
    annul_reason: str | None = None
    late_registration: bool = False
    late_dossier: bool = False
    late_exceptions: tuple[str, ...] = ()
    notifications_sent: int = 0
    notifications_failed: int = 0


@singledispatch
def evolve(event, state: UnitYear, actor_sub: str) -> UnitYear:
    return state  # incidents and directory entries do not move the lifecycle


@evolve.register
def _(event: UnitRegistered, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(state, status=REGISTERED, late_registration=event.late)


@evolve.register
def _(event: DossierSubmitted, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(
        state,
        status=DOSSIER_SUBMITTED,
        dossiers_filed=state.dossiers_filed + 1,
        late_dossier=state.late_dossier or event.late,
    )


@evolve.register
def _(event: DossierReturned, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(state, status=RETURNED, returns=state.returns + 1)


@evolve.register
def _(event: RecommendationMade, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(
        state,
        status=RECOMMENDED,
        recommendation=event.recommendation,
        failing_criteria=tuple(f.criterion_id for f in event.findings if not f.met),
        findings=tuple((f.criterion_id, bool(f.met)) for f in event.findings),
        decision=None,
        decision_number=None,
        decided_on=None,
        signer=None,
        annul_reason=None,
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
    return replace(state, status=ANNULLED, annul_reason=event.reason)


@evolve.register
def _(event: LateExceptionGranted, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(state, late_exceptions=(*state.late_exceptions, event.step))


@evolve.register
def _(event: NotificationSent, state: UnitYear, actor_sub: str) -> UnitYear:
    # NotificationFailed is a NotificationSent too; singledispatch picks the closer class.
    return replace(state, notifications_sent=state.notifications_sent + 1)


@evolve.register
def _(event: NotificationFailed, state: UnitYear, actor_sub: str) -> UnitYear:
    return replace(state, notifications_failed=state.notifications_failed + 1)


def fold(events) -> UnitYear:
    """Fold one unit-year's events, given in the order they happened."""
    state = UnitYear()
    for logged in events:
        state = evolve(logged.event, state, logged.actor_sub)
    return state


def order_key(logged: Logged) -> tuple:
    """The order of a unit's story, the same whatever order the topics delivered it in."""
    return (logged.occurred_at, logged.stream_id, logged.stream_version, logged.event_id)


def in_order(events) -> list[Logged]:
    """Each event once (by event_id), in the order they happened."""
    unique = {logged.event_id or id(logged): logged for logged in events}
    return sorted(unique.values(), key=order_key)


def project(events) -> UnitYear:
    """The unit-year from its events, whatever their delivery order and however many copies."""
    return fold(in_order(events))
