"""One unit's year on the registration side: its registration and its dossier revisions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import singledispatch

from services.registration.domain.campaign import Campaign
from services.registration.domain.errors import (
    AlreadyRegistered,
    OutsideWindow,
    StepOutOfOrder,
)
from shared.events.registration import (
    DocumentRef,
    DossierSubmitted,
    SelfAssessment,
    UnitAdded,
    UnitRegistered,
)
from shared.events.review import DossierReturned


@dataclass(frozen=True)
class UnitYear:
    registration: UnitRegistered | None = None
    dossiers: tuple[DossierSubmitted, ...] = ()
    returned_revisions: frozenset[int] = frozenset()
    version: int = 0

    @property
    def revision(self) -> int:
        return self.dossiers[-1].revision if self.dossiers else 0

    @property
    def awaiting_revision(self) -> bool:
        return self.revision == 0 or self.revision in self.returned_revisions


def register(
    state: UnitYear,
    unit: UnitAdded,
    campaign: Campaign,
    today: date,
    documents: tuple[DocumentRef, ...],
    figures: dict,
    late_reason: str | None,
):
    if state.registration is not None:
        raise AlreadyRegistered(f"Đơn vị đã đăng ký phấn đấu năm {campaign.year}.")
    late = today > campaign.dates["registration_deadline"]
    if late and not late_reason:
        deadline = campaign.dates["registration_deadline"].strftime("%d/%m/%Y")
        raise OutsideWindow(
            f"Đã quá hạn đăng ký ({deadline}); cần quản trị viên ghi nhận ngoại lệ kèm lý do.",
            {"year": [f"Hạn đăng ký là {deadline}."]},
        )
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
            documents=documents,
            figures=figures,
            late=late,
            late_reason=late_reason if late else None,
        )
    ]


def submit_dossier(
    state: UnitYear,
    campaign: Campaign,
    today: date,
    dossier_id: str,
    documents: tuple[DocumentRef, ...],
    assessment: tuple[SelfAssessment, ...],
):
    reg = state.registration
    if reg is None:
        raise StepOutOfOrder("Đơn vị chưa đăng ký phấn đấu năm này nên chưa thể nộp hồ sơ.")
    if not state.awaiting_revision:
        raise StepOutOfOrder("Hồ sơ đã nộp đang được thẩm định; chỉ nộp lại khi bị trả lại.")
    opens, closes = campaign.dossier_window(reg.unit_type)
    if not opens <= today <= closes:
        raise OutsideWindow(
            f"Chỉ nộp hồ sơ từ {opens:%d/%m/%Y} đến {closes:%d/%m/%Y}.",
            {"year": ["Ngoài thời hạn nộp hồ sơ."]},
        )
    return [
        DossierSubmitted(
            dossier_id=dossier_id,
            unit_id=reg.unit_id,
            year=reg.year,
            revision=state.revision + 1,
            documents=documents,
            self_assessment=assessment,
            late=False,
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
def _(event: DossierReturned, state: UnitYear) -> UnitYear:
    return replace(state, returned_revisions=state.returned_revisions | {event.revision})


def fold(own_events, returns=()) -> UnitYear:
    state = UnitYear()
    for e in own_events:
        state = replace(evolve(e, state), version=state.version + 1)
    for r in returns:
        state = evolve(r, state)
    return state
