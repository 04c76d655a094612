"""Hostile JSON bodies on a representative POST of each service: a clear 4xx, never a 5xx.

Notification takes no JSON body; its one endpoint gets the same treatment on its query string.
"""

from __future__ import annotations

import json

import pytest

from tests.hostile.apps import bearer, build_app
from tests.hostile.requests_catalogue import request_for
from tests.hostile.worlds import seed

FIVE_MB = "x" * 5_000_000
ERROR_KEYS = {"code", "status", "message", "errors"}
# service → (endpoint of the catalogue, caller, the field a huge string goes into)
TARGETS = {
    "registration": ("add unit", "admin", "name"),
    "review": ("record incident", "reviewer", "description"),
    "reporting": ("reproduce report", "auditor", "format"),
}


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """Each service seeded, then served with the production upload limit (20 MB)."""
    built = {}
    for service in TARGETS:
        directory = tmp_path_factory.mktemp(f"{service}-json")
        facts = seed(service, directory)
        app = build_app(service, directory, max_upload_bytes=20 * 1024 * 1024)
        built[service] = (app, facts)
    return built


def post(apps, service: str, data: bytes, content_type="application/json", fields=None):
    """Send `data` where the service expects its JSON body (`fields` patch a valid body instead)."""
    app, facts = apps[service]
    endpoint, caller, _ = TARGETS[service]
    _, method, url, kwargs = request_for(endpoint, "own-ra", facts)
    if fields is not None:
        data = json.dumps(kwargs["json"] | fields).encode()
    headers = bearer(app, caller, jurisdiction="nha-trang")
    return app.test_client().open(
        url, method=method, data=data, content_type=content_type, headers=headers
    )


def refused(answer, status: int) -> dict:
    body = answer.get_json()
    assert answer.status_code == status, body
    assert set(body) == ERROR_KEYS and body["code"] == status, body
    return body


def nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


SERVICES = list(TARGETS)


@pytest.mark.parametrize("service", SERVICES)
def test_a_valid_body_gets_past_the_parser(apps, service):
    # The baseline the hostile variants below are made from.
    assert post(apps, service, b"", fields={}).status_code in (200, 201)


@pytest.mark.parametrize("service", SERVICES)
def test_ten_thousand_levels_of_nesting_are_refused_with_400(apps, service):
    refused(post(apps, service, nested(10_000)), 400)


@pytest.mark.parametrize("service", SERVICES)
def test_deep_nesting_inside_a_field_is_refused_with_400(apps, service):
    field = TARGETS[service][2]
    data = b'{"' + field.encode() + b'": ' + nested(10_000) + b"}"
    refused(post(apps, service, data), 400)


@pytest.mark.parametrize("service", SERVICES)
def test_nesting_a_parser_can_follow_is_a_wrong_type_422(apps, service):
    field = TARGETS[service][2]
    data = b'{"' + field.encode() + b'": ' + nested(500) + b"}"
    refused(post(apps, service, data), 422)


@pytest.mark.parametrize("service", SERVICES)
def test_an_integer_of_five_thousand_digits_is_refused_with_400(apps, service):
    refused(post(apps, service, b'{"year": 1' + b"0" * 5000 + b"}"), 400)


@pytest.mark.parametrize("service", SERVICES)
def test_a_five_megabyte_string_is_refused_by_the_fields_length_with_422(apps, service):
    field = TARGETS[service][2]
    body = refused(post(apps, service, b"", fields={field: FIVE_MB}), 422)
    assert list(body["errors"]) == [field]
    assert len(json.dumps(body)) < 2000  # the answer does not echo the five megabytes


@pytest.mark.parametrize("service", SERVICES)
def test_wrong_types_are_refused_with_422_naming_the_fields(apps, service):
    field = TARGETS[service][2]
    body = refused(post(apps, service, b"", fields={field: 12, "year": "hai nghìn"}), 422)
    assert field in body["errors"]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("data", [b"null", b"[]", b'"text"', b"42"])
def test_a_body_that_is_not_an_object_is_refused_with_422(apps, service, data):
    refused(post(apps, service, data), 422)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("data", [b'{"name": ', b"{'name': 'x'}", b"{}}", b'{"a": NaN'])
def test_malformed_json_is_refused_with_400(apps, service, data):
    refused(post(apps, service, data), 400)


@pytest.mark.parametrize("service", SERVICES)
def test_invalid_utf8_is_refused_with_400(apps, service):
    refused(post(apps, service, b'{"name": "\xff\xfe\xc3("}'), 400)


# Duplicate keys: Python keeps the last value, other parsers (proxies, WAFs, audit tools) may keep
# the first — the same bytes would mean two different commands. Not acceptable: refuse with 400.
@pytest.mark.parametrize("service", SERVICES)
def test_duplicate_keys_are_refused_with_400(apps, service):
    facts = apps[service][1]
    valid = request_for(TARGETS[service][0], "own-ra", facts)[3]["json"]
    first = next(iter(valid))
    # The same valid body, its first key sent once more, earlier, with another value.
    data = ('{"' + first + '": null, ' + json.dumps(valid)[1:]).encode()
    refused(post(apps, service, data), 400)


# A JSON body sent as text/plain is not read at all (webargs parses JSON content types only), so
# the required fields are reported missing: a 422 that names them, never a 5xx.
@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_of_another_content_type_is_not_read_as_json(apps, service, content_type):
    body = refused(post(apps, service, b"", content_type=content_type, fields={}), 422)
    assert "Missing data for required field." in json.dumps(body["errors"])


@pytest.fixture(scope="module")
def notification(tmp_path_factory):
    directory = tmp_path_factory.mktemp("notification-json")
    seed("notification", directory)
    return build_app("notification", directory)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?unit_id=" + "x" * 100_000, 422),
        ("?year=hai-nghin", 422),
        ("?year=1" + "0" * 5000, 422),
        ("?year=2026&year=2027", 200),
        ("?unit_id=%FF%FE", 200),  # no such unit: an empty list, as for any unknown id
        ("?audience=everyone", 422),
        ("?unit_id=own-ra&unknown=1", 200),  # unknown query parameters are ignored
    ],
)
def test_notification_answers_hostile_query_strings_with_a_clear_status(
    notification, query, status
):
    headers = bearer(notification, "auditor", jurisdiction="nha-trang")
    answer = notification.test_client().get(f"/api/v1/notifications{query}", headers=headers)
    assert answer.status_code == status, answer.get_json()
    if status >= 400:
        assert set(answer.get_json()) == ERROR_KEYS
