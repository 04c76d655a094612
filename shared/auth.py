"""Bearer JWTs of CONTRACT.md: decoding into a Principal, minting for local use, scope checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from shared.config import DEFAULT_JWT_AUDIENCE, DEV_JWT_ISSUER

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


@dataclass(frozen=True)
class TokenCheck:
    """How a bearer token is verified: the key, its algorithms, and the `iss` and `aud` it must
    carry. An OpenID Connect provider's JWKS (a key per `kid`) will slot in as another key."""

    key: str
    algorithms: tuple[str, ...]
    issuer: str = DEV_JWT_ISSUER
    audience: str = DEFAULT_JWT_AUDIENCE

    @classmethod
    def of(cls, settings) -> TokenCheck:
        key, algorithms = (
            (settings.jwt_public_key, ("RS256", "ES256"))
            if settings.jwt_public_key
            else (settings.jwt_secret, ("HS256",))
        )
        return cls(key, algorithms, settings.jwt_issuer, settings.jwt_audience)


def decode_token(token: str, check: TokenCheck) -> Principal:
    return _principal(_verified_claims(token, check))


_REQUIRED = ["exp", "sub", "iss", "aud"]


def _verified_claims(token: str, check: TokenCheck) -> dict:
    try:
        return jwt.decode(
            token,
            check.key,
            algorithms=list(check.algorithms),
            issuer=check.issuer,
            audience=check.audience,
            options={"require": _REQUIRED},
        )
    except jwt.InvalidIssuerError:
        raise Unauthenticated(
            f"token do nơi khác cấp (iss); hệ thống chỉ nhận token do {check.issuer} cấp."
        ) from None
    except jwt.InvalidAudienceError:
        raise Unauthenticated(
            f"token không dành cho hệ thống này (aud); cần token có aud {check.audience}."
        ) from None
    except jwt.MissingRequiredClaimError as err:
        raise Unauthenticated(
            f"token thiếu trường bắt buộc {err.claim}; hãy đăng nhập lại."
        ) from None
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("token đã hết hạn; hãy đăng nhập lại.") from None
    except jwt.PyJWTError as err:
        raise Unauthenticated(f"token không hợp lệ: {err}") from None


def _principal(claims: dict) -> Principal:
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
    issuer: str = DEV_JWT_ISSUER,
    audience: str = DEFAULT_JWT_AUDIENCE,
) -> str:
    """An HS256 token for development and tests, issued by `issuer` for `audience`."""
    claims = {
        "sub": sub or f"{role}-{uuid.uuid4().hex[:8]}",
        "role": role,
        "exp": datetime.now(UTC) + ttl,
        "iss": issuer,
        "aud": audience,
    }
    if unit_id:
        claims["unit_id"] = unit_id
    if jurisdiction:
        claims["jurisdiction"] = jurisdiction
    return jwt.encode(claims, secret, algorithm="HS256")


def may_see(
    who: Principal, unit_id: str, unit_jurisdiction: str | None, tree, commune_code=None
) -> bool:
    """The one rule of reach, for every service: a unit user sees only its own unit; an official
    the units within their jurisdiction (`Jurisdictions.reaches`, commune-level scopes too)."""
    if who.role == "unit":
        return who.unit_id == unit_id
    return tree.reaches(who.jurisdiction, unit_jurisdiction, commune_code)


def ensure_may_see(
    who: Principal, unit_id: str, unit_jurisdiction: str | None, tree, commune_code=None
) -> None:
    """`may_see`, or Forbidden (403) saying why."""
    if may_see(who, unit_id, unit_jurisdiction, tree, commune_code):
        return
    if who.role == "unit":
        raise Forbidden("Tài khoản đơn vị chỉ được truy cập hồ sơ của chính đơn vị mình.")
    raise Forbidden(f"Đơn vị {unit_id} nằm ngoài địa bàn ({who.jurisdiction}) của bạn.")
