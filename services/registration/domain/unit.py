"""The unit directory: who may strive for the standard (Art. 1) and where each unit belongs."""

from __future__ import annotations

from services.registration.domain.errors import Invalid, UnitNotEligible
from shared.events.registration import UnitAdded, UnitUpdated

TYPE_FIELDS = ("enterprise_size", "school_level", "armed_forces")


def add_unit(unit_id: str, fields: dict, jurisdiction: str, rules: dict, communes: set[str]):
    """Validate a directory entry against the eligibility rules; return UnitAdded."""
    entry = _checked(fields, rules, communes, unit_id)
    if fields["unit_type"] == "commune" and fields["commune_code"] in communes:
        raise Invalid("Mã xã/phường đã tồn tại.", {"commune_code": ["Mã đã được dùng."]})
    return [UnitAdded(unit_id=unit_id, jurisdiction=jurisdiction, **entry)]


def update_unit(current: UnitAdded, fields: dict, rules: dict, communes: set[str]):
    merged = {k: getattr(current, k) for k in _ENTRY_FIELDS} | fields
    entry = _checked(merged, rules, communes | {current.commune_code}, current.unit_id)
    return [UnitUpdated(unit_id=current.unit_id, jurisdiction=current.jurisdiction, **entry)]


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


def _checked(fields: dict, rules: dict, communes: set[str], unit_id: str) -> dict:
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
        problems["commune_code"] = ["Phải là mã của một xã/phường đã có trong danh bạ."]
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
