"""The Vietnamese subject and plain-text body of each template (Jinja2 files come later)."""

from __future__ import annotations

from datetime import date

STANDARD = "“An toàn về an ninh, trật tự”"
RECOMMENDATIONS = {"achieved": "đạt chuẩn", "not_achieved": "chưa đạt chuẩn"}
DECISIONS = {"recognized": "công nhận", "not_recognized": "không công nhận"}
SIGNATURE = (
    "Trân trọng,\n"
    f"Hệ thống quản lý phong trào {STANDARD}\n"
    "(Thư gửi tự động, vui lòng không trả lời thư này.)"
)


def compose_text(template: str, event, name: str) -> tuple[str, str]:
    """(subject, body) of `template` for `event`, addressed to the unit called `name`."""
    step, paragraphs = _TEXTS[template](event)
    subject = f"{step} – {name}"
    body = "\n\n".join([f"Kính gửi: {name}", *paragraphs, SIGNATURE]) + "\n"
    return subject, body


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _bullets(lines) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _registration_received(e) -> tuple[str, list[str]]:
    said = [
        f"Hệ thống đã nhận bản đăng ký phấn đấu đạt chuẩn {STANDARD} năm {e.year} "
        f"của đơn vị, kèm {len(e.documents)} tài liệu."
    ]
    if e.late:
        said.append(f"Đăng ký được nhận sau hạn theo ngoại lệ đã ghi nhận: {e.late_reason}.")
    return f"Đã nhận đăng ký phấn đấu đạt chuẩn ANTT năm {e.year}", said


def _dossier_received(e) -> tuple[str, list[str]]:
    step = f"Đã nhận hồ sơ đề nghị công nhận năm {e.year}"
    if e.revision > 1:
        step += f" (nộp lại lần {e.revision - 1})"
    return step, [
        f"Hệ thống đã nhận hồ sơ đề nghị công nhận đạt chuẩn {STANDARD} năm {e.year} "
        f"(bản số {e.revision}, {len(e.documents)} tài liệu).",
        "Hồ sơ đang được Thường trực Ban Chỉ đạo thẩm định; đơn vị sẽ được thông báo kết quả.",
    ]


def _dossier_returned(e) -> tuple[str, list[str]]:
    return f"Hồ sơ đề nghị công nhận năm {e.year} được trả lại để bổ sung", [
        f"Hồ sơ đề nghị công nhận năm {e.year} (bản số {e.revision}) được trả lại vì:",
        _bullets(e.reasons),
        f"Đề nghị đơn vị bổ sung và nộp lại hồ sơ trước ngày {_dmy(e.due_date)}.",
    ]


def _recommendation_made(e) -> tuple[str, list[str]]:
    verdict = RECOMMENDATIONS.get(e.recommendation, e.recommendation)
    said = [
        f"Thường trực Ban Chỉ đạo đã thẩm định hồ sơ năm {e.year} (bản số {e.revision}) "
        f"và đề nghị xét công nhận đơn vị: {verdict}."
    ]
    unmet = [_finding_line(f) for f in e.findings if not f.met]
    if unmet:
        said += ["Các tiêu chí chưa đạt:", _bullets(unmet)]
    said.append("Ủy ban nhân dân có thẩm quyền sẽ ra quyết định; đơn vị sẽ được thông báo.")
    return f"Đã có kết quả thẩm định hồ sơ năm {e.year}", said


def _finding_line(finding) -> str:
    return f"{finding.criterion_id}: {finding.note}" if finding.note else finding.criterion_id


def _recognition_decided(e) -> tuple[str, list[str]]:
    outcome = DECISIONS.get(e.decision, e.decision)
    said = [
        f"Ngày {_dmy(e.decided_on)}, Ủy ban nhân dân đã ban hành Quyết định số "
        f"{e.decision_number} {outcome} đơn vị đạt chuẩn {STANDARD} năm {e.year}."
    ]
    if e.note:
        said.append(f"Ghi chú: {e.note}")
    return f"Quyết định {outcome} đạt chuẩn ANTT năm {e.year}", said


def _recognition_annulled(e) -> tuple[str, list[str]]:
    return f"Hủy bỏ quyết định công nhận số {e.decision_number} năm {e.year}", [
        f"Quyết định số {e.decision_number} công nhận đơn vị đạt chuẩn {STANDARD} "
        f"năm {e.year} đã bị hủy bỏ.",
        f"Lý do: {e.reason}",
    ]


_TEXTS = {
    "registration_received": _registration_received,
    "dossier_received": _dossier_received,
    "dossier_returned": _dossier_returned,
    "recommendation_made": _recommendation_made,
    "recognition_decided": _recognition_decided,
    "recognition_annulled": _recognition_annulled,
}
