"""An admin sees the events a service set aside and discards one, in the browser."""

from __future__ import annotations

from playwright.sync_api import expect

from shared.messaging.kafka import KafkaPublisher
from shared.messaging.ports import Outgoing
from tests.e2e.client import wait_until


def test_an_admin_discards_a_malformed_message_review_parked(people, system):
    publisher = KafkaPublisher(system.broker.bootstrap, {}, "browser-test")
    publisher.publish("antt.registration", [Outgoing("kdc-rac", b'{"event_id": "x", ', {})])
    parked_id = wait_until(
        lambda: system.scalar(
            "review", "SELECT max(id) FROM parked WHERE status = 'parked' AND key = 'kdc-rac'"
        ),
        "review to park the malformed message",
    )
    admin = people.sign_in("admin")
    admin.goto("/quan-tri/su-kien-giu-lai")
    table = admin.get_by_role("table", name="sự kiện của review")
    expect(table).to_contain_text("malformed")
    table.get_by_label(f"Lý do bỏ qua #{parked_id}").fill("Bản ghi rác trong diễn tập")
    table.get_by_role("button", name=f"Bỏ qua #{parked_id}").click()
    expect(admin.get_by_text(f"review: #{parked_id}: discarded")).to_be_visible()
    status = system.scalar("review", "SELECT status FROM parked WHERE id = :i", i=parked_id)
    assert status == "discarded"
