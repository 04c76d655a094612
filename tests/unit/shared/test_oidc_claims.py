"""A provider's token becomes a Principal through configurable claim paths (Keycloak realm roles,
user attributes), and the actor of an event carries the person's name beside the subject."""

from __future__ import annotations

import time

import jwt
import pytest

from shared.auth import ClaimPaths, TokenCheck, Unauthenticated, decode_token
from shared.config import DEV_JWT_SECRET, Settings
from tests.unit.shared.test_production_settings import production

KEYCLOAK = ClaimPaths(role="realm_access.roles", unit_id="unit_id", jurisdiction="jurisdiction")


def check(paths: ClaimPaths = ClaimPaths()) -> TokenCheck:
    return TokenCheck(DEV_JWT_SECRET, ("HS256",), "idp", "antt", claims=paths)


def token(**claims) -> str:
    base = {"sub": "f3a9-uuid", "iss": "idp", "aud": "antt", "exp": int(time.time()) + 300}
    return jwt.encode(base | claims, DEV_JWT_SECRET, algorithm="HS256")


def test_a_keycloak_token_gives_the_one_antt_role_among_its_realm_roles():
    raw = token(
        realm_access={"roles": ["offline_access", "approver", "uma_authorization"]},
        jurisdiction="nha-trang",
        name="Nguyễn Văn An",
    )
    who = decode_token(raw, check(KEYCLOAK))
    assert (who.role, who.jurisdiction, who.name) == ("approver", "nha-trang", "Nguyễn Văn An")


def test_the_actor_is_the_providers_subject_with_the_display_name_beside_it():
    who = decode_token(token(role="unit", unit_id="kdc-1", name="Tổ dân phố 3"), check())
    assert who.actor == {"sub": "f3a9-uuid", "role": "unit", "name": "Tổ dân phố 3"}
    assert decode_token(token(role="unit", unit_id="kdc-1"), check()).actor == {
        "sub": "f3a9-uuid",
        "role": "unit",
    }


def test_a_single_valued_attribute_list_counts_as_its_value():
    who = decode_token(token(role="reviewer", jurisdiction=["khanh-hoa"]), check())
    assert who.jurisdiction == "khanh-hoa"


@pytest.mark.parametrize(
    "claims",
    [
        {"realm_access": {"roles": ["offline_access"]}, "jurisdiction": "nha-trang"},
        {"realm_access": {"roles": ["admin", "auditor"]}, "jurisdiction": "nha-trang"},
        {"realm_access": "admin", "jurisdiction": "nha-trang"},
        {"realm_access": {"roles": ["reviewer"]}, "jurisdiction": ["a", "b"]},
        {"realm_access": {"roles": ["unit"]}, "unit_id": 7},
    ],
    ids=["no antt role", "two antt roles", "not an object", "two jurisdictions", "number unit"],
)
def test_a_token_without_exactly_one_role_and_its_scope_is_refused(claims):
    with pytest.raises(Unauthenticated):
        decode_token(token(**claims), check(KEYCLOAK))


def test_the_claim_paths_and_issuer_come_from_the_environment():
    env = {
        "ANTT_OIDC_ISSUER": "https://sso.khanhhoa.gov.vn/realms/antt",
        "ANTT_OIDC_ROLE_CLAIM": "realm_access.roles",
        "ANTT_OIDC_UNIT_CLAIM": "attributes.unit",
        "ANTT_OIDC_JURISDICTION_CLAIM": "attributes.area",
        "ANTT_OIDC_NAME_CLAIM": "preferred_username",
    }
    built = TokenCheck.of(Settings.from_env("review", env))
    assert built.provider.issuer == "https://sso.khanhhoa.gov.vn/realms/antt"
    assert built.claims == ClaimPaths(
        "realm_access.roles", "attributes.unit", "attributes.area", "preferred_username"
    )
    assert built.algorithms == ("HS256",)  # development keeps the secret beside the provider


def test_production_with_a_provider_uses_no_secret_unless_hs256_is_enabled():
    built = TokenCheck.of(production(oidc_issuer="https://sso.example.vn/realms/antt"))
    assert (built.key, built.algorithms) == (None, ())
    with pytest.raises(Unauthenticated, match="RS256"):
        decode_token(token(role="admin", jurisdiction="nha-trang"), built)
