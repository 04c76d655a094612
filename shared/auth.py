"""Bearer JWTs of CONTRACT.md: decoding into a Principal, minting for local use, scope checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import jwt

from shared.claims import ClaimPaths, principal_of
from shared.config import DEFAULT_JWT_AUDIENCE, DEV_JWT_ISSUER
from shared.oidc import ProviderKeys, ProviderUnavailable
from shared.principal import ROLES, Forbidden, Principal, Unauthenticated

ASYMMETRIC = ("RS256", "ES256")

# Who is calling and why a call is refused are defined beside (principal.py, claims.py,
# oidc.py) and imported from here.
__all__ = [
    "ROLES",
    "ClaimPaths",
    "Forbidden",
    "Principal",
    "ProviderUnavailable",
    "TokenCheck",
    "Unauthenticated",
    "decode_token",
    "ensure_may_see",
    "may_see",
    "mint_token",
]


@dataclass(frozen=True)
class TokenCheck:
    """How a bearer token is verified: a static key (the HS256 secret, or a PEM public key) with
    its algorithms, issuer and audience; and/or an OpenID Connect provider whose JWKS verifies
    RS256/ES256 tokens it issued. A token goes to the one its `alg` (and `iss`) names."""

    key: str | None
    algorithms: tuple[str, ...]
    issuer: str = DEV_JWT_ISSUER
    audience: str = DEFAULT_JWT_AUDIENCE
    provider: ProviderKeys | None = None
    claims: ClaimPaths = field(default_factory=ClaimPaths)
    leeway_s: float = 30

    @classmethod
    def of(cls, settings) -> TokenCheck:
        """Build once per process (it caches the provider's keys)."""
        if settings.jwt_public_key:
            key, algorithms = settings.jwt_public_key, ASYMMETRIC
        elif settings.environment != "production" or settings.jwt_allow_hs256:
            key, algorithms = settings.jwt_secret, ("HS256",)
        else:
            key, algorithms = None, ()
        provider = None
        if settings.oidc_issuer:
            provider = ProviderKeys(
                settings.oidc_issuer,
                settings.oidc_jwks_refresh_s,
                discovery_url=settings.oidc_discovery_url,
            )
        claims = ClaimPaths(
            settings.oidc_role_claim,
            settings.oidc_unit_claim,
            settings.oidc_jurisdiction_claim,
            settings.oidc_name_claim,
        )
        return cls(
            key,
            algorithms,
            settings.jwt_issuer,
            settings.jwt_audience,
            provider,
            claims,
            settings.jwt_leeway_s,
        )


def decode_token(token: str, check: TokenCheck) -> Principal:
    return principal_of(_verified_claims(token, check), check.claims)


_REQUIRED = ["exp", "sub", "iss", "aud"]


def _verified_claims(token: str, check: TokenCheck) -> dict:
    try:
        key, algorithms, issuer = _verifier(token, check)
        return jwt.decode(
            token,
            key,
            algorithms=list(algorithms),
            issuer=issuer,
            audience=check.audience,
            leeway=check.leeway_s,
            options={"require": _REQUIRED},
        )
    except jwt.InvalidIssuerError:
        raise Unauthenticated(
            f"token do nơi khác cấp (iss); hệ thống chỉ nhận token do {_issuers(check)} cấp."
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
    except jwt.ImmatureSignatureError:
        raise Unauthenticated("token chưa đến thời điểm có hiệu lực (nbf, iat).") from None
    except jwt.PyJWKClientError:
        raise Unauthenticated(
            "token ký bằng khoá (kid) mà nhà cung cấp định danh không công bố; hãy đăng nhập lại."
        ) from None
    except jwt.PyJWTError as err:
        raise Unauthenticated(f"token không hợp lệ: {err}") from None


def _verifier(token: str, check: TokenCheck) -> tuple:
    """(key, algorithms, issuer) for this token: the provider's JWKS for an RS256/ES256 token,
    unless a static public key is configured for the token's own issuer; else the static key."""
    alg = jwt.get_unverified_header(token).get("alg")
    if check.provider is not None and alg in ASYMMETRIC:
        static_for_it = check.key and check.algorithms == ASYMMETRIC and _iss(token) == check.issuer
        if not static_for_it:
            return check.provider.signing_key(token), ASYMMETRIC, check.provider.issuer
    if not check.key or alg not in check.algorithms:
        accepted = ", ".join(sorted({*check.algorithms, *(ASYMMETRIC if check.provider else ())}))
        raise Unauthenticated(f"token ký bằng thuật toán {alg!r}; hệ thống chỉ nhận {accepted}.")
    return check.key, check.algorithms, check.issuer


def _iss(token: str):
    return jwt.decode(token, options={"verify_signature": False}).get("iss")


def _issuers(check: TokenCheck) -> str:
    issuers = [check.issuer] if check.key else []
    issuers += [check.provider.issuer] if check.provider else []
    return " hoặc ".join(issuers)


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
