"""Sign-in behind one small port: the development one lists demo accounts and mints tokens.

A later OpenID Connect sign-in implements the same `SignIn` (its `start` sends the browser to the
provider, its `finish` reads the provider's answer); the portal only keeps the `Person`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Protocol

from shared.auth import ROLES, mint_token


class SignInRefused(Exception):
    """The sign-in form or the provider's answer was not acceptable (shown on the page)."""


@dataclass(frozen=True)
class Person:
    sub: str
    role: str
    token: str
    unit_id: str | None = None
    jurisdiction: str | None = None

    def to_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data) -> Person | None:
        if not isinstance(data, dict) or data.get("role") not in ROLES or not data.get("token"):
            return None
        return cls(**{k: data.get(k) for k in ("sub", "role", "token", "unit_id", "jurisdiction")})


@dataclass(frozen=True)
class Account:
    """One demo account offered on the development sign-in page."""

    key: str
    sub: str
    role: str
    jurisdiction: str | None
    description: str


class SignIn(Protocol):
    kind: str

    def accounts(self) -> list[Account]: ...

    def finish(self, form: dict) -> Person: ...


DEMO_ACCOUNTS = (
    Account("admin", "admin-nt", "admin", "nha-trang", "Quản trị, thành phố Nha Trang"),
    Account("reviewer", "reviewer-nt", "reviewer", "nha-trang", "Cán bộ thẩm định, Công an TP"),
    Account("approver", "approver-nt", "approver", "nha-trang", "Chủ tịch UBND thành phố"),
    Account("auditor", "auditor-kh", "auditor", "khanh-hoa", "Kiểm tra, tỉnh Khánh Hòa"),
)
_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class DevelopmentSignIn:
    """Demo accounts of each role; a unit or a commune official by its code. Never in production."""

    jwt_secret: str
    issuer: str
    audience: str
    kind: str = "development"

    def accounts(self) -> list[Account]:
        return list(DEMO_ACCOUNTS)

    def finish(self, form: dict) -> Person:
        key = form.get("account", "")
        chosen = next((a for a in DEMO_ACCOUNTS if a.key == key), None)
        if chosen:
            return self._person(chosen.role, chosen.sub, None, chosen.jurisdiction)
        code = (form.get("code") or "").strip().lower()
        if key not in ("unit", "commune-approver") or not _CODE.match(code):
            raise SignInRefused("Chọn một tài khoản, hoặc nhập mã đơn vị / mã xã, phường hợp lệ.")
        if key == "unit":
            return self._person("unit", f"user-{code}", code, None)
        return self._person("approver", f"approver-{code}", None, code)

    def _person(self, role, sub, unit_id, jurisdiction) -> Person:
        token = mint_token(
            self.jwt_secret,
            role,
            sub,
            unit_id,
            jurisdiction,
            issuer=self.issuer,
            audience=self.audience,
        )
        return Person(sub, role, token, unit_id, jurisdiction)


@dataclass(frozen=True)
class NoSignIn:
    """Production before single sign-on is configured: nobody can sign in, and the page says so."""

    kind: str = "none"

    def accounts(self) -> list[Account]:
        return []

    def finish(self, form: dict) -> Person:
        raise SignInRefused(
            "Chưa cấu hình đăng nhập một lần (OpenID Connect) cho cổng thông tin này; "
            "liên hệ quản trị hệ thống."
        )
