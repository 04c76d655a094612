"""Every endpoint × every role × own unit / other unit / other jurisdiction, as a table.

The world (tests/hostile/worlds.py): `own-ra` (commune vinh-hai) and `other-ra` (commune phuoc-hai)
in Nha Trang, `far-ra` (commune cam-linh) in Cam Ranh, all in Khánh Hòa. Callers: a `unit` token
for own-ra; reviewer, auditor and admin tokens of Nha Trang; an approver of Nha Trang, except in
review, where decisions belong to the commune that recognises a residential area, so its approver is
the chairman of vinh-hai (jurisdiction = the commune's code); `none` sends no token.
For a unit caller, "other unit" and "other jurisdiction" mean another unit's id in the path or body.
Contract: 401 no token; 403 wrong role or out of scope; otherwise the status the rules give —
200/201, or 409/422 when the seeded state refuses the step (named in the comments).
Listings filter by jurisdiction rather than refuse (200); the last test checks they leak nothing.
"""

from __future__ import annotations

import pytest

from tests.hostile.apps import bearer, build_app
from tests.hostile.requests_catalogue import ENDPOINTS, request_for
from tests.hostile.worlds import TARGETS, copy_world, seed

# fmt: off
MATRIX = [
    # endpoint               caller       own  other unit  other jurisdiction
    # registration (8001); campaigns are province-wide, not per unit
    ("set campaign",          "unit",      403, 403, 403),
    ("set campaign",          "reviewer",  403, 403, 403),
    ("set campaign",          "approver",  403, 403, 403),
    ("set campaign",          "auditor",   403, 403, 403),
    ("set campaign",          "admin",     200, 200, 200),
    ("set campaign",          "none",      401, 401, 401),
    ("read campaign",         "unit",      200, 200, 200),
    ("read campaign",         "reviewer",  200, 200, 200),
    ("read campaign",         "approver",  200, 200, 200),
    ("read campaign",         "auditor",   200, 200, 200),
    ("read campaign",         "admin",     200, 200, 200),
    ("read campaign",         "none",      401, 401, 401),
    # a new unit in the target's commune: a commune of another jurisdiction is not one the admin
    # may name (422 on commune_code, the unit would land in the admin's own jurisdiction)
    ("add unit",              "unit",      403, 403, 403),
    ("add unit",              "reviewer",  403, 403, 403),
    ("add unit",              "approver",  403, 403, 403),
    ("add unit",              "auditor",   403, 403, 403),
    ("add unit",              "admin",     201, 201, 422),
    ("add unit",              "none",      401, 401, 401),
    ("import units",          "unit",      403, 403, 403),
    ("import units",          "reviewer",  403, 403, 403),
    ("import units",          "approver",  403, 403, 403),
    ("import units",          "auditor",   403, 403, 403),
    ("import units",          "admin",     201, 201, 422),
    ("import units",          "none",      401, 401, 401),
    ("list units",            "unit",      403, 403, 403),
    ("list units",            "reviewer",  200, 200, 200),
    ("list units",            "approver",  200, 200, 200),
    ("list units",            "auditor",   200, 200, 200),
    ("list units",            "admin",     200, 200, 200),
    ("list units",            "none",      401, 401, 401),
    ("read unit",             "unit",      200, 403, 403),
    ("read unit",             "reviewer",  200, 200, 403),
    ("read unit",             "approver",  200, 200, 403),
    ("read unit",             "auditor",   200, 200, 403),
    ("read unit",             "admin",     200, 200, 403),
    ("read unit",             "none",      401, 401, 401),
    ("edit unit",             "unit",      403, 403, 403),
    ("edit unit",             "reviewer",  403, 403, 403),
    ("edit unit",             "approver",  403, 403, 403),
    ("edit unit",             "auditor",   403, 403, 403),
    ("edit unit",             "admin",     200, 200, 403),
    ("edit unit",             "none",      401, 401, 401),
    # every unit is registered already (409); a unit token naming another unit's id → 403
    ("register",              "unit",      409, 403, 403),
    ("register",              "reviewer",  403, 403, 403),
    ("register",              "approver",  403, 403, 403),
    ("register",              "auditor",   403, 403, 403),
    ("register",              "admin",     409, 409, 403),
    ("register",              "none",      401, 401, 401),
    ("read registration",     "unit",      200, 403, 403),
    ("read registration",     "reviewer",  200, 200, 403),
    ("read registration",     "approver",  200, 200, 403),
    ("read registration",     "auditor",   200, 200, 403),
    ("read registration",     "admin",     200, 200, 403),
    ("read registration",     "none",      401, 401, 401),
    ("grant late exception",  "unit",      403, 403, 403),
    ("grant late exception",  "reviewer",  403, 403, 403),
    ("grant late exception",  "approver",  403, 403, 403),
    ("grant late exception",  "auditor",   403, 403, 403),
    ("grant late exception",  "admin",     201, 201, 403),
    ("grant late exception",  "none",      401, 401, 401),
    # March: the dossier window is not open yet (422 on year); another unit's id → 403
    ("submit dossier",        "unit",      422, 403, 403),
    ("submit dossier",        "reviewer",  403, 403, 403),
    ("submit dossier",        "approver",  403, 403, 403),
    ("submit dossier",        "auditor",   403, 403, 403),
    ("submit dossier",        "admin",     422, 422, 403),
    ("submit dossier",        "none",      401, 401, 401),
    ("read dossiers",         "unit",      200, 403, 403),
    ("read dossiers",         "reviewer",  200, 200, 403),
    ("read dossiers",         "approver",  200, 200, 403),
    ("read dossiers",         "auditor",   200, 200, 403),
    ("read dossiers",         "admin",     200, 200, 403),
    ("read dossiers",         "none",      401, 401, 401),
    # an upload belongs to no unit until a registration or dossier cites it
    ("upload document",       "unit",      201, 201, 201),
    ("upload document",       "reviewer",  403, 403, 403),
    ("upload document",       "approver",  403, 403, 403),
    ("upload document",       "auditor",   403, 403, 403),
    ("upload document",       "admin",     201, 201, 201),
    ("upload document",       "none",      401, 401, 401),
    # the target's registration form
    ("download document",     "unit",      200, 403, 403),
    ("download document",     "reviewer",  200, 200, 403),
    ("download document",     "approver",  200, 200, 403),
    ("download document",     "auditor",   200, 200, 403),
    ("download document",     "admin",     200, 200, 403),
    ("download document",     "none",      401, 401, 401),
    # review (8002); the catalogue is public to every signed-in role
    ("read criteria",         "unit",      200, 200, 200),
    ("read criteria",         "reviewer",  200, 200, 200),
    ("read criteria",         "approver",  200, 200, 200),
    ("read criteria",         "auditor",   200, 200, 200),
    ("read criteria",         "admin",     200, 200, 200),
    ("read criteria",         "none",      401, 401, 401),
    ("list cases",            "unit",      403, 403, 403),
    ("list cases",            "reviewer",  200, 200, 200),
    ("list cases",            "approver",  200, 200, 200),
    ("list cases",            "auditor",   200, 200, 200),
    ("list cases",            "admin",     200, 200, 200),
    ("list cases",            "none",      401, 401, 401),
    ("read case",             "unit",      200, 403, 403),
    ("read case",             "reviewer",  200, 200, 403),
    ("read case",             "approver",  200, 403, 403),
    ("read case",             "auditor",   200, 200, 403),
    ("read case",             "admin",     200, 200, 403),
    ("read case",             "none",      401, 401, 401),
    ("record incident",       "unit",      403, 403, 403),
    ("record incident",       "reviewer",  201, 201, 403),
    ("record incident",       "approver",  403, 403, 403),
    ("record incident",       "auditor",   403, 403, 403),
    ("record incident",       "admin",     403, 403, 403),
    ("record incident",       "none",      401, 401, 401),
    ("return dossier",        "unit",      403, 403, 403),
    ("return dossier",        "reviewer",  201, 201, 403),
    ("return dossier",        "approver",  403, 403, 403),
    ("return dossier",        "auditor",   403, 403, 403),
    ("return dossier",        "admin",     403, 403, 403),
    ("return dossier",        "none",      401, 401, 401),
    ("recommend",             "unit",      403, 403, 403),
    ("recommend",             "reviewer",  201, 201, 403),
    ("recommend",             "approver",  403, 403, 403),
    ("recommend",             "auditor",   403, 403, 403),
    ("recommend",             "admin",     403, 403, 403),
    ("recommend",             "none",      401, 401, 401),
    # the cases are submitted, not recommended: the commune's own approver gets 409 (no
    # recommendation yet, nothing recognised to annul); any other commune's approver 403
    ("decide",                "unit",      403, 403, 403),
    ("decide",                "reviewer",  403, 403, 403),
    ("decide",                "approver",  409, 403, 403),
    ("decide",                "auditor",   403, 403, 403),
    ("decide",                "admin",     403, 403, 403),
    ("decide",                "none",      401, 401, 401),
    ("annul",                 "unit",      403, 403, 403),
    ("annul",                 "reviewer",  403, 403, 403),
    ("annul",                 "approver",  409, 403, 403),
    ("annul",                 "auditor",   403, 403, 403),
    ("annul",                 "admin",     403, 403, 403),
    ("annul",                 "none",      401, 401, 401),
    # notification (8003)
    ("list notifications",    "unit",      200, 403, 403),
    ("list notifications",    "reviewer",  200, 200, 403),
    ("list notifications",    "approver",  200, 200, 403),
    ("list notifications",    "auditor",   200, 200, 403),
    ("list notifications",    "admin",     200, 200, 403),
    ("list notifications",    "none",      401, 401, 401),
    # reporting (8004); the report of the target's commune, filtered to the caller's jurisdiction
    ("read report",           "unit",      403, 403, 403),
    ("read report",           "reviewer",  200, 200, 200),
    ("read report",           "approver",  200, 200, 200),
    ("read report",           "auditor",   200, 200, 200),
    ("read report",           "admin",     200, 200, 200),
    ("read report",           "none",      401, 401, 401),
    # Nha Trang's report manifest, reproduced
    ("reproduce report",      "unit",      403, 403, 403),
    ("reproduce report",      "reviewer",  200, 200, 200),
    ("reproduce report",      "approver",  200, 200, 200),
    ("reproduce report",      "auditor",   200, 200, 200),
    ("reproduce report",      "admin",     200, 200, 200),
    ("reproduce report",      "none",      401, 401, 401),
    ("read unit history",     "unit",      200, 403, 403),
    ("read unit history",     "reviewer",  200, 200, 403),
    ("read unit history",     "approver",  200, 200, 403),
    ("read unit history",     "auditor",   200, 200, 403),
    ("read unit history",     "admin",     200, 200, 403),
    ("read unit history",     "none",      401, 401, 401),
    ("verify audit chains",   "unit",      403, 403, 403),
    ("verify audit chains",   "reviewer",  403, 403, 403),
    ("verify audit chains",   "approver",  403, 403, 403),
    ("verify audit chains",   "auditor",   200, 200, 200),
    ("verify audit chains",   "admin",     200, 200, 200),
    ("verify audit chains",   "none",      401, 401, 401),
]
# fmt: on
ROLES = ("unit", "reviewer", "approver", "auditor", "admin", "none")


