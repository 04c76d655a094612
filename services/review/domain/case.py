"""One unit's year under review: a pure fold of its timeline (registration's events and ours)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import singledispatch

from shared.events.registration import DossierSubmitted, UnitRegistered
from shared.events.review import (
    DossierReturned,
    RecognitionAnnulled,
    RecognitionDecided,
    RecommendationMade,
)

REGISTERED = "registered"
DOSSIER_SUBMITTED = "dossier_submitted"
RETURNED = "returned"
RECOMMENDED = "recommended"
DECIDED = "decided"
ANNULLED = "annulled"
STATUSES = (REGISTERED, DOSSIER_SUBMITTED, RETURNED, RECOMMENDED, DECIDED, ANNULLED)


@dataclass(frozen=True)
class Entry:
    """One timeline row: the decoded event with its id, actor and time."""

    event: object
    event_id: str
    actor: dict
    occurred_at: str
    event_type: str = ""


@dataclass(frozen=True)
class CaseState:
    unit_id: str
    year: int
    status: str | None = None
    registration: UnitRegistered | None = None
    dossiers: tuple[DossierSubmitted, ...] = ()
    returns: tuple[DossierReturned, ...] = ()
    recommendation: RecommendationMade | None = None
    recommendation_event_id: str | None = None
    recommended_by: str | None = None
    decision: RecognitionDecided | None = None
    annulment: RecognitionAnnulled | None = None
    version: int = 0

    @property
    def current(self) -> DossierSubmitted | None:
        return self.dossiers[-1] if self.dossiers else None

    @property
    def revision(self) -> int:
        return self.current.revision if self.current else 0

    @property
    def returned_revisions(self) -> frozenset[int]:
        return frozenset(r.revision for r in self.returns)

    @property
    def unit_type(self) -> str | None:
        return self.registration.unit_type if self.registration else None

    @property
    def outcome(self) -> str | None:
        """recognised / not_recognised once decided (kept after an annulment, for the record)."""
        if self.decision is None:
            return None
        return "recognised" if self.decision.decision == "recognized" else "not_recognised"


@singledispatch
def evolve(event, state: CaseState, entry: Entry) -> CaseState:
    # Events this fold does not know leave the case as it was (they still count in `version`).
    return state


@evolve.register
def _(event: UnitRegistered, state: CaseState, entry: Entry) -> CaseState:
    return replace(state, registration=event, status=state.status or REGISTERED)


@evolve.register
def _(event: DossierSubmitted, state: CaseState, entry: Entry) -> CaseState:
    return replace(state, dossiers=(*state.dossiers, event), status=DOSSIER_SUBMITTED)


@evolve.register
def _(event: DossierReturned, state: CaseState, entry: Entry) -> CaseState:
    return replace(state, returns=(*state.returns, event), status=RETURNED)


@evolve.register
def _(event: RecommendationMade, state: CaseState, entry: Entry) -> CaseState:
    return replace(
        state,
        recommendation=event,
        recommendation_event_id=entry.event_id,
        recommended_by=entry.actor.get("sub"),
        status=RECOMMENDED,
    )


@evolve.register
def _(event: RecognitionDecided, state: CaseState, entry: Entry) -> CaseState:
    return replace(state, decision=event, status=DECIDED)


@evolve.register
def _(event: RecognitionAnnulled, state: CaseState, entry: Entry) -> CaseState:
    return replace(state, annulment=event, status=ANNULLED)


def fold(unit_id: str, year: int, entries) -> CaseState:
    state = CaseState(unit_id, year)
    for entry in entries:
        state = replace(evolve(entry.event, state, entry), version=state.version + 1)
    return state
