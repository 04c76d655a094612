"""`make run`'s configuration end to end: the stack's development OpenID Connect provider signs a
demo account in, and the real APIs (gunicorn, PostgreSQL, broker) take its token beside the HS256
tokens of `antt token`; the actor of the event is the provider's subject with the name."""

from __future__ import annotations

import json

import pytest

from tests.integration.oidc_provider import sign_in

pytestmark = pytest.mark.e2e

READ = {
    "registration": "/units?commune_code=vinh-hai",
    "review": "/criteria?unit_type=residential_area&year=2025",
    "notification": "/notifications?unit_id=kdc-vinh-hai-demo-1&year=2026",
    "reporting": "/reports/2026?commune_code=vinh-hai",
}


def test_a_demo_account_signed_in_at_the_stacks_provider_is_trusted_by_every_api(system):
    issuer = system.stack.env["ANTT_OIDC_ISSUER"]
    provider_token = sign_in(issuer, "reviewer-nt")["access_token"]
    for service in READ:  # the four APIs (the portal signs people in itself)
        answer = system.api(service, "GET", READ[service], token=provider_token)
        assert answer.status == 200, (service, answer.json)
        answer = system.api(service, "GET", READ[service], role="reviewer")
        assert answer.status == 200, (service, "HS256", answer.json)


def test_the_actor_is_the_providers_subject_with_the_persons_name(system):
    admin = sign_in(system.stack.env["ANTT_OIDC_ISSUER"], "admin-nt")["access_token"]
    answer = system.api("registration", "POST", "/campaigns/2028", token=admin, body={})
    assert answer.status == 200, answer.json
    envelope = system.scalar(
        "registration", "SELECT envelope FROM events ORDER BY position DESC LIMIT 1"
    )
    assert json.loads(envelope)["actor"] == {
        "sub": "admin-nt",
        "role": "admin",
        "name": "Quản trị Nha Trang (mẫu)",
    }
