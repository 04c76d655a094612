"""Review's decisions on a case: pure functions from state and request to new events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from services.review.domain.case import DECIDED, DOSSIER_SUBMITTED, CaseState
from services.review.domain.criteria import Catalogue
from services.review.domain.errors import (
    FourEyes,
    Invalid,
    StepOutOfOrder,
)
from services.review.domain.findings import (
    RECOMMENDATIONS,
    check_consistency,
    check_coverage,
)
from shared.events.review import (
    DossierReturned,
    Finding,
    IncidentRecorded,
    RecognitionAnnulled,
    RecognitionDecided,
    RecommendationMade,
)

RECOGNIZED, NOT_RECOGNIZED = "recognized", "not_recognized"
DECISIONS = (RECOGNIZED, NOT_RECOGNIZED)


def return_dossier(state: CaseState, reasons: Sequence[str], due_date: date, today=None):
    """Send the current revision back for supplementation, with reasons and a due date."""
    _require_submitted(state, "Chỉ trả lại được hồ sơ đang chờ thẩm định.")
    reasons = tuple(r.strip() for r in reasons if r.strip())
    if not reasons:
        raise Invalid("Cần nêu lý do trả lại hồ sơ.", {"reasons": ["Không được để trống."]})
    if today is not None and due_date < today:
        raise Invalid("Hạn bổ sung đã qua.", {"due_date": ["Hạn bổ sung phải từ hôm nay trở đi."]})
    dossier = state.current
    return [
        DossierReturned(
            unit_id=state.unit_id,
            year=state.year,
            dossier_id=dossier.dossier_id,
            revision=dossier.revision,
            reasons=reasons,
            due_date=due_date,
        )
    ]


def recommend(
    state: CaseState, recommendation: str, findings: Sequence[Finding], catalogue: Catalogue
):
    """Recommend đạt / chưa đạt on the current revision, one finding per criterion of the type."""
    _require_submitted(state, "Chỉ kiến nghị được khi hồ sơ đang chờ thẩm định.")
    if recommendation not in RECOMMENDATIONS:
        raise Invalid(
            "Kiến nghị không hợp lệ.", {"recommendation": [f"Một trong {RECOMMENDATIONS}"]}
        )
    check_coverage(findings, catalogue.ids_for(state.unit_type))
    check_consistency(recommendation, findings)
    proposed = {a.criterion_id: a.met for a in state.current.self_assessment}
    return [
        RecommendationMade(
            unit_id=state.unit_id,
            year=state.year,
            dossier_id=state.current.dossier_id,
            revision=state.current.revision,
            recommendation=recommendation,
            findings=tuple(replace(f, proposed=proposed.get(f.criterion_id)) for f in findings),
            catalogue_version=catalogue.version,
        )
    ]


def decide(
    state: CaseState,
    who_sub: str,
    decision: str,
    decision_number: str,
    decided_on: date,
    note: str = "",
    today=None,
):
    """The People's Committee decides on the recommendation; never its own author (four-eyes)."""
    if state.recommendation is None:
        raise StepOutOfOrder(
            "Hồ sơ chưa có kiến nghị của cơ quan thẩm định nên chưa thể quyết định."
        )
    if state.decision is not None:
        raise StepOutOfOrder(f"Hồ sơ đã có quyết định số {state.decision.decision_number}.")
    if who_sub == state.recommended_by:
        raise FourEyes("Người đã lập kiến nghị không được tự quyết định công nhận hồ sơ này.")
    if decision not in DECISIONS:
        raise Invalid("Quyết định không hợp lệ.", {"decision": [f"Một trong {DECISIONS}"]})
    if today is not None and decided_on > today:
        raise Invalid("Ngày quyết định ở tương lai.", {"decided_on": ["Không được sau hôm nay."]})
    return [
        RecognitionDecided(
            unit_id=state.unit_id,
            year=state.year,
            decision=decision,
            decision_number=decision_number,
            decided_on=decided_on,
            recommendation_event_id=state.recommendation_event_id,
            note=note,
        )
    ]


def annul(state: CaseState, reason: str):
    """Annul a recognition later found wrong; only a standing recognition can be annulled."""
    recognised = state.status == DECIDED and state.decision.decision == RECOGNIZED
    if not recognised:
        raise StepOutOfOrder("Chỉ huỷ được quyết định công nhận đang có hiệu lực.")
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


def record_incident(
    incident_id: str,
    unit_id: str,
    unit_type: str,
    occurred_on: date,
    criterion_id: str,
    description: str,
    catalogue: Catalogue,
    today: date,
):
    """Record an incident against one criterion of the unit's type (evidence for the review)."""
    problems = {}
    if criterion_id not in catalogue.ids_for(unit_type):
        problems["criterion_id"] = [f"Không phải tiêu chí của loại đơn vị {unit_type}."]
    if occurred_on > today:
        problems["occurred_on"] = ["Ngày xảy ra không được sau hôm nay."]
    if not description.strip():
        problems["description"] = ["Không được để trống."]
    if problems:
        raise Invalid("Thông tin vụ việc chưa hợp lệ.", problems)
    return [
        IncidentRecorded(
            incident_id=incident_id,
            unit_id=unit_id,
            occurred_on=occurred_on,
            criterion_id=criterion_id,
            description=description.strip(),
        )
    ]


def _require_submitted(state: CaseState, message: str) -> None:
    if state.status != DOSSIER_SUBMITTED:
        raise StepOutOfOrder(f"{message} Trạng thái hiện tại: {state.status}.")
