"""The unit directory: who may strive for the standard (Art. 1) and where each unit belongs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.registration.domain.errors import DuplicateUnit, Invalid, UnitNotEligible
from shared.errors import DomainError
from shared.events.registration import UnitAdded, UnitUpdated

TYPE_FIELDS = ("enterprise_size", "school_level", "armed_forces")


@dataclass(frozen=True)
class Directory:
    """What the rules need to know of the directory: ids taken, commune codes (all / in scope)."""

    unit_ids: frozenset[str] = frozenset()
    all_communes: frozenset[str] = frozenset()
    communes_in_scope: frozenset[str] = frozenset()

    def with_unit(self, event: UnitAdded) -> Directory:
        new = {event.commune_code} if event.unit_type == "commune" else set()
        return Directory(
            self.unit_ids | {event.unit_id},
            self.all_communes | new,
            self.communes_in_scope | new,
        )


def add_unit(
    unit_id: str,
    fields: dict,
    jurisdiction: str,
    rules: dict,
    directory: Directory,
    on: date | None = None,
):
    """Validate a directory entry against the eligibility rules in force on `on` (the day it is
    added); return UnitAdded."""
    if fields["unit_type"] == "commune" and fields["commune_code"] in directory.all_communes:
        raise Invalid("Mã xã/phường đã tồn tại.", {"commune_code": ["Mã đã được dùng."]})
    if unit_id in directory.unit_ids:
        raise DuplicateUnit(
            f"Đã có đơn vị mã {unit_id} trong danh bạ.", {"unit_id": ["Mã đã được dùng."]}
        )
    entry = _checked(fields, rules, directory.communes_in_scope)
    _refuse_gone_level(fields, rules, on)
    return [UnitAdded(unit_id=unit_id, jurisdiction=jurisdiction, **entry)]


def managing_levels_on(rules: dict, on: date | None) -> list[str]:
    """The managing levels a new unit may have on `on` (no district from 1/7/2025)."""
    levels = rules["managing_levels"]
    for change in sorted(
        rules.get("managing_levels_by_date", []), key=lambda c: c["effective_from"]
    ):
        if on is not None and date.fromisoformat(change["effective_from"]) <= on:
            levels = change["levels"]
    return levels


def _refuse_gone_level(fields: dict, rules: dict, on: date | None) -> None:
    level, allowed = fields.get("managing_level"), managing_levels_on(rules, on)
    if level in rules["managing_levels"] and level not in allowed:
        raise Invalid(
            f"Từ 01/07/2025 không còn cấp huyện: đơn vị thêm ngày {on:%d/%m/%Y} không thể do cấp "
            f"{level} quản lý; chọn {' hoặc '.join(allowed)} (xã hoặc tỉnh).",
            {"managing_level": [f"Giá trị phải là một trong: {', '.join(allowed)}."]},
        )


def update_unit(current: UnitAdded, fields: dict, rules: dict, directory: Directory):
    """Change a directory entry; the eligibility rules apply again to the result."""
    merged = {k: getattr(current, k) for k in _ENTRY_FIELDS} | fields
    was_commune = current.unit_type == "commune"
    if was_commune and merged["commune_code"] != current.commune_code:
        raise Invalid(
            "Không đổi được mã của xã/phường: các đơn vị trực thuộc đang dùng mã này.",
            {"commune_code": ["Mã xã/phường là cố định."]},
        )
    becomes_commune = merged["unit_type"] == "commune" and not was_commune
    if becomes_commune and merged["commune_code"] in directory.all_communes:
        raise Invalid("Mã xã/phường đã tồn tại.", {"commune_code": ["Mã đã được dùng."]})
    entry = _checked(merged, rules, directory.communes_in_scope | {current.commune_code})
    if entry == {k: getattr(current, k) for k in entry}:
        return []
    return [UnitUpdated(unit_id=current.unit_id, jurisdiction=current.jurisdiction, **entry)]


def plan_import(rows, jurisdiction: str, rules: dict, directory: Directory, on=None):
    """Check every row as if the rows before it were added; (accepted, rejected) per row."""
    accepted, rejected = [], []
    for number, unit_id, fields, problems in rows:
        if problems:
            rejected.append((number, "Dòng chưa hợp lệ.", problems))
            continue
        try:
            [event] = add_unit(unit_id, fields, jurisdiction, rules, directory, on)
        except DomainError as err:
            rejected.append((number, err.message, err.errors))
            continue
        accepted.append((number, event))
        directory = directory.with_unit(event)
    return accepted, rejected


_ENTRY_FIELDS = (
    "name",
    "unit_type",
    "commune_code",
    "managing_level",
    "has_party_organization",
    "contact_email",
    *TYPE_FIELDS,
    "demo",
)


def _checked(fields: dict, rules: dict, communes) -> dict:
    unit_type = fields["unit_type"]
    problems = {}
    if unit_type not in rules["unit_types"]:
        problems["unit_type"] = [
            f"Loại đơn vị phải là một trong: {', '.join(rules['unit_types'])}."
        ]
    if fields["managing_level"] not in rules["managing_levels"]:
        problems["managing_level"] = ["Cấp quản lý phải là commune, district hoặc province."]
    for name in rules["required_fields"].get(unit_type, []):
        if fields.get(name) is None:
            problems[name] = ["Bắt buộc với loại đơn vị này."]
    for name, allowed in rules["vocabularies"].items():
        if fields.get(name) is not None and fields[name] not in allowed:
            problems[name] = [f"Giá trị phải là một trong: {', '.join(allowed)}."]
    if unit_type != "commune" and fields["commune_code"] not in communes:
        problems["commune_code"] = [
            "Phải là mã của một xã/phường đã có trong danh bạ thuộc địa bàn của bạn."
        ]
    if problems:
        raise Invalid("Thông tin đơn vị chưa hợp lệ.", problems)
    _refuse_excluded(fields, rules)
    keep = {k: fields.get(k) for k in _ENTRY_FIELDS if k not in TYPE_FIELDS and k != "demo"}
    typed = {k: fields.get(k) for k in rules["required_fields"].get(unit_type, [])}
    return keep | typed | {"demo": bool(fields.get("demo", False))}


def _refuse_excluded(fields: dict, rules: dict) -> None:
    for rule in rules["exclusions"]:
        if fields["unit_type"] == rule["unit_type"] and fields.get(rule["field"]) in rule["values"]:
            raise UnitNotEligible(rule["rule"], {rule["field"]: [rule["rule"]]})


def fold(events) -> UnitAdded | None:
    state = None
    for e in events:
        state = e
    return state
