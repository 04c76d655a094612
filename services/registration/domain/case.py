"""One unit's year on the registration side: registration, late exceptions, dossier revisions."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import singledispatch

from services.registration.domain import deadlines, requirements
from services.registration.domain.campaign import Campaign
from services.registration.domain.errors import (
    AlreadyRegistered,
    StaleVersion,
    StepOutOfOrder,
)
from shared.events.registration import (
    DossierSubmitted,
    LateExceptionGranted,
    UnitAdded,
    UnitRegistered,
)
from shared.events.review import DossierReturned


@dataclass(frozen=True)
class UnitYear:
    registration: UnitRegistered | None = None
    dossiers: tuple[DossierSubmitted, ...] = ()
    returns: tuple[DossierReturned, ...] = ()
    exceptions: dict = field(default_factory=dict)
    version: int = 0

    @property
    def revision(self) -> int:
        return self.dossiers[-1].revision if self.dossiers else 0

    @property
    def returned_revisions(self) -> frozenset[int]:
        return frozenset(r.revision for r in self.returns)

    @property
    def awaiting_revision(self) -> bool:
        return self.revision == 0 or self.revision in self.returned_revisions

    def exception_for(self, step: str, today: date) -> LateExceptionGranted | None:
        granted = self.exceptions.get(step)
        if granted and (granted.until is None or today <= granted.until):
            return granted
        return None


def register(state, unit: UnitAdded, campaign: Campaign, today, documents, figures, reason, rules):
    """Register the unit for the year; after the deadline only with an exception's reason."""
    if state.registration is not None:
        raise AlreadyRegistered(f"Đơn vị đã đăng ký phấn đấu năm {campaign.year}.")
    late, reason = deadlines.registration_lateness(state, campaign, today, reason)
    problems = requirements.registration_problems(unit, documents, figures, rules)
    requirements.require(problems, "Hồ sơ đăng ký còn thiếu tài liệu hoặc số liệu.")
    return [
        UnitRegistered(
            unit_id=unit.unit_id,
            year=campaign.year,
            unit_type=unit.unit_type,
            name=unit.name,
            commune_code=unit.commune_code,
            managing_level=unit.managing_level,
            has_party_organization=unit.has_party_organization,
            jurisdiction=unit.jurisdiction,
            documents=tuple(documents),
            figures=dict(figures),
            late=late,
            late_reason=reason,
        )
    ]


@dataclass(frozen=True)
class DossierDraft:
    dossier_id: str
    documents: tuple
    assessment: tuple
    expected_version: int | None = None


def submit_dossier(state: UnitYear, campaign: Campaign, today: date, draft: DossierDraft, rules):
    """Accept the first dossier, or revision n+1 after a return, inside the window."""
    reg = state.registration
    if reg is None:
        raise StepOutOfOrder("Đơn vị chưa đăng ký phấn đấu năm này nên chưa thể nộp hồ sơ.")
    if draft.expected_version is not None and draft.expected_version != state.version:
        raise StaleVersion(
            "Hồ sơ đã thay đổi từ lần bạn tải về; tải lại rồi nộp lại.",
            {"expected_version": [f"Phiên bản hiện tại là {state.version}."]},
        )
    if not state.awaiting_revision:
        raise StepOutOfOrder("Hồ sơ đã nộp đang được thẩm định; chỉ nộp lại khi bị trả lại.")
    late, reason = deadlines.dossier_lateness(state, campaign, reg.unit_type, today)
    ids = rules["criteria_ids"]
    problems = requirements.dossier_problems(
        reg.unit_type, draft.documents, draft.assessment, rules, ids
    )
    requirements.require(problems, "Hồ sơ đề nghị còn thiếu tài liệu hoặc dòng tự đánh giá.")
    return [
        DossierSubmitted(
            dossier_id=draft.dossier_id,
            unit_id=reg.unit_id,
            year=reg.year,
            revision=state.revision + 1,
            documents=tuple(draft.documents),
            self_assessment=tuple(draft.assessment),
            late=late,
            late_reason=reason,
        )
    ]


@singledispatch
def evolve(event, state: UnitYear) -> UnitYear:
    return state


@evolve.register
def _(event: UnitRegistered, state: UnitYear) -> UnitYear:
    return replace(state, registration=event)


@evolve.register
def _(event: DossierSubmitted, state: UnitYear) -> UnitYear:
    return replace(state, dossiers=(*state.dossiers, event))


@evolve.register
def _(event: LateExceptionGranted, state: UnitYear) -> UnitYear:
    return replace(state, exceptions={**state.exceptions, event.step: event})


@evolve.register
def _(event: DossierReturned, state: UnitYear) -> UnitYear:
    return replace(state, returns=(*state.returns, event))


def fold(own_events, returns=()) -> UnitYear:
    state = UnitYear()
    for e in own_events:
        state = replace(evolve(e, state), version=state.version + 1)
    for r in returns:
        state = evolve(r, state)
    return state
