"""deploy/keycloak/antt-realm.json: the realm the bundled Keycloak imports gives the APIs the
tokens they verify (roles, unit_id and jurisdiction, audience) and the portal a confidential
client with the authorization code flow and PKCE."""

from __future__ import annotations

import json
import re

from shared.auth import ROLES
from tests.deploy.compose_file import DEPLOY, ENV_EXAMPLE, env_file, services

REALM_FILE = DEPLOY / "keycloak" / "antt-realm.json"


def realm() -> dict:
    return json.loads(REALM_FILE.read_text(encoding="utf-8"))


def portal() -> dict:
    [client] = [c for c in realm()["clients"] if c["clientId"] == "antt-portal"]
    return client


def mappers() -> dict:
    return {m["protocolMapper"] + ":" + m["name"]: m["config"] for m in portal()["protocolMappers"]}


def test_the_five_antt_roles_are_realm_roles():
    assert realm()["realm"] == "antt"
    assert sorted(r["name"] for r in realm()["roles"]["realm"]) == sorted(ROLES)


def test_unit_id_and_jurisdiction_attributes_are_mapped_into_the_access_token():
    found = mappers()
    for attribute in ("unit_id", "jurisdiction"):
        config = found[f"oidc-usermodel-attribute-mapper:{attribute}"]
        assert config["user.attribute"] == config["claim.name"] == attribute
        assert config["access.token.claim"] == "true"
        assert config["multivalued"] == "false"
    # Keycloak's declarative user profile must declare them, editable by administrators only.
    [profile] = realm()["components"]["org.keycloak.userprofile.UserProfileProvider"]
    declared = json.loads(profile["config"]["kc.user.profile.config"][0])
    attributes = {a["name"]: a for a in declared["attributes"]}
    for attribute in ("unit_id", "jurisdiction"):
        assert attributes[attribute]["permissions"]["edit"] == ["admin"]


def test_the_apis_are_the_audience_of_the_portals_access_tokens():
    audience = mappers()["oidc-audience-mapper:audience antt (the APIs)"]
    assert audience["included.custom.audience"] == env_file(ENV_EXAMPLE)["ANTT_JWT_AUDIENCE"]
    assert audience["access.token.claim"] == "true"
    # The realm roles reach the token through the default `roles` scope (realm_access.roles).
    assert {"roles", "profile", "basic"} <= set(portal()["defaultClientScopes"])


def test_the_portal_is_a_confidential_client_with_code_flow_pkce_and_its_own_redirects():
    client = portal()
    assert client["publicClient"] is False
    assert client["secret"] == "${ANTT_PORTAL_CLIENT_SECRET}", "the secret comes from the env"
    assert client["standardFlowEnabled"] is True
    assert client["implicitFlowEnabled"] is False
    assert client["directAccessGrantsEnabled"] is False
    assert client["attributes"]["pkce.code.challenge.method"] == "S256"
    assert all(u.startswith("${ANTT_PORTAL_URL}/") for u in client["redirectUris"])
    assert client["attributes"]["post.logout.redirect.uris"].startswith("${ANTT_PORTAL_URL}/")


def test_keycloak_is_pinned_imports_the_realm_and_gets_every_placeholder_it_needs():
    keycloak = services()["keycloak"]
    assert re.fullmatch(r"quay\.io/keycloak/keycloak:\d+\.\d+\.\d+", keycloak["image"])
    assert "--import-realm" in keycloak["command"]
    assert any(
        v.startswith("./keycloak/antt-realm.json:/opt/keycloak/data/import/")
        for v in keycloak["volumes"]
    )
    placeholders = set(re.findall(r"\$\{([A-Z_]+)\}", REALM_FILE.read_text(encoding="utf-8")))
    assert placeholders <= set(keycloak["environment"])


def test_the_apis_read_the_role_from_keycloaks_realm_roles_by_default():
    env = services()["review-api"]["environment"]
    assert env["ANTT_OIDC_ROLE_CLAIM"] == "${ANTT_OIDC_ROLE_CLAIM:-realm_access.roles}"
    example = env_file(ENV_EXAMPLE)
    assert example["ANTT_OIDC_ISSUER"] == example["ANTT_SSO_URL"] + "/realms/antt"
