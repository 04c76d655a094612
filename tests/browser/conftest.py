"""Browser tests: Debian's Chromium driving the portal over the whole real stack.

One stack (embedded broker, PostgreSQL, every service and the portal) serves the package.
A failing test keeps a screenshot of each page it had open, in test-results/.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import pytest

from shared.broker import EmbeddedBroker, free_port
from shared.stack import WORKERS, Stack
from tests.e2e.conftest import E2E_CLOCK, System

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
APIS = tuple(s for s in WORKERS if s != "portal")


SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def pytest_collection_modifyitems(items):
    # Every browser test runs the whole system as real processes.
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": chromium, "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def system(pg, tmp_path_factory):
    broker = EmbeddedBroker(free_port(), tmp_path_factory.mktemp("browser") / "broker.log").start()
    urls = {s: pg.new(f"br_{s}") for s in APIS}
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "ANTT_CLOCK": E2E_CLOCK,
        "ANTT_RELAY_PROBE_INTERVAL_S": "1",
        **{f"ANTT_{s.upper()}_DATABASE_URL": url for s, url in urls.items()},
    }
    ports = {s: free_port() for s in WORKERS}
    stack = Stack(tmp_path_factory.mktemp("var"), env=env, ports=ports, api_workers=1)
    system = None
    try:
        stack.start()
        system = System(stack, broker, urls)
        yield system
    finally:
        stack.stop()
        broker.stop()
        for engine in system.engines.values() if system else ():
            engine.dispose()


@pytest.fixture(scope="session")
def portal(system) -> str:
    return system.stack.url("portal")


class People:
    """Opens a browser context signed in as a demo account (or a unit / commune official)."""

    def __init__(self, browser, portal: str, viewport=None):
        self.browser, self.portal, self.viewport = browser, portal, viewport
        self.contexts = []

    def sign_in(self, account: str, code: str | None = None):
        options = {
            "base_url": self.portal,
            "locale": "vi-VN",
            "accept_downloads": True,
            # axe-core is injected as an inline script, which the portal's CSP forbids.
            "bypass_csp": True,
        }
        if self.viewport:
            options["viewport"] = self.viewport
        context = self.browser.new_context(**options)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto("/dang-nhap")
        if account == "unit":
            page.get_by_label("Mã đơn vị").fill(code)
            page.get_by_role("button", name="Đăng nhập như đơn vị").click()
        elif account == "commune-approver":
            page.get_by_label("Mã xã, phường").fill(code)
            page.get_by_role("button", name="Đăng nhập", exact=True).click()
        else:
            names = {
                "admin": "Quản trị",
                "reviewer": "Cán bộ thẩm định",
                "approver": "Người có thẩm quyền quyết định",
                "auditor": "Kiểm tra, giám sát",
            }
            page.get_by_role("button", name=names[account]).click()
        page.wait_for_load_state()
        return page

    def close(self, failed_test: str | None = None):
        """Close every context; a failing test keeps a screenshot of each of its pages."""
        for i, context in enumerate(self.contexts):
            for j, page in enumerate(context.pages if failed_test else ()):
                SCREENSHOTS.mkdir(exist_ok=True)
                # A page that crashed has nothing to show.
                with contextlib.suppress(Exception):
                    page.screenshot(
                        path=str(SCREENSHOTS / f"{failed_test}-{i}-{j}.png"), full_page=True
                    )
            context.close()


def _failed(request) -> str | None:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    return name if getattr(request.node, "browser_failed", False) else None


@pytest.fixture
def people(browser, portal, request):
    crowd = People(browser, portal)
    yield crowd
    crowd.close(_failed(request))


@pytest.fixture
def phone_people(browser, portal, request):
    crowd = People(browser, portal, viewport={"width": 375, "height": 740})
    yield crowd
    crowd.close(_failed(request))


def axe_violations(page) -> list[dict]:
    """Serious or critical axe-core findings on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
