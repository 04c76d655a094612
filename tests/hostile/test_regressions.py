"""Regressions for what the hostile runs found: each was a 5xx, a schema breach or an echo."""

from __future__ import annotations

import io

import pytest

from tests.hostile.apps import bearer, build_app
from tests.hostile.requests_catalogue import request_for
from tests.hostile.worlds import seed

HUGE_YEAR = "9" * 30
FIVE_MB = "x" * 5_000_000
ERROR_KEYS = {"code", "status", "message", "errors"}


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    """The seeded worlds of the matrix, served with the production upload limit (20 MB)."""
    built = {}
    for service in ("registration", "review", "notification", "reporting"):
        directory = tmp_path_factory.mktemp(f"{service}-regressions")
        facts = seed(service, directory)
        built[service] = (build_app(service, directory, max_upload_bytes=20 << 20), facts)
    return built


def call(worlds, service, method, url, role="admin", headers=None, **kwargs):
    app = worlds[service][0]
    if headers is None:
        headers = bearer(app, role, jurisdiction="nha-trang")
    return app.test_client().open(f"/api/v1{url}", method=method, headers=headers, **kwargs)


@pytest.mark.parametrize("year", ["0", "1999", "2101", "38881", HUGE_YEAR])
def test_a_campaign_for_a_year_out_of_range_is_a_422_on_year_not_a_500(worlds, year):
    # Was: ValueError "year 38881 is out of range" / OverflowError from date() → 500.
    answer = call(worlds, "registration", "POST", f"/campaigns/{year}", json={})
    assert answer.status_code == 422, answer.get_json()
    assert list(answer.get_json()["errors"]) == ["year"]


@pytest.mark.parametrize(
    ("service", "url", "role"),
    [
        ("registration", f"/registrations/own-ra/{HUGE_YEAR}", "admin"),
        ("registration", f"/dossiers/own-ra/{HUGE_YEAR}", "admin"),
        ("registration", "/registrations/own-ra/1999", "admin"),
        ("review", f"/cases/own-ra/{HUGE_YEAR}", "reviewer"),
        ("review", "/cases/own-ra/2101", "reviewer"),
    ],
)
def test_a_path_year_the_database_cannot_hold_is_a_404_not_a_500(worlds, service, url, role):
    # Was: OverflowError "Python int too large to convert to SQLite INTEGER" (PostgreSQL: a
    # DataError) → 500. The path converters now take 2000–2100, as the bodies' Range does.
    answer = call(worlds, service, "GET", url, role)
    assert answer.status_code == 404, answer.get_json()
    assert set(answer.get_json()) == ERROR_KEYS


@pytest.mark.parametrize("path", ["return", "recommendation", "decision", "annulment"])
def test_a_review_step_on_a_year_out_of_range_is_a_404(worlds, path):
    answer = call(
        worlds, "review", "POST", f"/cases/own-ra/{HUGE_YEAR}/{path}", "reviewer", json={}
    )
    assert answer.status_code == 404, answer.get_json()


@pytest.mark.parametrize("endpoint", ["register", "submit dossier", "grant late exception"])
def test_a_five_megabyte_unit_id_is_a_422_and_is_not_echoed_back(worlds, endpoint):
    # Was: 404 whose message repeated the five megabytes.
    _, method, url, kwargs = request_for(endpoint, "own-ra", worlds["registration"][1])
    body = kwargs["json"] | {"unit_id": FIVE_MB}
    answer = call(worlds, "registration", method, url.removeprefix("/api/v1"), json=body)
    assert answer.status_code == 422, answer.get_json()
    assert list(answer.get_json()["errors"]) == ["unit_id"]
    assert len(answer.get_data()) < 2000


