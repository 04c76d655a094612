"""Vietnamese labels of the report's wire values, shared by the CSV and XLSX exports."""

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
REASONS = {
    "never_registered": "Không đăng ký",
    "no_dossier": "Không nộp hồ sơ",
    "criteria_failed": "Không đạt tiêu chí",
    "annulled": "Bị hủy quyết định",
}
DECISIONS = {"recognized": "Công nhận", "not_recognized": "Không công nhận"}
# The provincial summary's columns: count key → heading.
SUMMARY_COLUMNS = {
    "listed": "Tổng số đơn vị",
    "registered": "Đăng ký",
    "registered_pct": "Tỷ lệ đăng ký (%)",
    "dossiers_filed": "Nộp hồ sơ",
    "returned": "Bị trả lại hồ sơ",
    "recommended_achieved": "Đề nghị đạt",
    "recommended_not_achieved": "Đề nghị chưa đạt",
    "recognized": "Được công nhận",
    "recognized_pct": "Tỷ lệ được công nhận (%)",
    "not_recognized": "Không được công nhận",
    "never_registered": "Lý do: không đăng ký",
    "no_dossier": "Lý do: không nộp hồ sơ",
    "criteria_failed": "Lý do: không đạt tiêu chí",
    "annulled": "Lý do: bị hủy",
    "not_recognized_pct": "Tỷ lệ không được công nhận (%)",
    "in_progress": "Đang xem xét",
}
CW4_COLUMNS = {
    "managed": "CW-4: số đơn vị thuộc quyền quản lý",
    "registered_ratio": "CW-4: đã đăng ký",
    "recognized_ratio": "CW-4: được công nhận",
    "recognized_pct": "CW-4: tỷ lệ được công nhận (%)",
    "meets": "CW-4: đạt (≥70% và 100% đăng ký)",
}
UNIT_HEADINGS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại hình",
    "Mã xã/phường",
    "Trạng thái",
    "Số quyết định",
    "Lý do không được công nhận",
    "Tiêu chí không đạt",
]
DECISION_HEADINGS = [
    "Ngày quyết định",
    "Số quyết định",
    "Mã đơn vị",
    "Tên đơn vị",
    "Quyết định",
    "Người ký",
    "Bị hủy",
    "Lý do hủy",
]


def yes_no(value) -> str:
    return "" if value is None else ("Có" if value else "Không")


def unit_line(unit: dict) -> list:
    return [
        unit["unit_id"],
        unit["name"],
        UNIT_TYPES.get(unit["unit_type"], unit["unit_type"]),
        unit["commune_code"],
        STATUSES.get(unit["status"], unit["status"]),
        unit["decision_number"] or "",
        REASONS.get(unit["not_recognized_reason"], "") if unit["not_recognized_reason"] else "",
        ", ".join(unit["failing_criteria"]),
    ]


def decision_line(d: dict) -> list:
    return [
        d["decided_on"],
        d["decision_number"],
        d["unit_id"],
        d["name"],
        DECISIONS.get(d["decision"], d["decision"]),
        d["signer"] or "",
        yes_no(d["annulled"]),
        d["annul_reason"] or "",
    ]


def summary_line(counts: dict) -> list:
    return [counts[k] for k in SUMMARY_COLUMNS]


def cw4_line(cw4: dict) -> list:
    return [yes_no(cw4[k]) if k == "meets" else cw4[k] for k in CW4_COLUMNS]


def manifest_lines(manifest: dict) -> list[list]:
    """The manifest as (key, value) lines; nested values as canonical JSON."""
    import json

    return [
        [
            key,
            value
            if isinstance(value, str | int) or value is None
            else json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        ]
        for key, value in manifest.items()
    ]
