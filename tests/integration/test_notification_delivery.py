"""Notification over a real broker, PostgreSQL and a real SMTP server process: every trigger
makes exactly one message, redeliveries nothing more; SMTP outages are retried or given up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa

from services.notification.adapters.tables import metadata, notifications
from shared.broker import EmbeddedBroker, free_port
from shared.persistence.engine import create_schema
from tests.e2e.client import wait_until
from tests.integration.notification_harness import EventSource, NotificationProcesses
from tests.unit.notification.feeding import (
    annulled,
    campaign,
    decided,
    recommended,
    registered,
    returned,
    submitted,
    unit_added,
)

pytestmark = pytest.mark.integration
REVIEWERS = "thuongtruc.antt@congan.nhatrang.example.vn"
# Since 1/7/2025 a ward is recognised by the province (configuration, flagged unverified).
PROVINCE_APPROVER = "chutich.ubnd@khanhhoa.example.vn"


@dataclass
class World:
    procs: NotificationProcesses
    source: EventSource
    engine: sa.Engine

    def unit(self, unit_id: str, name: str) -> str:
        address = f"{unit_id}@example.vn"
        self.source.emit("registration", f"unit-{unit_id}", unit_added(unit_id, name, address))
        return address

    def records(self, unit_id: str):
        with self.engine.connect() as conn:
            q = sa.select(notifications).where(notifications.c.unit_id == unit_id)
            return list(conn.execute(q))

    def records_when(self, unit_id: str, status: str):
        """The unit's records once every one of them has `status`, else None."""
        found = self.records(unit_id)
        return found if found and all(r.status == status for r in found) else None

    def messages_when(self, address: str, count: int):
        found = self.procs.messages(address)
        return found if len(found) >= count else None

    def scalar(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()


@pytest.fixture(scope="module")
def world(pg, tmp_path_factory):
    folder = tmp_path_factory.mktemp("notification")
    broker = EmbeddedBroker(free_port(), folder / "broker.log").start()
    url = pg.new("notification")
    engine = sa.create_engine(url)
    create_schema(engine, metadata, service="notification")
    procs = NotificationProcesses(folder, broker.bootstrap, url, ANTT_NOTIFY_RETRY_ATTEMPTS="6")
    source = EventSource(f"sqlite:///{folder / 'source.db'}", broker.bootstrap)
    try:
        for kind in ("smtp", "consumer", "sender", "relay"):
            procs.start(kind)
        source.emit("registration", "campaign-2026", campaign())
        yield World(procs, source, engine)
    finally:
        procs.stop_all()
        source.close()
        engine.dispose()
        broker.stop()


def test_every_trigger_sends_exactly_one_message_with_recipient_subject_and_facts(world):
    address = world.unit("phuoc-hai", "Phường Phước Hải")
    case, review = "case-phuoc-hai-2026", "review-phuoc-hai-2026"
    world.source.emit("registration", case, registered("phuoc-hai", "Phường Phước Hải"))
    world.source.emit("registration", case, submitted("phuoc-hai"))
    world.source.emit("review", review, returned("phuoc-hai", due=date(2026, 12, 15)))
    world.source.emit("registration", case, submitted("phuoc-hai", revision=2))
    world.source.emit("review", review, recommended("phuoc-hai", "not_achieved"))
    world.source.emit("review", review, decided("phuoc-hai", "not_recognized"))
    world.source.emit("review", review, annulled("phuoc-hai"))

    mails = wait_until(
        lambda: world.messages_when(address, 7),
        "seven messages to the unit",
    )
    name = "Phường Phước Hải"
    assert sorted(m["Subject"] for m in mails) == sorted(
        [
            f"Đã nhận đăng ký phấn đấu đạt chuẩn ANTT năm 2026 – {name}",
            f"Đã nhận hồ sơ đề nghị công nhận năm 2026 – {name}",
            f"Hồ sơ đề nghị công nhận năm 2026 được trả lại để bổ sung – {name}",
            f"Đã nhận hồ sơ đề nghị công nhận năm 2026 (nộp lại lần 1) – {name}",
            f"Đã có kết quả thẩm định hồ sơ năm 2026 – {name}",
            f"Quyết định không công nhận đạt chuẩn ANTT năm 2026 – {name}",
            f"Hủy bỏ quyết định công nhận số 125/QĐ-UBND năm 2026 – {name}",
        ]
    )
    texts = {m["Subject"].split(" – ")[0]: m.get_body(("plain",)).get_content() for m in mails}
    assert (
        "nộp hồ sơ đề nghị công nhận chậm nhất ngày 30/11/2026"
        in texts["Đã nhận đăng ký phấn đấu đạt chuẩn ANTT năm 2026"]
    )
    returned_text = texts["Hồ sơ đề nghị công nhận năm 2026 được trả lại để bổ sung"]
    assert "- Thiếu biên bản cuộc họp" in returned_text and "trước ngày 15/12/2026" in returned_text
    decision_text = texts["Quyết định không công nhận đạt chuẩn ANTT năm 2026"]
    assert "Ngày 28/12/2026" in decision_text and "Quyết định số 125/QĐ-UBND" in decision_text
    assert all("https://antt.example.vn/api/v1/cases/phuoc-hai/2026" in t for t in texts.values())

    def officials():
        reviewers = [m for m in world.procs.messages(REVIEWERS) if name in m["Subject"]]
        approver = [m for m in world.procs.messages(PROVINCE_APPROVER) if name in m["Subject"]]
        return (reviewers, approver) if len(reviewers) >= 2 and approver else None

    reviewers, approver = wait_until(officials, "messages to reviewers and the approver")
    assert [m["Subject"] for m in reviewers] == [f"Hồ sơ mới chờ thẩm định năm 2026 – {name}"] * 2
    assert [m["Subject"] for m in approver] == [
        f"Đề nghị ra quyết định công nhận năm 2026 – {name}"
    ]
    request = approver[0].get_body(("plain",)).get_content()
    assert "thẩm quyền theo cấu hình chưa được đối chiếu văn bản" in request
    wait_until(lambda: world.records_when("phuoc-hai", "sent"), "every record sent")
    assert len(world.records("phuoc-hai")) == 10
    wait_until(
        lambda: (
            world.scalar(
                "SELECT count(*) FROM events e JOIN outbox o ON o.position = e.position "
                "WHERE e.unit_id = 'phuoc-hai' AND e.event_type = 'NotificationSent' "
                "AND o.published_at IS NOT NULL"
            )
            == 10
        ),
        "ten NotificationSent published on antt.notification",
    )


def test_a_redelivered_event_sends_nothing_more(world):
    address = world.unit("phuoc-long", "Phường Phước Long")
    env = world.source.emit("registration", "case-phuoc-long-2026", registered("phuoc-long"))
    world.source.publish("registration", env)  # the same record, once more
    world.source.publish("registration", env)
    # A later event of the same unit (same key, same partition) proves the copies were read.
    world.source.emit("registration", "case-phuoc-long-2026", submitted("phuoc-long"))
    wait_until(lambda: len(world.procs.messages(address)) >= 2, "the dossier message")
    subjects = [m["Subject"].split(" – ")[0] for m in world.procs.messages(address)]
    assert sorted(subjects) == [
        "Đã nhận hồ sơ đề nghị công nhận năm 2026",
        "Đã nhận đăng ký phấn đấu đạt chuẩn ANTT năm 2026",
    ]


def test_smtp_down_for_a_while_is_retried_then_delivered_once(world):
    world.procs.stop("smtp")
    try:
        address = world.unit("phuoc-tan", "Phường Phước Tân")
        world.source.emit("registration", "case-phuoc-tan-2026", registered("phuoc-tan"))
        wait_until(
            lambda: any(r.attempts >= 2 for r in world.records("phuoc-tan")),
            "two failed attempts while the SMTP server is down",
        )
    finally:
        world.procs.start("smtp")
    [record] = wait_until(
        lambda: world.records_when("phuoc-tan", "sent"),
        "the message to go out once the server is back",
    )
    assert record.attempts >= 3 and record.error is None
    assert len(world.procs.messages(address)) == 1
    tries = world.scalar(
        "SELECT string_agg(outcome, ',' ORDER BY attempt) FROM notification_attempts "
        "WHERE notification_id = :n",
        n=record.notification_id,
    )
    assert tries.split(",")[-1] == "sent" and set(tries.split(",")[:-1]) == {"failed"}


def test_smtp_down_for_good_ends_in_notification_failed(world):
    world.procs.stop("smtp")
    try:
        address = world.unit("vinh-tho", "Phường Vĩnh Thọ")
        world.source.emit("registration", "case-vinh-tho-2026", registered("vinh-tho"))
        [record] = wait_until(
            lambda: world.records_when("vinh-tho", "failed"),
            "the notification to be given up",
        )
    finally:
        world.procs.start("smtp")
    assert record.attempts == 6 and "ConnectionRefusedError" in record.error
    wait_until(
        lambda: (
            world.scalar(
                "SELECT count(*) FROM events e JOIN outbox o ON o.position = e.position "
                "WHERE e.unit_id = 'vinh-tho' AND e.event_type = 'NotificationFailed' "
                "AND o.published_at IS NOT NULL"
            )
            == 1
        ),
        "NotificationFailed published on antt.notification",
    )
    assert world.procs.messages(address) == []