def test_a_five_megabyte_self_assessment_note_is_a_422(worlds):
    # Was: accepted into the DossierSubmitted event (no bound on `note`).
    _, method, url, kwargs = request_for("submit dossier", "own-ra", worlds["registration"][1])
    lines = [{"criterion_id": "RA-1", "met": True, "note": FIVE_MB}]
    body = kwargs["json"] | {"self_assessment": lines}
    unit = bearer(worlds["registration"][0], "unit", unit_id="own-ra")
    answer = call(
        worlds, "registration", method, url.removeprefix("/api/v1"), headers=unit, json=body
    )
    assert answer.status_code == 422, answer.get_json()
    assert "self_assessment" in answer.get_json()["errors"]


# No token is a 401 before anything else is looked at: a malformed body or query must not turn
# it into a 422 (which would also tell an anonymous caller what the endpoint expects).
NO_TOKEN = [
    ("review", "GET", "/criteria?year=abc", {}),
    ("review", "GET", "/cases?year=abc", {}),
    ("review", "POST", "/incidents", {"json": {"unit_id": 1}}),
    ("review", "POST", "/cases/own-ra/2025/return", {"json": {}}),
    ("review", "POST", "/cases/own-ra/2025/recommendation", {"json": {}}),
    ("review", "POST", "/cases/own-ra/2025/decision", {"json": {}}),
    ("review", "POST", "/cases/own-ra/2025/annulment", {"json": {}}),
    ("notification", "GET", "/notifications?year=abc", {}),
    ("registration", "POST", "/units", {"json": {}}),
    ("registration", "GET", "/units?unknown=1", {}),
]
REPORTING_NO_TOKEN = [
    ("reporting", "GET", "/reports/2026?format=pdf", {}),
    ("reporting", "POST", "/reports/reproduce", {"json": {}}),
    ("reporting", "GET", "/units/own-ra/history?year=abc", {}),
    ("reporting", "GET", "/audit/verify?year=abc", {}),
]


@pytest.mark.parametrize(("service", "method", "url", "kwargs"), NO_TOKEN)
def test_no_token_with_malformed_arguments_is_still_a_401(worlds, service, method, url, kwargs):
    answer = call(worlds, service, method, url, headers={}, **kwargs)
    assert answer.status_code == 401, answer.get_json()


@pytest.mark.parametrize(("service", "method", "url", "kwargs"), REPORTING_NO_TOKEN)
def test_reporting_without_a_token_is_a_401_whatever_the_arguments(
    worlds, service, method, url, kwargs
):
    answer = call(worlds, service, method, url, headers={}, **kwargs)
    assert answer.status_code == 401, answer.get_json()


def test_a_zero_byte_csv_import_is_a_422_and_imports_nothing(worlds):
    # A zero-byte document upload is covered in tests/unit/registration/test_documents.py.
    before = call(worlds, "registration", "GET", "/units").get_json()
    answer = call(
        worlds,
        "registration",
        "POST",
        "/units/import",
        data={"file": (io.BytesIO(b""), "don-vi.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422, answer.get_json()
    assert "file" in answer.get_json()["errors"]
    assert call(worlds, "registration", "GET", "/units").get_json() == before


@pytest.mark.parametrize("url", ["/documents", "/units/import"])
@pytest.mark.parametrize(
    "data",
    [b"", b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'],
    ids=["empty multipart", "truncated multipart"],
)
def test_an_empty_or_truncated_multipart_body_is_a_422_naming_the_file(worlds, url, data):
    answer = call(
        worlds,
        "registration",
        "POST",
        url,
        data=data,
        content_type="multipart/form-data; boundary=x",
    )
    assert answer.status_code == 422, answer.get_json()
    assert "file" in answer.get_json()["errors"]["files"]


@pytest.mark.parametrize("year", ["1980", HUGE_YEAR])
def test_a_report_for_a_year_out_of_range_is_a_422_on_year(worlds, year):
    # Was: 1980 answered 200 off its own schema, a 30-digit year a 500 (integer overflow).
    answer = call(worlds, "reporting", "GET", f"/reports/{year}", "auditor")
    assert answer.status_code == 422, answer.get_json()
    assert list(answer.get_json()["errors"]) == ["year"]
