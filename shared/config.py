"""Settings: one frozen dataclass per process, built once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_PORTS = {
    "registration": 8001,
    "review": 8002,
    "notification": 8003,
    "reporting": 8004,
    "portal": 8000,
}
# The development OpenID Connect provider of `make run` (CONTRACT.md: ANTT_OIDC_ISSUER).
DEV_IDP_PORT = 8010
DEV_JWT_SECRET = "antt-dev-secret-change-me-in-production-0123456789"
# Who issues tokens and for whom they are meant: local defaults that `antt token` also mints.
DEV_JWT_ISSUER = "antt-dev"
DEFAULT_JWT_AUDIENCE = "antt"
MIN_SECRET_BYTES = 32


def _var_dir(env: dict) -> Path:
    return Path(env.get("ANTT_VAR_DIR", "var")).resolve()


@dataclass(frozen=True)
class Settings:
    """Everything a process of one service needs; tests build it directly."""

    service: str
    database_url: str
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_security: dict = field(default_factory=dict)
    topic_partitions: int = 6
    # Production cluster: 3 replicas, min.insync.replicas 2 (deploy/compose.yaml sets these).
    topic_replication_factor: int = 1
    topic_min_insync_replicas: int | None = None
    kafka_request_timeout_ms: int = 15000
    kafka_retries: int = 5
    jwt_secret: str = DEV_JWT_SECRET
    jwt_public_key: str | None = None
    jwt_issuer: str = DEV_JWT_ISSUER
    jwt_audience: str = DEFAULT_JWT_AUDIENCE
    # Production verifies a provider's public key; a shared HS256 secret only when asked for.
    jwt_allow_hs256: bool = False
    # Clock skew tolerated on exp, nbf and iat, in seconds.
    jwt_leeway_s: float = 30
    # An OpenID Connect provider whose RS256/ES256 access tokens are accepted (its JWKS from
    # the discovery document), and where in its tokens antt's claims are (dotted paths).
    oidc_issuer: str | None = None
    # Where to read its discovery document when not at the issuer's own address (a container
    # reaching Keycloak on the inner network); the document must still name oidc_issuer.
    oidc_discovery_url: str | None = None
    oidc_role_claim: str = "role"
    oidc_unit_claim: str = "unit_id"
    oidc_jurisdiction_claim: str = "jurisdiction"
    oidc_name_claim: str = "name"
    # The JWKS is fetched again for an unknown kid at most this often.
    oidc_jwks_refresh_s: float = 60
    clock_start: str | None = None
    # When the shifted clock read clock_start (Unix seconds): every process of a stack, and one
    # restarted later, then tells the same time (ANTT_CLOCK_ANCHOR; `Stack` sets it).
    clock_anchor: float | None = None
    environment: str = "development"
    port: int = 8000
    var_dir: Path = Path("var")
    consumer_session_timeout_ms: int = 6000
    relay_probe_interval_s: float = 5.0
    # The largest event a command may store (canonical bytes); capped by the wire limit.
    max_event_bytes: int = 256 * 1024
    # How often a consumer retries its gap, blocked and awaiting parked events by itself.
    parked_sweep_interval_s: float = 30.0
    max_upload_bytes: int = 20 * 1024 * 1024
    # A province's own administrative tree and Art. 10 authority tables (shared/jurisdictions.py,
    # shared/authority.py); unset, the packaged demo files.
    jurisdictions_file: str | None = None
    authority_file: str | None = None

    @classmethod
    def from_env(cls, service: str, env: dict | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        var_dir = _var_dir(env)
        prefix = f"ANTT_{service.upper()}_"
        return cls(
            service=service,
            database_url=env.get(prefix + "DATABASE_URL", f"sqlite:///{var_dir / service}.db"),
            kafka_bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            kafka_security=_kafka_security(env),
            topic_partitions=int(env.get("ANTT_TOPIC_PARTITIONS", "6")),
            topic_replication_factor=int(env.get("ANTT_TOPIC_REPLICATION_FACTOR", "1")),
            topic_min_insync_replicas=_int_or_none(env.get("ANTT_TOPIC_MIN_INSYNC_REPLICAS")),
            kafka_request_timeout_ms=int(env.get("KAFKA_REQUEST_TIMEOUT_MS", "15000")),
            kafka_retries=int(env.get("KAFKA_RETRIES", "5")),
            jwt_secret=env.get("ANTT_JWT_SECRET", DEV_JWT_SECRET),
            jwt_public_key=env.get("ANTT_JWT_PUBLIC_KEY") or None,
            jwt_issuer=env.get("ANTT_JWT_ISSUER") or DEV_JWT_ISSUER,
            jwt_audience=env.get("ANTT_JWT_AUDIENCE") or DEFAULT_JWT_AUDIENCE,
            jwt_allow_hs256=_flag(env.get("ANTT_JWT_ALLOW_HS256")),
            jwt_leeway_s=float(env.get("ANTT_JWT_LEEWAY_S") or 30),
            oidc_issuer=env.get("ANTT_OIDC_ISSUER") or None,
            oidc_discovery_url=env.get("ANTT_OIDC_DISCOVERY_URL") or None,
            oidc_role_claim=env.get("ANTT_OIDC_ROLE_CLAIM") or "role",
            oidc_unit_claim=env.get("ANTT_OIDC_UNIT_CLAIM") or "unit_id",
            oidc_jurisdiction_claim=env.get("ANTT_OIDC_JURISDICTION_CLAIM") or "jurisdiction",
            oidc_name_claim=env.get("ANTT_OIDC_NAME_CLAIM") or "name",
            oidc_jwks_refresh_s=float(env.get("ANTT_OIDC_JWKS_REFRESH_S") or 60),
            clock_start=env.get("ANTT_CLOCK") or None,
            clock_anchor=float(env["ANTT_CLOCK_ANCHOR"]) if env.get("ANTT_CLOCK_ANCHOR") else None,
            environment=env.get("ANTT_ENV", "development"),
            port=int(env.get(prefix + "PORT", DEFAULT_PORTS.get(service, 8000))),
            var_dir=var_dir,
            relay_probe_interval_s=float(env.get("ANTT_RELAY_PROBE_INTERVAL_S", "5")),
            max_event_bytes=int(env.get("ANTT_MAX_EVENT_BYTES", str(256 * 1024))),
            parked_sweep_interval_s=float(env.get("ANTT_PARKED_SWEEP_S", "30")),
            max_upload_bytes=int(env.get("ANTT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))),
            jurisdictions_file=env.get("ANTT_JURISDICTIONS_FILE") or None,
            authority_file=env.get("ANTT_AUTHORITY_FILE") or None,
        )

    def but(self, **changes) -> Settings:
        return replace(self, **changes)


class UnsafeSettings(RuntimeError):
    """Settings a production process must not start with (checked once, at start-up)."""


def refuse_unsafe(settings: Settings) -> None:
    """In production, refuse to start on a token secret anyone could know or guess. With a
    provider (ANTT_OIDC_ISSUER) the secret is not used unless HS256 is enabled on top, and then
    it must be a good one."""
    if settings.environment != "production" or settings.jwt_public_key:
        return
    if settings.oidc_issuer and not settings.jwt_allow_hs256:
        return
    secret = settings.jwt_secret or ""
    if not settings.jwt_allow_hs256:
        problem = (
            "neither ANTT_OIDC_ISSUER nor ANTT_JWT_PUBLIC_KEY is set, and a shared HS256 "
            "secret is refused in production unless ANTT_JWT_ALLOW_HS256=true"
        )
    elif secret == DEV_JWT_SECRET:
        problem = "ANTT_JWT_SECRET is the development secret"
    elif len(secret.encode()) < MIN_SECRET_BYTES:
        problem = f"ANTT_JWT_SECRET is shorter than {MIN_SECRET_BYTES} bytes"
    else:
        return
    raise UnsafeSettings(
        f"antt {settings.service}: refusing to start with ANTT_ENV=production: {problem}. "
        "Set ANTT_OIDC_ISSUER (the identity provider) or ANTT_JWT_PUBLIC_KEY, or a random "
        "secret of at least 32 bytes (openssl rand -hex 32) with ANTT_JWT_ALLOW_HS256=true. "
        "(Không khởi động: khoá ký token không an toàn cho môi trường production.)"
    )


# Kafka client options passed through unchanged (TLS/SASL for a production cluster).
_KAFKA_SECURITY_VARS = {
    "KAFKA_SECURITY_PROTOCOL": "security_protocol",
    "KAFKA_SASL_MECHANISM": "sasl_mechanism",
    "KAFKA_SASL_USERNAME": "sasl_plain_username",
    "KAFKA_SASL_PASSWORD": "sasl_plain_password",
    "KAFKA_SSL_CAFILE": "ssl_cafile",
    "KAFKA_SSL_CERTFILE": "ssl_certfile",
    "KAFKA_SSL_KEYFILE": "ssl_keyfile",
    "KAFKA_SSL_PASSWORD": "ssl_password",
    "KAFKA_SSL_CHECK_HOSTNAME": "ssl_check_hostname",
}
_BOOLEAN_OPTIONS = {"ssl_check_hostname"}


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes")


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value else None


def _kafka_security(env: dict) -> dict:
    options = {opt: env[var] for var, opt in _KAFKA_SECURITY_VARS.items() if env.get(var)}
    for opt in _BOOLEAN_OPTIONS & options.keys():
        options[opt] = _flag(options[opt])
    return options
