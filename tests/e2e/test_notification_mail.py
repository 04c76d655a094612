"""Notification in the whole system: the development SMTP server the stack starts keeps every
mail under var/mail/, officials hear of their steps, and the scheduler process sends reminders."""

from __future__ import annotations

import email
import email.policy
import os

import pytest

from tests.e2e import flow
from tests.e2e.client import wait_until

pytestmark = pytest.mark.e2e
REVIEWERS = "thuongtruc.antt@congan.nhatrang.example.vn"
WARD_CHAIR = "chutich.bac-nha-trang@khanhhoa.example.vn"
# The scheduler process ticks every second here (the default is every 15 minutes).
FAST_ENV = {"ANTT_SCHEDULER_INTERVAL_S": "1", "ANTT_NOTIFY_SENDER_POLL_S": "0.2"}


@pytest.fixture(scope="module", autouse=True)
def fast_notification_processes():
    """Set before the module's `system` starts: the stack passes os.environ to its processes."""
    saved = {k: os.environ.get(k) for k in FAST_ENV}
    os.environ.update(FAST_ENV)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def mails(system, to: str) -> list:
    folder = system.stack.var_dir / "mail"
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    found = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]
    return [m for m in found if m["Delivered-To"] == to]


def subjects(system, to: str, about: str = "") -> list[str]:
    return sorted(m["Subject"] for m in mails(system, to) if about in m["Subject"])


def recommend(system, unit_id: str, criteria: list[str]) -> None:
    case = flow.case_in_review(system, unit_id, "dossier_submitted")
    r = system.api(
        "review",
        "POST",
        f"/cases/{unit_id}/2026/recommendation",
        "reviewer",
        {
            "recommendation": "not_achieved",
            "expected_version": case["version"],
            "findings": [
                {"criterion_id": c, "met": c != criteria[0], "note": ""} for c in criteria
            ],
        },
    )
    assert r.status == 201, r.json


def test_each_step_reaches_the_unit_and_the_officials_once_through_real_smtp(system):
    flow.setup_campaign_and_commune(system)
    flow.add_unit(system, "kdc-thu")
    flow.register_late(system, "kdc-thu")
    criteria = flow.criteria_of(system)
    flow.case_in_review(system, "kdc-thu", "registered")
    flow.submit_dossier(system, "kdc-thu", criteria)
    recommend(system, "kdc-thu", criteria)
    name, unit = "Khu dân cư kdc-thu", "kdc-thu@example.vn"
    steps = [
        f"Đã nhận đăng ký phấn đấu đạt chuẩn ANTT năm 2026 – {name}",
        f"Đã nhận hồ sơ đề nghị công nhận năm 2026 – {name}",
        f"Đã có kết quả thẩm định hồ sơ năm 2026 – {name}",
    ]
    wait_until(lambda: set(steps) <= set(subjects(system, unit)), "a mail for every step")
    # The scheduler may also have reminded the unit of its dossier in between: never twice.
    got = subjects(system, unit)
    assert all(got.count(s) == 1 for s in steps)
    assert len([s for s in got if s.startswith("Nhắc hạn")]) <= 1
    [result] = [m for m in mails(system, unit) if m["Subject"] == steps[2]]
    assert f"- {criteria[0]}" in result.get_body(("plain",)).get_content()

    wait_until(lambda: subjects(system, WARD_CHAIR, name), "the commune chairman's mail")
    assert subjects(system, WARD_CHAIR, name) == [
        f"Đề nghị ra quyết định công nhận năm 2026 – {name}"
    ]
    assert subjects(system, REVIEWERS, name) == [f"Hồ sơ mới chờ thẩm định năm 2026 – {name}"]


def test_officials_and_the_unit_read_the_notifications_with_every_attempt(system):
    def all_sent():
        r = system.api(
            "notification", "GET", "/notifications?unit_id=kdc-thu&audience=all", "auditor"
        )
        done = r.status == 200 and len(r.json) >= 5 and all(n["status"] == "sent" for n in r.json)
        return r.json if done else None

    notes = wait_until(all_sent, "every notification about kdc-thu sent")
    audiences = sorted(n["audience"] for n in notes if n["cause_event_type"] != "Reminder")
    assert audiences == ["approver", "reviewer", "unit", "unit", "unit"]
    assert all(n["attempt_log"][-1]["outcome"] == "sent" for n in notes)
    own = system.api("notification", "GET", "/notifications", token=system.unit_token("kdc-thu"))
    assert own.status == 200 and {n["audience"] for n in own.json} == {"unit"}
    other = system.api(
        "notification", "GET", "/notifications?unit_id=kdc-thu", token=system.unit_token("kdc-x")
    )
    assert other.status == 403


def test_the_scheduler_reminds_a_registered_unit_without_dossier_once(system):
    reminder = "Nhắc hạn nộp hồ sơ đề nghị công nhận năm 2026 (30/11/2026) – Khu dân cư {}"
    flow.add_unit(system, "kdc-nhac-1")
    flow.register_late(system, "kdc-nhac-1")
    wait_until(
        lambda: reminder.format("kdc-nhac-1") in subjects(system, "kdc-nhac-1@example.vn"),
        "the scheduler's reminder (10 days before 30/11)",
    )
    # A unit registered later is reminded by a later tick: by then the first has had several.
    flow.add_unit(system, "kdc-nhac-2")
    flow.register_late(system, "kdc-nhac-2")
    wait_until(
        lambda: reminder.format("kdc-nhac-2") in subjects(system, "kdc-nhac-2@example.vn"),
        "a later tick's reminder",
    )
    first = subjects(system, "kdc-nhac-1@example.vn")
    assert first.count(reminder.format("kdc-nhac-1")) == 1
    text = next(
        m for m in mails(system, "kdc-nhac-1@example.vn") if m["Subject"].startswith("Nhắc")
    ).get_body(("plain",))
    assert "Hạn nộp hồ sơ là ngày 30/11/2026 (còn 10 ngày)" in text.get_content()
