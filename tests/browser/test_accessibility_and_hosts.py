"""axe-core finds no serious or critical violation on any page type, and nothing the portal
serves refers to or loads from an outside host."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.e2e import flow

UNIT, OTHER, COMMUNE = "kdc-axe", "kdc-axe-2", "nam-nha-trang"  # a ward of 2026
OUTSIDE = re.compile(r"""(?:src|href|action)=["'](?:https?:)?//(?!127\.0\.0\.1|localhost)""")


@pytest.fixture(scope="module")
def cases(system):
    """One unit waiting for review and one waiting for a decision, set up over the APIs."""
    flow.setup_campaign_and_commune(system, COMMUNE)
    criteria = flow.criteria_of(system)
    for unit_id in (UNIT, OTHER):
        flow.add_unit(system, unit_id, COMMUNE)
        flow.register_late(system, unit_id)
        flow.case_in_review(system, unit_id, "registered")
        flow.submit_dossier(system, unit_id, criteria)
    case = flow.case_in_review(system, OTHER, "dossier_submitted")
    r = system.api(
        "review",
        "POST",
        f"/cases/{OTHER}/{flow.YEAR}/recommendation",
        "reviewer",
        {
            "recommendation": "achieved",
            "expected_version": case["version"],
            "findings": [{"criterion_id": c, "met": True, "note": ""} for c in criteria],
        },
    )
    assert r.status == 201, r.json
    flow.case_in_review(system, UNIT, "dossier_submitted")
    return criteria


Y = flow.YEAR
PAGES = {
    "unit": [
        f"/don-vi?nam={Y}",
        f"/don-vi/dang-ky?nam={Y}",
        f"/don-vi/ho-so?nam={Y}",
        f"/don-vi/thong-bao?nam={Y}",
    ],
    "reviewer": [f"/tham-dinh?nam={Y}", f"/ho-so/{UNIT}/{Y}"],
    "commune-approver": [
        f"/quyet-dinh?nam={Y}",
        f"/quyet-dinh/hang-loat?nam={Y}",
        f"/ho-so/{OTHER}/{Y}",
    ],
    "auditor": [f"/bao-cao?nam={Y}", f"/lich-su/{UNIT}?nam={Y}", "/kiem-tra"],
    "admin": [
        f"/quan-tri/lich?nam={Y}",
        "/quan-tri/don-vi",
        "/quan-tri/don-vi/moi",
        f"/quan-tri/don-vi/{UNIT}",
        "/quan-tri/nhap-csv",
        f"/quan-tri/ngoai-le?nam={Y}",
        "/quan-tri/su-kien-giu-lai",
        "/khong-co-trang-nay",
    ],
}
CODES = {"unit": UNIT, "commune-approver": COMMUNE}


@pytest.mark.parametrize("role", PAGES)
def test_every_page_type_has_no_serious_accessibility_violation_and_no_outside_host(
    people, portal, cases, role
):
    page = people.sign_in(role, CODES.get(role))
    portal_host = urlparse(portal).netloc
    loaded = []
    page.on("request", lambda req: loaded.append(req.url))
    found = {}
    for path in PAGES[role]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "vi"
        if problems := axe_violations(page):
            found[path] = problems
        assert not OUTSIDE.search(page.content()), f"{path} refers to an outside host"
    assert found == {}
    outside = [u for u in loaded if urlparse(u).netloc not in (portal_host, "")]
    assert outside == []


def test_the_sign_in_page_has_no_serious_accessibility_violation(people, portal):
    context = people.browser.new_context(base_url=portal, bypass_csp=True)
    people.contexts.append(context)
    page = context.new_page()
    page.goto("/dang-nhap")
    assert axe_violations(page) == []


@pytest.mark.parametrize("service", ["registration", "review", "notification", "reporting"])
def test_api_docs_render_with_the_network_off(browser, system, service):
    context = browser.new_context()
    try:
        outside = []
        context.route(
            re.compile(r"^https?://(?!127\.0\.0\.1[:/])"),
            lambda route: (outside.append(route.request.url), route.abort()),
        )
        page = context.new_page()
        page.goto(system.stack.url(service) + "/api/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text(f"antt {service}")
        assert outside == []
    finally:
        context.close()
