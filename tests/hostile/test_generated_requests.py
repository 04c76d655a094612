"""schemathesis against each service's own OpenAPI document: no 5xx, no answer off its schema.

`ANTT_FUZZ_EXAMPLES` sets the examples per operation (small in `make test`, large in `make fuzz`).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from tests.hostile.apps import SERVICES, bearer, build_app
from tests.hostile.worlds import YEARS, seed

EXAMPLES = int(os.environ.get("ANTT_FUZZ_EXAMPLES", "25"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
# Who calls each operation: a role that may, so generated input gets past the door.
ACTING_ROLE = {
    ("review", "POST", "/api/v1/incidents"): "reviewer",
    ("review", "POST", "/api/v1/cases/{unit_id}/{year}/return"): "reviewer",
    ("review", "POST", "/api/v1/cases/{unit_id}/{year}/recommendation"): "reviewer",
    ("review", "POST", "/api/v1/cases/{unit_id}/{year}/decision"): "approver",
    ("review", "POST", "/api/v1/cases/{unit_id}/{year}/annulment"): "approver",
    ("review", "POST", "/api/v1/decisions/batch"): "approver",
    ("review", "GET", "/api/v1/decisions/draft"): "approver",
}
# Reads whose record the seeded worlds do not hold, and the answer they give instead (their
# full bodies are read in tests/unit/documents and tests/e2e/test_documents.py).
NOT_SEEDED = {("reporting", "/api/v1/certificates/{unit_id}/{year}"): 404}
DEFAULT_ROLE = {"registration": "admin"}
# Known failures left to their owners (an operation listed here that passes fails the test, so
# the entry goes as soon as the fix lands).
KNOWN = {}
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


class Service:
    """One app on the matrix's seeded world and the token its generated requests carry."""

    def __init__(self, name: str, tmp_path_factory):
        directory = tmp_path_factory.mktemp(name)
        self.name, self.facts = name, seed(name, directory)
        self.app = build_app(name, directory)
        self.schema = schemathesis.openapi.from_wsgi("/api/openapi.json", self.app)

    def headers_for(self, case) -> dict:
        key = (self.name, case.method.upper(), case.path)
        role = ACTING_ROLE.get(key, DEFAULT_ROLE.get(self.name, "auditor"))
        return bearer(self.app, role, jurisdiction="khanh-hoa")

    def exercise(self, case) -> None:
        case.call_and_validate(headers=self.headers_for(case), checks=CHECKS)


def failures_of(service: Service, operation, mode: GenerationMode) -> str | None:
    """Run the generated cases of one operation; the first failure's report, or None."""

    @FUZZ
    @given(case=operation.as_strategy(mode))
    def generated(case):
        service.exercise(case)

    # A failed check raises (often an exception group): note it and go on to the next operation,
    # so one run reports every operation at once.
    try:
        generated()
    except (Exception, BaseExceptionGroup) as err:
        return f"{operation.method.upper()} {operation.path}:\n" + "\n".join(leaves(err))
    return None


def leaves(err: BaseException) -> list[str]:
    """The messages of every failure inside (nested) exception groups, shortened."""
    if isinstance(err, BaseExceptionGroup):
        return [line for inner in err.exceptions for line in leaves(inner)]
    return [f"- {type(err).__name__}: {str(err)[:1500]}"]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_answers_generated_requests_without_5xx_and_within_its_schema(
    name, mode, tmp_path_factory
):
    service = Service(name, tmp_path_factory)
    operations = [result.ok() for result in service.schema.get_all_operations()]
    assert operations, f"{name} documents no operation"
    outcomes = {
        (name, op.method.upper(), op.path, mode.value): failures_of(service, op, mode)
        for op in operations
    }
    unexpected = [p for key, p in outcomes.items() if p and key not in KNOWN]
    assert not unexpected, "\n\n".join(unexpected)
    fixed = [key for key, p in outcomes.items() if key in KNOWN and not p]
    assert not fixed, f"these pass now, remove them from KNOWN: {fixed}"
    known = [KNOWN[key] for key, p in outcomes.items() if p]
    if known:
        pytest.xfail("; ".join(known))


def known_good_case(service: Service, operation):
    """A read of the seeded world: own-ra's records, the service's year, a cited document."""
    values = {
        "unit_id": "own-ra",
        "year": YEARS[service.name],
        "sha256": service.facts.get("documents", {}).get("own-ra"),
        "form": "dang-ky",
    }
    names = {p.name for p in operation.path_parameters}
    params = {p.name for p in operation.query}
    given = {"year": YEARS[service.name], "unit_id": "own-ra"}
    query = {k: v for k, v in given.items() if k in params}
    return operation.Case(path_parameters={n: values[n] for n in names}, query=query)


@pytest.mark.parametrize("name", SERVICES)
def test_every_read_of_seeded_records_answers_within_its_schema(name, tmp_path_factory):
    # Generated ids hardly ever name a record that exists; these reads do, so full bodies
    # (not only errors) are checked against the documented schemas.
    service = Service(name, tmp_path_factory)
    reads = [r.ok() for r in service.schema.get_all_operations() if r.ok().method == "get"]
    statuses = {}
    for operation in reads:
        case = known_good_case(service, operation)
        response = case.call_and_validate(headers=service.headers_for(case), checks=CHECKS)
        statuses[operation.path] = response.status_code
    expected = {path: NOT_SEEDED.get((name, path), 200) for path in statuses}
    assert statuses == expected
