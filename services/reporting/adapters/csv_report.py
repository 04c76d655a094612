"""The report as CSV for people: one row per unit, then the totals, in Vietnamese."""

from __future__ import annotations

import csv
import io

UNIT_TYPES = {
    "residential_area": "Khu dân cư",
    "commune": "Xã, phường, thị trấn",
    "agency": "Cơ quan",
    "enterprise": "Doanh nghiệp",
    "school": "Cơ sở giáo dục",
}
STATUSES = {
    "not_registered": "Chưa đăng ký",
    "registered": "Đã đăng ký",
    "dossier_submitted": "Đã nộp hồ sơ",
    "returned": "Hồ sơ bị trả lại",
    "recommended": "Đã có đề nghị",
    "recognized": "Được công nhận",
    "not_recognized": "Không được công nhận",
    "annulled": "Bị hủy công nhận",
}
UNIT_HEADINGS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại hình",
    "Mã xã/phường",
    "Trạng thái",
    "Số quyết định",
]
TOTAL_LABELS = {
    "listed": "Tổng số đơn vị",
    "registered": "Đã đăng ký",
    "dossiers_filed": "Đã nộp hồ sơ",
    "returned": "Có hồ sơ bị trả lại",
    "recommended_achieved": "Đề nghị đạt",
    "recommended_not_achieved": "Đề nghị chưa đạt",
    "recognized": "Được công nhận",
    "not_recognized": "Không được công nhận",
    "annulled": "Bị hủy công nhận",
    "registered_pct": "Tỷ lệ đăng ký (%)",
    "recognized_pct": "Tỷ lệ được công nhận (%)",
}


def _unit_line(unit: dict) -> list[str]:
    return [
        unit["unit_id"],
        unit["name"],
        UNIT_TYPES.get(unit["unit_type"], unit["unit_type"]),
        unit["commune_code"],
        STATUSES.get(unit["status"], unit["status"]),
        unit["decision_number"] or "",
    ]


def render_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f"Báo cáo kết quả ANTT năm {report['year']}", report["jurisdiction"]])
    writer.writerow(["Tính đến thời điểm (UTC)", report["as_of"]])
    writer.writerow(UNIT_HEADINGS)
    writer.writerows(_unit_line(u) for u in report["units"])
    writer.writerow([])
    writer.writerow(["Tổng hợp", "Số lượng"])
    writer.writerows([label, report["totals"][key]] for key, label in TOTAL_LABELS.items())
    return out.getvalue()
