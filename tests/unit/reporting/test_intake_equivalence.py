"""The rebuild accepts and refuses exactly what the live consumer does, record for record."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.reporting.service_layer.intake import accepted_event
from shared.envelope import Envelope
from shared.events import REGISTRY, TOPICS
from shared.messaging.claims import Unprocessable
from shared.messaging.ports import Record
from shared.messaging.reading import read_record
from tests.unit.shared.test_reading_hostile_records import envelope_fields, wire


def live_consumer_applies(record: Record) -> bool:
    try:
        return not read_record(record, REGISTRY).unknown
    except Unprocessable:
        return False


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    envelope_fields,
    st.sampled_from([*sorted(REGISTRY.specs), "FromTheFuture"]),
    st.sampled_from(sorted(TOPICS.values())),
    st.booleans(),
)
def test_the_rebuild_takes_a_record_exactly_when_the_live_consumer_would(
    changes, event_type, topic, reseal
):
    body = wire(event_type=event_type) | changes
    try:
        raw = Envelope.sealed(**body).to_bytes() if reseal else None
    except (UnicodeEncodeError, TypeError, ValueError):
        raw = None
    raw = raw or json.dumps(body | {"hash": "0" * 64}, ensure_ascii=True).encode()
    record = Record(topic, 0, 0, "k", raw, {})
    taken = accepted_event(record, Counter()) is not None
    assert taken == live_consumer_applies(record)
