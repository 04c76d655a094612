"""Event contracts: every golden sample of every version loads; the envelope hash is exact."""

import hashlib
import json
from pathlib import Path

import pytest

from shared.envelope import Envelope, EnvelopeInvalid, canonical_json
from shared.events import REGISTRY, Registry
from shared.events.registry import EventVersionTooNew, PayloadInvalid, UnknownEventType

GOLDEN = sorted((Path(__file__).resolve().parents[2] / "golden").glob("*.json"))


def load_golden(path):
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_sample_loads_and_round_trips(path):
    sample = load_golden(path)
    event = REGISTRY.decode(sample["event_type"], sample["event_version"], sample["payload"])
    name, version, payload = REGISTRY.encode(event)
    assert name == sample["event_type"]
    assert REGISTRY.decode(name, version, payload) == event


def test_every_registered_event_has_a_golden_sample_of_its_current_version():
    have = {p.name for p in GOLDEN}
    missing = [
        f"{n}.v{s.version}.json"
        for n, s in REGISTRY.specs.items()
        if f"{n}.v{s.version}.json" not in have
    ]
    assert missing == []


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_consumers_ignore_fields_they_do_not_know(path):
    sample = load_golden(path)
    payload = {**sample["payload"], "field_from_the_future": {"x": 1}}
    assert REGISTRY.decode(sample["event_type"], sample["event_version"], payload)


def test_a_payload_missing_a_required_field_is_refused_with_the_field_named():
    with pytest.raises(PayloadInvalid) as err:
        REGISTRY.decode("UnitRegistered", 1, {"unit_id": "x"})
    assert "year" in err.value.errors


def test_a_newer_version_than_the_code_knows_is_refused_and_unknown_types_are_named():
    with pytest.raises(EventVersionTooNew):
        REGISTRY.decode("UnitAdded", 99, {})
    with pytest.raises(UnknownEventType):
        REGISTRY.decode("SomethingNew", 1, {})


def test_upcasters_lift_an_old_payload_through_every_version_in_turn():
    base = REGISTRY.specs["IncidentRecorded"]
    reg = Registry()
    reg.add("IncidentRecorded", base.event_class, base.schema, "review", version=3)
    reg.upcasters[("IncidentRecorded", 1)] = lambda p: {**p, "criterion_id": p.pop("criterion")}
    reg.upcasters[("IncidentRecorded", 2)] = lambda p: {**p, "description": p.get("text", "")}
    old = {
        "incident_id": "i",
        "unit_id": "u",
        "occurred_on": "2026-05-02",
        "criterion": "RA-3",
        "text": "vụ việc",
    }
    event = reg.decode("IncidentRecorded", 1, old)
    assert (event.criterion_id, event.description) == ("RA-3", "vụ việc")


def _envelope(**changes):
    fields = dict(
        event_id="e1",
        event_type="UnitAdded",
        event_version=1,
        occurred_at="2026-11-29T02:00:00.000000Z",
        producer="registration",
        stream_id="unit-u1",
        stream_version=1,
        unit_id="u1",
        year=None,
        actor={"sub": "admin-1", "role": "admin"},
        correlation_id="c1",
        causation_id=None,
        prev_hash=None,
        payload={"name": "Phường Vĩnh Hải", "n": [1, 2]},
    )
    return Envelope.sealed(**{**fields, **changes})


def test_the_hash_is_sha256_of_sorted_compact_utf8_json_without_the_hash_key():
    env = _envelope()
    wire = env.to_wire()
    del wire["hash"]
    text = json.dumps(wire, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert "Phường" in text
    assert env.hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert canonical_json(env.to_wire()) == env.to_bytes()


def test_changing_any_byte_of_an_envelope_breaks_its_hash():
    raw = _envelope().to_bytes()
    tampered = raw.replace("Vĩnh".encode(), b"Vinh")
    assert Envelope.from_bytes(raw).hash_ok
    assert not Envelope.from_bytes(tampered).hash_ok


@pytest.mark.parametrize("raw", [b"not json", b"[1,2]", b'{"event_id": "x"}', b"\xff\xfe"])
def test_malformed_messages_are_not_envelopes(raw):
    with pytest.raises(EnvelopeInvalid):
        Envelope.from_bytes(raw)


def test_an_envelope_field_added_by_a_newer_producer_is_kept_and_its_hash_still_verifies():
    wire = {k: v for k, v in _envelope().to_wire().items() if k != "hash"}
    wire["trace_id"] = "from-the-future"
    wire["hash"] = hashlib.sha256(canonical_json(wire)).hexdigest()
    env = Envelope.from_bytes(canonical_json(wire))
    assert env.hash_ok
    assert env.extra == {"trace_id": "from-the-future"}
    assert env.to_bytes() == canonical_json(wire)