class Worlds:
    """Seeded templates per service; one shared app for requests that change nothing."""

    def __init__(self, tmp_path_factory):
        self.factory = tmp_path_factory
        self.templates, self.facts, self.shared = {}, {}, {}

    def _template(self, service: str):
        if service not in self.templates:
            directory = self.factory.mktemp(f"{service}-world")
            self.facts[service] = seed(service, directory)
            self.templates[service] = directory
        return self.templates[service]

    def app_for(self, service: str, changes_state: bool):
        """A private copy when the request may change the world, else the shared app."""
        template = self._template(service)
        if changes_state:
            return build_app(service, copy_world(template, self.factory.mktemp(service)))
        if service not in self.shared:
            self.shared[service] = build_app(service, template)
        return self.shared[service]


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    return Worlds(tmp_path_factory)


def headers_of(app, service: str, caller: str) -> dict:
    if caller == "none":
        return {}
    if caller == "unit":
        return bearer(app, "unit", "clerk-own-ra", unit_id="own-ra")
    scope = "vinh-hai" if (service, caller) == ("review", "approver") else "nha-trang"
    return bearer(app, caller, f"{caller}-matrix", jurisdiction=scope)


def status_of(worlds: Worlds, endpoint: str, caller: str, target: str, expected: int) -> int:
    service, method = ENDPOINTS[endpoint][:2]
    # A refused request writes nothing, so only an expected success needs a private world.
    app = worlds.app_for(service, changes_state=method != "GET" and expected < 300)
    _, method, url, kwargs = request_for(endpoint, TARGETS[target], worlds.facts[service])
    answer = app.test_client().open(
        url, method=method, headers=headers_of(app, service, caller), **kwargs
    )
    if answer.status_code >= 400:
        body = answer.get_json()
        # The contract's error shape (an import refusal adds its row-by-row `report`).
        assert {"code", "status", "message", "errors"} <= set(body), body
        assert body["code"] == answer.status_code, body
    return answer.status_code


