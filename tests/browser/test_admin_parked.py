"""An admin in the browser: parked events discarded, units imported from CSV and edited."""

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


def test_an_admin_imports_units_from_csv_all_or_nothing_and_edits_one(people, tmp_path):
    header = "unit_id,name,unit_type,commune_code,managing_level,has_party_organization,"
    header += "contact_email\n"
    good = "vinh-luong,Phường Vĩnh Lương,commune,vinh-luong,province,có,vl@example.vn\n"
    good += "kdc-csv-1,Khu dân cư CSV 1,residential_area,vinh-luong,commune,có,a@example.vn\n"
    bad = "kdc-csv-2,Khu dân cư CSV 2,residential_area,vinh-luong,commune,có,not-an-email\n"
    admin = people.sign_in("admin")
    admin.goto("/quan-tri/nhap-csv")
    admin.get_by_label("Tệp CSV (UTF-8)").set_input_files(
        {"name": "don-vi.csv", "mimeType": "text/csv", "buffer": (header + good + bad).encode()}
    )
    admin.get_by_role("button", name="Gửi tệp").click()
    expect(admin.get_by_role("row").filter(has_text="Bị từ chối")).to_have_count(1)
    expect(admin.get_by_text("Kết quả (chưa nhập)")).to_be_visible()

    admin.get_by_label("Tệp CSV (UTF-8)").set_input_files(
        {"name": "don-vi.csv", "mimeType": "text/csv", "buffer": (header + good).encode()}
    )
    admin.get_by_role("button", name="Gửi tệp").click()
    expect(admin.get_by_text("Kết quả (đã nhập)")).to_be_visible()

    admin.goto("/quan-tri/don-vi?q=csv 1")
    admin.get_by_role("link", name="Khu dân cư CSV 1").click()
    admin.get_by_label("Tên đơn vị").fill("Khu dân cư Lương Sơn")
    admin.get_by_role("button", name="Lưu").click()
    expect(admin.get_by_text("Đã cập nhật đơn vị kdc-csv-1")).to_be_visible()
    admin.goto("/quan-tri/don-vi?q=luong son")
    expect(admin.get_by_role("link", name="Khu dân cư Lương Sơn")).to_be_visible()
