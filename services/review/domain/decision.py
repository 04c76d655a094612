"""The People's Committee's decision and its annulment: pure rules on who, when and which number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.review.domain.authority import Authority, ensure_is_authority
from services.review.domain.case import DECIDED, CaseState
from services.review.domain.errors import (
    FourEyes,
    Invalid,
    NumberTaken,
    StepOutOfOrder,
    UnitsStillOpen,
)
from shared.events.review import RecognitionAnnulled, RecognitionDecided

RECOGNIZED, NOT_RECOGNIZED = "recognized", "not_recognized"
DECISIONS = (RECOGNIZED, NOT_RECOGNIZED)


@dataclass(frozen=True)
class Approver:
    sub: str
    jurisdiction: str | None


@dataclass(frozen=True)
class DecisionRequest:
    decision: str
    decision_number: str
    decided_on: date
    note: str = ""


def decide(
    state: CaseState,
    who: Approver,
    request: DecisionRequest,
    authority: Authority,
    open_units: tuple[str, ...] = (),
    number_taken: bool = False,
    today: date | None = None,
):
    """Decide on the recommendation: by the unit's authority, never by its recommender."""
    if state.recommendation is None:
        raise StepOutOfOrder(
            "Hồ sơ chưa có kiến nghị của cơ quan thẩm định nên chưa thể quyết định."
        )
    if state.decision is not None:
        raise StepOutOfOrder(f"Hồ sơ đã có quyết định số {state.decision.decision_number}.")
    if who.sub == state.recommended_by:
        raise FourEyes("Người đã lập kiến nghị không được tự quyết định công nhận hồ sơ này.")
    ensure_is_authority(who.jurisdiction, authority)
    if request.decision not in DECISIONS:
        raise Invalid("Quyết định không hợp lệ.", {"decision": [f"Một trong {DECISIONS}"]})
    if today is not None and request.decided_on > today:
        raise Invalid("Ngày quyết định ở tương lai.", {"decided_on": ["Không được sau hôm nay."]})
    if open_units:
        # Art. 5.4: CW-4 counts the commune's units, so their decisions must be final first.
        raise UnitsStillOpen(
            "Chưa thể quyết định cho xã/phường: các đơn vị sau chưa có quyết định cuối cùng: "
            f"{', '.join(open_units)}.",
            {"open_units": list(open_units)},
        )
    if number_taken:
        raise NumberTaken(
            f"Số quyết định {request.decision_number} đã được {authority.name} "
            f"({authority.code}) dùng trong năm {state.year}.",
            {"decision_number": ["Số quyết định đã được dùng."]},
        )
    return [
        RecognitionDecided(
            unit_id=state.unit_id,
            year=state.year,
            decision=request.decision,
            decision_number=request.decision_number,
            decided_on=request.decided_on,
            recommendation_event_id=state.recommendation_event_id,
            note=request.note,
        )
    ]


def annul(state: CaseState, who: Approver, reason: str, authority: Authority):
    """Annul a recognition later found wrong, by the authority that granted it, with a reason."""
    recognised = state.status == DECIDED and state.decision.decision == RECOGNIZED
    if not recognised:
        raise StepOutOfOrder("Chỉ huỷ được quyết định công nhận đang có hiệu lực.")
    ensure_is_authority(who.jurisdiction, authority)
    if not reason.strip():
        raise Invalid("Cần nêu lý do huỷ.", {"reason": ["Không được để trống."]})
    return [
        RecognitionAnnulled(
            unit_id=state.unit_id,
            year=state.year,
            decision_number=state.decision.decision_number,
            reason=reason.strip(),
        )
    ]
