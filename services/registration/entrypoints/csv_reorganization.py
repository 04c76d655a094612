"""Reads a reorganisation CSV (UTF-8, BOM accepted): one change per row, one date and basis."""

from __future__ import annotations

import csv
import io

from marshmallow import ValidationError

from services.registration.domain.errors import Invalid
from services.registration.entrypoints.schemas import ReorganizationIn

COLUMNS = {"effective_on", "legal_basis", "from", "to", "name", "kind"}
MAX_ROWS = 200


def parse(raw: io.BufferedIOBase) -> dict:
    """The body of `POST /reorganizations` the file describes; old codes in `from` are
    separated by `;` (e.g. `vinh-hoa;vinh-hai`)."""
    try:
        text = raw.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(
            "Tệp CSV phải mã hóa UTF-8 (Excel: Lưu thành 'CSV UTF-8').",
            {"file": ["Không đọc được dưới dạng UTF-8."]},
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = COLUMNS - set(reader.fieldnames or [])
    if missing:
        raise Invalid(
            "Tệp CSV thiếu cột bắt buộc.", {"file": [f"Thiếu cột: {', '.join(sorted(missing))}."]}
        )
    rows = [{k.strip(): (v or "").strip() for k, v in r.items() if k} for r in reader]
    if not rows or len(rows) > MAX_ROWS:
        raise Invalid(
            "Tệp CSV cần từ 1 đến 200 dòng thay đổi.", {"file": ["Số dòng không hợp lệ."]}
        )
    heads = {(r["effective_on"], r["legal_basis"]) for r in rows}
    if len(heads) != 1:
        raise Invalid(
            "Mọi dòng của một phương án phải cùng ngày hiệu lực và cùng căn cứ pháp lý.",
            {"file": ["Tách mỗi phương án (ngày, nghị quyết) thành một tệp."]},
        )
    [(effective_on, legal_basis)] = heads
    changes = [_change(r) for r in rows]
    body = {"effective_on": effective_on, "legal_basis": legal_basis, "changes": changes}
    try:
        return ReorganizationIn().load(body)
    except ValidationError as err:
        raise Invalid("Tệp CSV có giá trị chưa hợp lệ.", _flat(err.messages)) from None


def _change(row: dict) -> dict:
    change = {
        "from": [c.strip() for c in row["from"].split(";") if c.strip()],
        "to": row["to"],
        "name": row["name"],
        "kind": row["kind"],
    }
    if row.get("contact_email"):
        change["contact_email"] = row["contact_email"]
    return change


def _flat(messages, prefix: str = "") -> dict:
    out: dict = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out |= _flat(value, f"{name}.")
        else:
            out[name] = [str(v) for v in value]
    return out
