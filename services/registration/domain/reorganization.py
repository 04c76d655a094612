"""Reorganisations of administrative units (merges, renames) as events: checked, then recorded.

A merged or renamed commune is a new directory unit (type `commune`, managed by the province:
there are no districts after 1/7/2025) whose history names its predecessors; the units of the old
communes keep their identity and are placed under the new one by every service's fold.
"""

from __future__ import annotations

from services.registration.domain.errors import Invalid
from shared.events.registration import AdministrativeUnitsReorganized, UnitAdded, UnitChange

KINDS = ("merge", "rename")


def reorganize(
    reorganization_id: str,
    body: dict,
    province: str,
    known_codes: frozenset[str],
    taken_ids: frozenset[str],
    in_use: frozenset[str] = frozenset(),
) -> list:
    """`known_codes`: every commune code the directory or the configured tree knows (old ones
    included); `taken_ids`: unit ids in use; `in_use`: the directory's commune codes (a new code
    must be none of them). Returns the event and a directory entry for each new commune."""
    changes = [_change(i, c) for i, c in enumerate(body["changes"])]
    problems: dict = {}
    seen_from: set = set()
    targets = [c.to for c in changes]
    for i, change in enumerate(changes):
        field = f"changes.{i}"
        unknown = [code for code in change.from_codes if code not in known_codes]
        if unknown:
            problems[field] = [f"Mã chưa có trong danh bạ: {', '.join(unknown)}."]
        twice = seen_from & set(change.from_codes)
        if twice:
            problems[field] = [f"Mã đã có ở thay đổi khác: {', '.join(sorted(twice))}."]
        seen_from |= set(change.from_codes)
        new_code = change.to not in change.from_codes
        if new_code and (change.to in in_use or change.to in taken_ids):
            problems[field] = [f"Mã mới {change.to} đã được dùng; chọn mã khác."]
        if targets.count(change.to) > 1:
            problems[field] = [f"Mã mới {change.to} xuất hiện ở nhiều thay đổi."]
        if change.kind == "rename" and len(change.from_codes) != 1:
            problems[field] = ["Đổi tên (rename) chỉ từ đúng một mã cũ; gộp nhiều mã là merge."]
    if problems:
        raise Invalid("Phương án sắp xếp đơn vị hành chính chưa hợp lệ.", problems)
    event = AdministrativeUnitsReorganized(
        reorganization_id,
        body["effective_on"],
        body["legal_basis"].strip(),
        tuple(changes),
        province,
        bool(body.get("demo", False)),
    )
    emails = _emails(body["changes"])
    return [event, *_new_communes(changes, province, taken_ids, event.demo, emails)]


def _change(i: int, raw: dict) -> UnitChange:
    codes = tuple(raw.get("from_codes") or raw.get("from") or ())
    if not codes or raw.get("kind") not in KINDS:
        raise Invalid(
            "Mỗi thay đổi cần ít nhất một mã cũ và kind là merge hoặc rename.",
            {f"changes.{i}": ["from: danh sách mã cũ; kind: merge | rename."]},
        )
    return UnitChange(codes, raw["to"], raw["name"], raw["kind"])


def _emails(raw_changes) -> dict:
    return {c["to"]: c.get("contact_email") or "" for c in raw_changes}


def _new_communes(changes, province: str, taken_ids, demo: bool, emails) -> list[UnitAdded]:
    return [
        UnitAdded(
            unit_id=c.to,
            name=c.name,
            unit_type="commune",
            commune_code=c.to,
            managing_level="province",
            has_party_organization=True,
            contact_email=emails.get(c.to, ""),
            jurisdiction=province,
            demo=demo,
        )
        for c in changes
        if c.to not in taken_ids
    ]
