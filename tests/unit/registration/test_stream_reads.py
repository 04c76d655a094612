"""Several streams read at once: each gets its own events in order, as when read one by one."""

from __future__ import annotations

from services.registration.adapters import repository as repo
from shared.events.registration import unit_stream
from shared.persistence.stream_reads import events_of_streams


def test_several_streams_read_together_equal_each_stream_read_alone(build, rt):
    build.campaign()
    build.commune()
    build.unit("kdc-1")
    build.client.patch("/api/v1/units/kdc-1", json={"name": "KDC 1"}, headers=build.admin)
    assert build.register("kdc-1").status_code == 201
    streams = [
        unit_stream("kdc-1"),
        repo.campaign_stream(2026),
        repo.case_stream("kdc-1", 2026),
    ]
    with rt.engine.connect() as conn:
        together = events_of_streams(rt.store, conn, [*streams, unit_stream("nobody")])
        alone = {s: [rt.store.decode(env) for env in rt.store.load(conn, s)] for s in streams}
    assert {s: together[s] for s in streams} == alone
    assert [type(e).__name__ for e in together[streams[0]]] == ["UnitAdded", "UnitUpdated"]
    assert together[unit_stream("nobody")] == []
