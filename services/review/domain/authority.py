"""Who recognises a unit (Art. 10): the authority matrix as effective-dated data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.review.domain.errors import NoAuthority, NotAllowed


@dataclass(frozen=True)
class Rule:
    unit_types: frozenset[str]
    managing_levels: frozenset[str]
    authority: str


@dataclass(frozen=True)
class AuthorityMatrix:
    version: str
    rules: tuple[Rule, ...]
    level_names: dict
    effective_from: date | None = None
    effective_to: date | None = None

    def level_for(self, unit_type: str, managing_level: str) -> str:
        for rule in self.rules:
            if unit_type in rule.unit_types and managing_level in rule.managing_levels:
                return rule.authority
        raise NoAuthority(
            f"Bảng thẩm quyền {self.version} không quy định ai công nhận đơn vị loại {unit_type} "
            f"do cấp {managing_level} quản lý."
        )

    def in_force_during(self, year: int) -> bool:
        starts = self.effective_from is None or self.effective_from.year <= year
        return starts and (self.effective_to is None or self.effective_to.year >= year)


@dataclass(frozen=True)
class Authority:
    """The People's Committee that decides: its level and its administrative-unit code."""

    level: str
    code: str | None
    name: str


def matrix_from(data: dict) -> AuthorityMatrix:
    rules = tuple(
        Rule(frozenset(r["unit_types"]), frozenset(r["managing_levels"]), r["authority"])
        for r in data["rules"]
    )
    return AuthorityMatrix(
        data["version"],
        rules,
        dict(data.get("levels", {})),
        _date(data.get("effective_from")),
        _date(data.get("effective_to")),
    )


def matrix_in_force(matrices: list[AuthorityMatrix], year: int) -> AuthorityMatrix:
    candidates = [m for m in matrices if m.in_force_during(year)]
    if not candidates:
        raise NoAuthority(f"Chưa có bảng thẩm quyền công nhận cho năm {year}.")
    return max(candidates, key=lambda m: m.effective_from or date.min)


def authority_for(matrix: AuthorityMatrix, unit_type: str, managing_level: str, places: dict):
    """`places` maps a level (commune, district, province) to the unit's administrative unit."""
    level = matrix.level_for(unit_type, managing_level)
    return Authority(level, places.get(level), matrix.level_names.get(level, level))


def ensure_is_authority(jurisdiction: str | None, authority: Authority) -> None:
    if authority.code is None:
        raise NoAuthority(f"Không xác định được {authority.name} có thẩm quyền với đơn vị này.")
    if jurisdiction != authority.code:
        raise NotAllowed(
            f"Đơn vị này do {authority.name} ({authority.code}) công nhận; tài khoản của bạn "
            f"thuộc {jurisdiction}.",
            {"jurisdiction": [f"Cần người phê duyệt của {authority.code}."]},
        )


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
