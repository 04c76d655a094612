"""Bearer JWTs of CONTRACT.md: decoding into a Principal, minting for local use, scope checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

ROLES = ("unit", "reviewer", "approver", "auditor", "admin")


class Unauthenticated(Exception):
    """No token, or a token that is malformed, badly signed or expired (401)."""


class Forbidden(Exception):
    """A valid token that may not do this, here (403)."""


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    unit_id: str | None = None
    jurisdiction: str | None = None

    @property
    def actor(self) -> dict:
        return {"sub": self.sub, "role": self.role}


def decode_token(token: str, secret: str, public_key: str | None = None) -> Principal:
    key, algorithms = (public_key, ["RS256"]) if public_key else (secret, ["HS256"])
    try:
        claims = jwt.decode(token, key, algorithms=algorithms, options={"require": ["exp", "sub"]})
    except jwt.PyJWTError as err:
        raise Unauthenticated(f"token không hợp lệ: {err}") from None
    role = claims.get("role")
    if role not in ROLES:
        raise Unauthenticated("token thiếu vai trò (role) hợp lệ")
    if role == "unit" and not claims.get("unit_id"):
        raise Unauthenticated("token của đơn vị phải có unit_id")
    if role != "unit" and not claims.get("jurisdiction"):
        raise Unauthenticated("token phải có jurisdiction")
    return Principal(str(claims["sub"]), role, claims.get("unit_id"), claims.get("jurisdiction"))


def mint_token(
    secret: str,
    role: str,
    sub: str | None = None,
    unit_id: str | None = None,
    jurisdiction: str | None = None,
    ttl: timedelta = timedelta(hours=12),
) -> str:
    claims = {
        "sub": sub or f"{role}-{uuid.uuid4().hex[:8]}",
        "role": role,
        "exp": datetime.now(UTC) + ttl,
    }
    if unit_id:
        claims["unit_id"] = unit_id
    if jurisdiction:
        claims["jurisdiction"] = jurisdiction
    return jwt.encode(claims, secret, algorithm="HS256")


def ensure_may_see(who: Principal, unit_id: str, unit_jurisdiction: str | None, tree) -> None:
    """A unit user sees only its own unit; everyone else only inside their jurisdiction."""
    if who.role == "unit":
        if who.unit_id != unit_id:
            raise Forbidden("Tài khoản đơn vị chỉ được truy cập hồ sơ của chính đơn vị mình.")
    elif not tree.covers(who.jurisdiction, unit_jurisdiction):
        raise Forbidden("Đơn vị này nằm ngoài địa bàn (jurisdiction) của bạn.")
