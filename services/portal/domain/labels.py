"""Plain Vietnamese words for the codes the APIs answer with (statuses, kinds, unit types)."""

from __future__ import annotations

UNIT_TYPES = {
    "residential_area": "Khu dân cư",
    "commune": "Xã, phường, thị trấn",
    "agency": "Cơ quan",
    "enterprise": "Doanh nghiệp",
    "school": "Nhà trường",
}
LEVELS = {"commune": "Cấp xã", "district": "Cấp huyện", "province": "Cấp tỉnh"}
CASE_STATUSES = {
    "registered": "Đã đăng ký",
    "dossier_submitted": "Đã nộp hồ sơ, chờ thẩm định",
    "returned": "Trả lại để bổ sung",
    "recommended": "Đã có kiến nghị, chờ quyết định",
    "decided": "Đã có quyết định",
    "annulled": "Đã hủy quyết định",
}
REPORT_STATUSES = {
    "not_registered": "Chưa đăng ký",
    "registered": "Đã đăng ký, chưa nộp hồ sơ",
    "dossier_submitted": "Đã nộp hồ sơ",
    "returned": "Trả lại bổ sung",
    "recommended": "Đã có kiến nghị",
    "recognized": "Được công nhận",
    "not_recognized": "Không được công nhận",
    "annulled": "Đã hủy công nhận",
}
DOCUMENT_KINDS = {
    "party_resolution": "Nghị quyết của cấp ủy Đảng",
    "security_plan": "Kế hoạch bảo đảm an ninh, trật tự",
    "registration_form": "Bản đăng ký phấn đấu",
    "household_list": "Danh sách hộ gia đình",
    "internal_rules": "Quy ước, hương ước",
    "model_decision": "Quyết định mô hình",
    "proposal": "Tờ trình đề nghị công nhận",
    "results_report": "Báo cáo kết quả thực hiện các tiêu chí",
    "meeting_minutes": "Biên bản cuộc họp đánh giá",
    "other": "Tài liệu khác",
}
RECOMMENDATIONS = {"achieved": "Đạt", "not_achieved": "Chưa đạt"}
DECISIONS = {"recognized": "Công nhận", "not_recognized": "Không công nhận"}
EVENT_TYPES = {
    "CampaignScheduled": "Lịch đợt đánh giá",
    "UnitAdded": "Thêm vào danh bạ",
    "UnitUpdated": "Cập nhật danh bạ",
    "UnitRegistered": "Đăng ký phấn đấu",
    "LateExceptionGranted": "Cho phép nộp muộn",
    "DossierSubmitted": "Nộp hồ sơ đề nghị",
    "DossierReturned": "Trả lại bổ sung",
    "IncidentRecorded": "Ghi nhận vụ việc",
    "RecommendationMade": "Kiến nghị",
    "RecognitionDecided": "Quyết định công nhận",
    "RecognitionAnnulled": "Hủy quyết định",
    "NotificationSent": "Đã gửi thông báo",
    "NotificationFailed": "Gửi thông báo thất bại",
}
ROLES = {
    "unit": "Đơn vị",
    "reviewer": "Cán bộ thẩm định",
    "approver": "Người có thẩm quyền quyết định",
    "auditor": "Kiểm tra, giám sát",
    "admin": "Quản trị",
}


def label(table: dict, code) -> str:
    """The Vietnamese word for a code, or the code itself when it has none."""
    return table.get(code, code or "")


# Why a case of a batch decision was not recorded (by the review API's status code).
BATCH_REFUSALS = {
    403: "Không được quyết định hồ sơ này (nguyên tắc bốn mắt hoặc ngoài thẩm quyền)",
    404: "Không tìm thấy hồ sơ",
    409: "Hồ sơ đã thay đổi từ khi bạn mở trang (đã có quyết định hoặc vừa được cập nhật)",
    422: "Hồ sơ chưa ở bước chờ quyết định hoặc chưa được kiến nghị đạt",
}
