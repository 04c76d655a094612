"""Every event registration emits validates against its schema and goes out keyed by unit_id."""

from datetime import datetime

from shared.clock import VIETNAM
from shared.envelope import Envelope
from shared.events import REGISTRY, TOPICS
from shared.messaging.memory import InMemoryBroker
from shared.messaging.outbox import OutboxRelay

EMITTED = {
    "CampaignScheduled",
    "UnitAdded",
    "UnitUpdated",
    "UnitRegistered",
    "LateExceptionGranted",
    "DossierSubmitted",
}


def test_each_event_type_lands_on_antt_registration_keyed_by_unit_id(build, rt, clock):
    build.campaign()
    build.commune()
    build.unit("kdc-1")
    build.client.patch("/api/v1/units/kdc-1", json={"name": "KDC 1"}, headers=build.admin)
    assert build.register("kdc-1").status_code == 201
    clock.advance(datetime(2026, 12, 2, 9, 0, tzinfo=VIETNAM) - clock.now())
    grant = {"unit_id": "kdc-1", "year": 2026, "step": "dossier", "reason": "Bão"}
    assert build.post("/late-exceptions", grant).status_code == 201
    assert build.submit("kdc-1").status_code == 201

    broker = InMemoryBroker()
    relay = OutboxRelay(rt.engine, broker, TOPICS["registration"], rt.clock)
    while relay.publish_pending():
        pass
    records = [r for log in broker.topics[TOPICS["registration"]] for r in log]
    assert set(broker.topics) == {"antt.registration"}
    seen = set()
    for record in records:
        env = Envelope.from_bytes(record.value)
        assert env.hash_ok
        event = REGISTRY.decode(env.event_type, env.event_version, env.payload)
        expected_key = getattr(event, "unit_id", None) or f"campaign-{event.year}"
        assert record.key == expected_key, env.event_type
        assert record.headers["event_id"] == env.event_id
        seen.add(env.event_type)
    assert seen == EMITTED
