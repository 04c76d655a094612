"""Deadlines of a unit's year and the admin's late exceptions that lift them (with a reason)."""

from __future__ import annotations

from services.registration.domain.errors import Invalid, OutsideWindow, StepOutOfOrder
from shared.events.registration import LateExceptionGranted


def grant_exception(state, unit, campaign, step, reason, until, today):
    """An admin lets the unit take `step` after its deadline, with a reason kept in the log."""
    if step == "registration" and state.registration is not None:
        raise StepOutOfOrder("Đơn vị đã đăng ký năm này; không cần ngoại lệ đăng ký muộn.")
    if until is not None and until < today:
        raise Invalid("Hạn của ngoại lệ đã qua.", {"until": ["Phải từ hôm nay trở đi."]})
    return [LateExceptionGranted(unit.unit_id, campaign.year, step, reason, until)]


def registration_lateness(state, campaign, today, reason):
    """(late, reason): after the deadline only with the admin's reason or a granted exception."""
    deadline = campaign.dates["registration_deadline"]
    if today <= deadline:
        return False, None
    granted = state.exception_for("registration", today)
    reason = reason or (granted.reason if granted else None)
    if not reason:
        raise OutsideWindow(
            f"Đã quá hạn đăng ký ({deadline:%d/%m/%Y}); cần quản trị viên ghi nhận "
            "ngoại lệ kèm lý do (POST /api/v1/late-exceptions).",
            {"year": [f"Hạn đăng ký là {deadline:%d/%m/%Y}."]},
        )
    return True, reason


def dossier_lateness(state, campaign, unit_type: str, today):
    opens, closes = campaign.dossier_window(unit_type)
    if state.returns:
        # A returned dossier is due by the date the reviewer set, if that is later.
        closes = max(closes, state.returns[-1].due_date)
    window = f"Chỉ nộp hồ sơ từ {opens:%d/%m/%Y} đến {closes:%d/%m/%Y}."
    if today < opens:
        raise OutsideWindow(window, {"year": ["Chưa đến thời gian nộp hồ sơ."]})
    if today <= closes:
        return False, None
    granted = state.exception_for("dossier", today)
    if granted is None:
        raise OutsideWindow(
            window + " Nộp muộn cần quản trị viên ghi nhận ngoại lệ kèm lý do.",
            {"year": ["Đã quá hạn nộp hồ sơ."]},
        )
    return True, granted.reason
