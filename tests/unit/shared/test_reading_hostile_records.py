"""The consumer's decode path: whatever bytes arrive, it returns a reading or raises
Unprocessable with a kind and a reason — never anything else, and never slowly."""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.envelope import Envelope, canonical_json
from shared.events import REGISTRY
from shared.messaging.claims import Unprocessable
from shared.messaging.ports import Record
from shared.messaging.reading import read_record

TOPIC = "antt.registration"


def record(value: bytes, topic: str = TOPIC) -> Record:
    return Record(topic, 0, 7, "k", value, {})


def wire(**changes) -> dict:
    base = {
        "event_id": str(uuid.uuid4()),
        "event_type": "LateExceptionGranted",
        "event_version": 1,
        "occurred_at": "2026-11-20T02:00:00.000000Z",
        "producer": "registration",
        "stream_id": "case-kdc-1-2026",
        "stream_version": 1,
        "unit_id": "kdc-1",
        "year": 2026,
        "actor": {"sub": "admin", "role": "admin"},
        "correlation_id": str(uuid.uuid4()),
        "causation_id": None,
        "prev_hash": None,
        "payload": {"unit_id": "kdc-1", "year": 2026, "step": "registration", "reason": "x"},
    }
    return base | changes


def sealed(**changes) -> bytes:
    return Envelope.sealed(**wire(**changes)).to_bytes()


def outcome(value: bytes, topic: str = TOPIC) -> tuple[str, str]:
    try:
        read_record(record(value, topic), REGISTRY)
    except Unprocessable as err:
        assert err.reason and isinstance(err.reason, str)
        return err.kind, err.reason
    return "read", ""


def test_a_well_formed_event_is_read():
    assert outcome(sealed())[0] == "read"


def test_json_nested_hundreds_of_thousands_deep_is_refused_before_decoding():
    kind, reason = outcome(b"[" * 300_000 + b"]" * 300_000)
    assert kind == "malformed" and "nested deeper" in reason


def test_brackets_inside_strings_do_not_count_as_nesting():
    deep_text = "[" * 500 + '\\"{' * 100
    assert outcome(sealed(payload=wire()["payload"] | {"reason": deep_text}))[0] == "read"


def test_a_record_larger_than_the_wire_limit_is_refused_unread():
    kind, reason = outcome(b"{" + b" " * 1_000_001 + b"}")
    assert kind == "malformed" and "limit" in reason


def test_bytes_that_are_not_utf8_are_malformed():
    assert outcome(b"\xff\xfe{}")[0] == "malformed"


def test_a_number_of_five_thousand_digits_is_malformed_not_a_crash():
    assert outcome(b'{"event_id": ' + b"9" * 5000 + b"}")[0] == "malformed"


def test_json_that_is_not_an_object_is_malformed():
    assert outcome(b"[1, 2, 3]")[0] == "malformed"


def test_a_lone_surrogate_is_malformed():
    text = json.dumps(wire(stream_id="\ud800"), ensure_ascii=True)
    body = json.loads(text) | {"hash": "0" * 64}
    kind, reason = outcome(json.dumps(body, ensure_ascii=True).encode())
    assert kind == "malformed" and "Unicode" in reason


def test_impossible_versions_are_malformed():
    for version in (0, -1, 2**40):
        assert outcome(sealed(event_version=version))[0] == "malformed", version


def test_a_version_newer_than_the_code_is_too_new():
    assert outcome(sealed(event_version=99))[0] == "too_new"


def test_ids_longer_than_their_columns_are_malformed():
    assert outcome(sealed(event_id="e" * 37))[0] == "malformed"
    assert outcome(sealed(stream_id="s" * 201))[0] == "malformed"


def test_a_control_character_in_an_id_is_malformed():
    assert outcome(sealed(stream_id="case-\x00-2026"))[0] == "malformed"


def test_a_payload_that_breaks_its_schema_is_invalid():
    assert outcome(sealed(payload={"anything": 1}))[0] == "invalid_payload"


def test_an_event_on_another_producers_topic_is_refused():
    kind, reason = outcome(sealed(producer="review"))
    assert kind == "wrong_producer" and "antt.registration" in reason


def test_an_event_type_sent_by_a_producer_that_does_not_own_it_is_refused():
    decided = sealed(event_type="RecognitionDecided", payload={"unit_id": "kdc-1"})
    kind, reason = outcome(decided)
    assert kind == "wrong_producer" and "review" in reason


def test_a_changed_payload_is_tampered_and_keeps_its_ids():
    env = json.loads(sealed())
    env["payload"]["reason"] = "changed"
    try:
        read_record(record(canonical_json(env)), REGISTRY)
    except Unprocessable as err:
        assert err.kind == "tampered" and err.envelope.event_id == env["event_id"]
    else:
        raise AssertionError("a tampered envelope was read")


def test_an_unknown_event_type_is_read_as_unknown():
    reading = read_record(record(sealed(event_type="FromTheFuture")), REGISTRY)
    assert reading.unknown


FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_unprocessable(raw):
    outcome(raw)


@FAST
@given(json_values)
def test_arbitrary_json_never_raises_anything_but_unprocessable(value):
    outcome(json.dumps(value, ensure_ascii=True).encode())


envelope_fields = st.fixed_dictionaries(
    {},
    optional={
        name: json_values
        for name in (
            "event_id event_type event_version stream_id stream_version unit_id year "
            "actor producer payload prev_hash correlation_id"
        ).split()
    },
)


@FAST
@given(envelope_fields, st.sampled_from(sorted(REGISTRY.specs)))
def test_sealed_envelopes_with_arbitrary_fields_never_raise_anything_but_unprocessable(
    changes, event_type
):
    body = wire(event_type=event_type) | changes
    try:
        raw = Envelope.sealed(**body).to_bytes()
    except (UnicodeEncodeError, TypeError, ValueError):
        raw = json.dumps(body | {"hash": "0" * 64}, ensure_ascii=True).encode()
    outcome(raw)
