"""The portal app without the APIs: sign-in, the session cookie, CSRF, refusals as pages."""

from __future__ import annotations

import re

import pytest

from services.portal.entrypoints.api import create_app
from services.portal.settings import PortalSettings, SettingsRefused

UNREACHABLE = {
    s: "http://127.0.0.1:9" for s in ("registration", "review", "notification", "reporting")
}


@pytest.fixture
def app():
    app = create_app(PortalSettings(api_urls=UNREACHABLE, api_timeout_s=0.5))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_sign_in_page_is_vietnamese_and_lists_a_demo_account_of_each_role(client):
    html = client.get("/dang-nhap").get_data(as_text=True)
    assert '<html lang="vi">' in html
    for role in ("Quản trị", "Cán bộ thẩm định", "Người có thẩm quyền quyết định", "Kiểm tra"):
        assert role in html


def test_signing_in_sets_an_http_only_same_site_cookie_and_goes_to_the_role_home(client):
    token = csrf_of(client.get("/dang-nhap").get_data(as_text=True))
    r = client.post("/dang-nhap", data={"account": "reviewer", "csrf_token": token})
    assert r.status_code == 303 and r.headers["Location"] == "/tham-dinh"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_form_without_its_csrf_token_is_refused(client):
    r = client.post("/dang-nhap", data={"account": "reviewer"})
    assert r.status_code == 400
    assert "CSRF" in r.get_data(as_text=True)


def test_a_page_needing_a_role_sends_a_stranger_to_sign_in_and_refuses_another_role(client):
    r = client.get("/tham-dinh")
    assert r.status_code == 302 and r.headers["Location"].startswith("/dang-nhap?next=")
    token = csrf_of(client.get("/dang-nhap").get_data(as_text=True))
    client.post("/dang-nhap", data={"account": "unit", "code": "kdc-1", "csrf_token": token})
    assert client.get("/tham-dinh").status_code == 403


def test_an_api_that_does_not_answer_gives_a_page_saying_to_try_again(client):
    token = csrf_of(client.get("/dang-nhap").get_data(as_text=True))
    client.post("/dang-nhap", data={"account": "reviewer", "csrf_token": token})
    r = client.get("/tham-dinh")
    assert r.status_code == 503
    assert "Không kết nối được dịch vụ review" in r.get_data(as_text=True)


def test_sign_in_only_returns_to_a_path_on_this_site(client):
    token = csrf_of(client.get("/dang-nhap").get_data(as_text=True))
    r = client.post(
        "/dang-nhap",
        data={"account": "admin", "csrf_token": token, "next": "//evil.example/x"},
    )
    assert r.headers["Location"] == "/quan-tri/lich"


def test_production_offers_no_demo_accounts_and_needs_its_own_session_secret():
    with pytest.raises(SettingsRefused):
        PortalSettings.from_env({"ANTT_ENV": "production"})
    settings = PortalSettings(api_urls=UNREACHABLE, environment="production", secret_key="x" * 40)
    client = create_app(settings).test_client()
    html = client.get("/dang-nhap").get_data(as_text=True)
    assert "Quản trị" not in html and "chưa được cấu hình" in html


def test_every_page_forbids_outside_scripts_styles_and_frames(client):
    csp = client.get("/dang-nhap").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_the_case_address_in_e_mails_opens_the_right_page_for_each_role(client):
    assert client.get("/cases/kdc-1/2026").headers["Location"].startswith("/dang-nhap?next=")
    token = csrf_of(client.get("/dang-nhap").get_data(as_text=True))
    client.post("/dang-nhap", data={"account": "unit", "code": "kdc-1", "csrf_token": token})
    assert client.get("/cases/kdc-1/2026").headers["Location"] == "/don-vi?nam=2026"
    token = csrf_of(client.get("/dang-nhap").get_data(as_text=True))
    client.post("/dang-nhap", data={"account": "reviewer", "csrf_token": token})
    assert client.get("/cases/kdc-1/2026").headers["Location"] == "/ho-so/kdc-1/2026"


def test_an_unexpected_failure_is_a_vietnamese_page_not_a_stack_trace(app):
    @app.get("/hong")
    def broken():
        raise RuntimeError("boom")

    app.config["TESTING"] = False
    r = app.test_client().get("/hong")
    assert r.status_code == 500
    assert '<html lang="vi">' in r.text and "Lỗi hệ thống" in r.text and "boom" not in r.text