def test_the_matrix_names_every_endpoint_once_per_role():
    assert sorted({(e, r) for e, r, *_ in MATRIX}) == sorted(
        (e, r) for e in ENDPOINTS for r in ROLES
    )
    assert len(MATRIX) == len(ENDPOINTS) * len(ROLES)


@pytest.mark.parametrize(
    ("endpoint", "caller", "own", "other_unit", "other_jurisdiction"),
    MATRIX,
    ids=[f"{e}-{r}" for e, r, *_ in MATRIX],
)
def test_each_role_gets_the_status_the_table_gives_for_each_target(
    worlds, endpoint, caller, own, other_unit, other_jurisdiction
):
    expected = {"own": own, "other_unit": other_unit, "other_jurisdiction": other_jurisdiction}
    observed = {
        target: status_of(worlds, endpoint, caller, target, status)
        for target, status in expected.items()
    }
    assert observed == expected


LISTINGS = [
    ("registration", "/api/v1/units?commune_code=cam-linh"),
    ("registration", "/api/v1/units"),
    ("review", "/api/v1/cases?year=2025&commune_code=cam-linh"),
    ("review", "/api/v1/cases?year=2025"),
    ("notification", "/api/v1/notifications?year=2026"),
    ("reporting", "/api/v1/reports/2026?commune_code=cam-linh"),
    ("reporting", "/api/v1/reports/2026"),
]


@pytest.mark.parametrize(("service", "url"), LISTINGS)
@pytest.mark.parametrize("caller", ["reviewer", "approver", "auditor", "admin"])
def test_listings_show_an_official_nothing_of_another_jurisdiction(worlds, service, url, caller):
    app = worlds.app_for(service, changes_state=False)
    answer = app.test_client().get(url, headers=headers_of(app, service, caller))
    assert answer.status_code == 200, answer.get_json()
    assert "far-ra" not in answer.get_data(as_text=True)
