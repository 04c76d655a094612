"""Parked events over HTTP, alike on every service (here registration's): who lists, who settles."""

from __future__ import annotations

from shared.messaging.claims import Unprocessable
from shared.messaging.parking import ParkingLot
from shared.messaging.ports import Record
from shared.runtime import consumer_name


def park_two(rt):
    lot = ParkingLot(rt.engine, consumer_name("registration"), rt.clock)
    lot.park(
        Record("antt.review", 0, 7, "u", b"not json", {}), Unprocessable("hỏng", kind="malformed")
    )
    lot.park(
        Record("antt.review", 0, 8, "u", b"still not", {}), Unprocessable("hỏng", kind="malformed")
    )


def test_an_admin_lists_replays_and_discards_parked_events(client, token, rt):
    park_two(rt)
    r = client.get("/api/v1/parked", headers=token("admin"))
    assert r.status_code == 200, r.json
    first, second = r.json
    assert (first["offset"], first["kind"], first["status"]) == (7, "malformed", "parked")

    r = client.post("/api/v1/parked/replay", json={"ids": [first["id"]]}, headers=token("admin"))
    assert r.status_code == 200, r.json
    assert r.json[0]["id"] == first["id"] and r.json[0]["outcome"] == "parked"

    body = {"ids": [second["id"], 999], "reason": "bản ghi rác"}
    r = client.post("/api/v1/parked/discard", json=body, headers=token("admin"))
    assert [o["outcome"] for o in r.json] == ["discarded", "not parked"]
    listed = client.get("/api/v1/parked?status=all", headers=token("admin")).json
    assert {p["id"]: p["status"] for p in listed} == {
        first["id"]: "parked",
        second["id"]: "discarded",
    }


def test_an_auditor_may_list_but_not_settle_and_a_unit_may_not_list(client, token, rt):
    park_two(rt)
    assert client.get("/api/v1/parked", headers=token("auditor")).status_code == 200
    r = client.post("/api/v1/parked/replay", json={"ids": [1]}, headers=token("auditor"))
    assert r.status_code == 403
    assert client.get("/api/v1/parked", headers=token("unit", unit_id="u")).status_code == 403
