"""Who recognises a unit (Art. 10 of Circular 124) on a date: one function over dated data files.

The tables are `shared/rules/authority.*.json` (one per period, compared by date, not year: the
three-tier table ends 2025-06-30, the two-tier one starts 2025-07-01). A province replaces a
table by its own file (`ANTT_AUTHORITY_FILE`, a file or a folder of them): a table of its own
with the same `effective_from` takes the packaged one's place. Review (who may decide) and
notification (who is asked to decide) both call `authority_for`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from shared.errors import Conflict

UNVERIFIED_NOTE = "thẩm quyền theo cấu hình chưa được đối chiếu văn bản"


class NoAuthority(Conflict):
    """No table is in force on the date, or the table in force names nobody for this unit."""


@dataclass(frozen=True)
class Rule:
    unit_types: frozenset[str]
    managing_levels: frozenset[str]
    authority: str
    verified: bool
    source: str


@dataclass(frozen=True)
class AuthorityTable:
    version: str
    rules: tuple[Rule, ...]
    level_names: dict
    effective_from: date | None = None
    effective_to: date | None = None

    def in_force_on(self, day: date) -> bool:
        starts = self.effective_from is None or self.effective_from <= day
        return starts and (self.effective_to is None or day <= self.effective_to)

    def rule_for(self, unit_type: str, managing_level: str) -> Rule:
        for rule in self.rules:
            if unit_type in rule.unit_types and managing_level in rule.managing_levels:
                return rule
        raise NoAuthority(
            f"Bảng thẩm quyền {self.version} không quy định ai công nhận đơn vị loại {unit_type} "
            f"do cấp {managing_level} quản lý."
        )


@dataclass(frozen=True)
class Authority:
    """The People's Committee that decides: its level, its administrative-unit code, whether the
    rule naming it was checked against the text of the law, and where the rule comes from."""

    level: str
    code: str | None
    name: str
    verified: bool = True
    source: str = ""
    version: str = ""

    @property
    def note(self) -> str | None:
        """The sentence every screen and mail shows when the rule is configuration only."""
        return None if self.verified else UNVERIFIED_NOTE


def table_from(data: dict) -> AuthorityTable:
    rules = tuple(
        Rule(
            frozenset(r["unit_types"]),
            frozenset(r["managing_levels"]),
            r["authority"],
            bool(r.get("verified", False)),
            str(r.get("source", "")),
        )
        for r in data["rules"]
    )
    return AuthorityTable(
        data["version"],
        rules,
        dict(data.get("levels", {})),
        _date(data.get("effective_from")),
        _date(data.get("effective_to")),
    )


@cache
def load_tables(override: str | None = None) -> tuple[AuthorityTable, ...]:
    """The packaged tables, each replaced by a province's table with the same start date."""
    folder = resources.files("shared.rules")
    packaged = [f for f in folder.iterdir() if _is_table(f.name)]
    tables = {t.effective_from: t for t in (table_from(_json(f)) for f in packaged)}
    if override:
        path = Path(override)
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        tables |= {t.effective_from: t for t in (table_from(_json(f)) for f in files)}
    return tuple(sorted(tables.values(), key=lambda t: t.effective_from or date.min))


def table_on(day: date, tables=None) -> AuthorityTable:
    candidates = [t for t in (tables or load_tables()) if t.in_force_on(day)]
    if not candidates:
        raise NoAuthority(f"Chưa có bảng thẩm quyền công nhận có hiệu lực ngày {day:%d/%m/%Y}.")
    return max(candidates, key=lambda t: t.effective_from or date.min)


def authority_for(
    unit_type: str, managing_level: str, on: date, places: dict, tables=None
) -> Authority:
    """The authority that recognises a unit on `on`; `places` maps a level (commune, district,
    province) to the administrative unit the unit lies in on that date
    (`Jurisdictions.places`)."""
    table = table_on(on, tables)
    rule = table.rule_for(unit_type, managing_level)
    return Authority(
        rule.authority,
        places.get(rule.authority),
        table.level_names.get(rule.authority, rule.authority),
        rule.verified,
        rule.source,
        table.version,
    )


def _is_table(name: str) -> bool:
    return name.startswith("authority.") and name.endswith(".json")


def _json(entry) -> dict:
    return json.loads(entry.read_text("utf-8"))


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
