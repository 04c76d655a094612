"""Review's decisions on a case: pure functions from state and request to new events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from services.review.domain.case import DOSSIER_SUBMITTED, CaseState
from services.review.domain.criteria import Catalogue
from services.review.domain.errors import Invalid, StepOutOfOrder
from services.review.domain.findings import (
    RECOMMENDATIONS,
    check_consistency,
    check_coverage,
)
from shared.events.review import (
    DossierReturned,
    Finding,
    IncidentRecorded,
    RecommendationMade,
)


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
    state: CaseState,
    recommendation: str,
    findings: Sequence[Finding],
    catalogue: Catalogue,
    proposed: dict | None = None,
):
    """Recommend đạt / chưa đạt on the current revision, one finding per criterion of the type.

    `proposed` is review's proposed verdict per criterion; each finding carries it beside the
    reviewer's final value (an override is a finding whose `met` differs from its `proposed`).
    """
    _require_submitted(state, "Chỉ kiến nghị được khi hồ sơ đang chờ thẩm định.")
    if recommendation not in RECOMMENDATIONS:
        raise Invalid(
            "Kiến nghị không hợp lệ.", {"recommendation": [f"Một trong {RECOMMENDATIONS}"]}
        )
    check_coverage(findings, catalogue.ids_for(state.unit_type))
    check_consistency(recommendation, findings)
    proposed = proposed or {}
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
    owner = catalogue.owner_of(criterion_id, unit_type)
    if owner is None:
        problems["criterion_id"] = [f"Không phải tiêu chí của loại đơn vị {unit_type}."]
    elif not owner.accepts_incidents:
        problems["criterion_id"] = [f"{owner.criterion_id} không ghi nhận vụ việc."]
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
