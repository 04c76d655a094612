"""Reads a directory CSV (UTF-8, BOM accepted) into rows checked against the unit schema."""

from __future__ import annotations

import csv
import io

from marshmallow import ValidationError

from services.registration.domain.errors import Invalid
from services.registration.entrypoints.schemas import UnitIn

TRUE, FALSE = {"true", "1", "yes", "có", "co", "x"}, {"false", "0", "no", "không", "khong", ""}
BOOLEANS = ("has_party_organization", "armed_forces", "demo")
REQUIRED_COLUMNS = {"name", "unit_type", "commune_code", "managing_level", "contact_email"}


def parse(raw: io.BufferedIOBase) -> list[tuple[int, str | None, dict, dict]]:
    """(row number as a spreadsheet shows it, unit_id, fields, problems) per data row."""
    try:
        text = raw.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(
            "Tệp CSV phải mã hóa UTF-8 (Excel: Lưu thành 'CSV UTF-8').",
            {"file": ["Không đọc được dưới dạng UTF-8."]},
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
    if missing:
        raise Invalid(
            "Tệp CSV thiếu cột bắt buộc.", {"file": [f"Thiếu cột: {', '.join(sorted(missing))}."]}
        )
    rows = [_row(number, raw_row) for number, raw_row in enumerate(reader, start=2)]
    if not rows:
        raise Invalid("Tệp CSV không có dòng dữ liệu nào.", {"file": ["Không có dòng nào."]})
    return rows


def _row(number: int, raw: dict):
    cleaned = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
    data, problems = {}, {}
    for key, value in cleaned.items():
        if key in BOOLEANS:
            if value.lower() in TRUE | FALSE:
                if value or key == "has_party_organization":
                    data[key] = value.lower() in TRUE
            else:
                problems[key] = ["Phải là true/false (hoặc có/không)."]
        elif value:
            data[key] = value
    try:
        fields = UnitIn().load(data)
    except ValidationError as err:
        return number, data.get("unit_id"), {}, problems | err.messages_dict
    if problems:
        return number, data.get("unit_id"), {}, problems
    return number, fields.pop("unit_id", None), fields, {}
