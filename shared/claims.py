"""Where a token carries antt's claims (configurable dotted paths) and the Principal they give."""

from __future__ import annotations

from dataclasses import dataclass

from shared.principal import ROLES, Principal, Unauthenticated


@dataclass(frozen=True)
class ClaimPaths:
    """Where a token carries antt's claims: dotted paths into its payload. A path may end at a
    list (Keycloak's `realm_access.roles`): the role is then the one antt role in it."""

    role: str = "role"
    unit_id: str = "unit_id"
    jurisdiction: str = "jurisdiction"
    name: str = "name"


def principal_of(claims: dict, paths: ClaimPaths) -> Principal:
    role = _role(_at(claims, paths.role))
    unit_id = _single(_at(claims, paths.unit_id))
    jurisdiction = _single(_at(claims, paths.jurisdiction))
    if role == "unit" and not unit_id:
        raise Unauthenticated(f"token của đơn vị phải có unit_id ({paths.unit_id})")
    if role != "unit" and not jurisdiction:
        raise Unauthenticated(f"token phải có jurisdiction ({paths.jurisdiction})")
    name = _single(_at(claims, paths.name))
    return Principal(str(claims["sub"]), role, unit_id, jurisdiction, name)


def _at(claims: dict, path: str):
    """The value at a dotted path (`realm_access.roles`), or None."""
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _role(value) -> str:
    """The antt role: the claim itself, or the one antt role in a list of roles."""
    found = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    roles = [r for r in found if r in ROLES]
    if len(roles) != 1:
        problem = "thiếu vai trò (role) hợp lệ" if not roles else "mang nhiều vai trò antt"
        raise Unauthenticated(
            f"token {problem}; cần đúng một trong: {', '.join(ROLES)}. "
            "Hãy nhờ quản trị cấp vai trò cho tài khoản."
        )
    return roles[0]


def _single(value) -> str | None:
    """A string claim; a one-element list (a multi-valued user attribute) counts as its value."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and value.strip():
        return value
    return None
