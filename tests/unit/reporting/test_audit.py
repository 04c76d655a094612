"""The audit walks hash chains in stored order and names the stream and position of problems."""

from services.reporting.domain.audit import Entry, verify
from shared.envelope import Envelope, envelope_hash


def chain(stream_id="case-u1-2025", length=4) -> list[dict]:
    wires, prev = [], None
    for version in range(1, length + 1):
        env = Envelope.sealed(
            event_id=f"{stream_id}-e{version}",
            event_type="DossierSubmitted",
            event_version=1,
            occurred_at=f"2025-11-2{version}T01:00:00.000000Z",
            producer="registration",
            stream_id=stream_id,
            stream_version=version,
            unit_id="u1",
            year=2025,
            actor={"sub": "clerk", "role": "unit"},
            correlation_id="c",
            causation_id=None,
            prev_hash=prev,
            payload={"note": f"Lần {version}"},
        )
        wires.append(env.to_wire())
        prev = env.hash
    return wires


def entries(*wire_lists) -> list[Entry]:
    flat = [w for wires in wire_lists for w in wires]
    return [Entry(position, wire) for position, wire in enumerate(flat, start=1)]


def found(result) -> list[tuple]:
    return [
        (p["stream_id"], p["stream_version"], p["position"], p["problem"])
        for p in result["problems"]
    ]


def test_an_untouched_log_verifies():
    result = verify(entries(chain(), chain("unit-u1", 1)), envelope_hash)
    assert result == {"ok": True, "events": 5, "streams": 2, "problems": []}


def test_one_altered_byte_is_found_at_its_event_and_position():
    wires = chain()
    wires[1]["payload"]["note"] = "Lần 3"
    result = verify(entries(chain("unit-u1", 1), wires), envelope_hash)
    assert not result["ok"]
    assert found(result) == [("case-u1-2025", 2, 3, "hash_mismatch")]


def test_a_deleted_event_is_a_gap_and_a_broken_link():
    wires = chain()
    del wires[2]
    result = verify(entries(wires), envelope_hash)
    assert set(found(result)) == {
        ("case-u1-2025", 4, 3, "version_gap"),
        ("case-u1-2025", 4, 3, "prev_hash_mismatch"),
    }


def test_a_deleted_last_event_is_found_from_the_consumers_count():
    result = verify(entries(chain()[:3]), envelope_hash, seen={"case-u1-2025": 4})
    assert found(result) == [("case-u1-2025", 4, None, "stream_truncated")]


def test_two_swapped_events_are_found_and_the_stream_named():
    wires = chain()
    wires[1], wires[2] = wires[2], wires[1]
    result = verify(entries(wires, chain("unit-u1", 2)), envelope_hash)
    assert not result["ok"]
    assert {p["stream_id"] for p in result["problems"]} == {"case-u1-2025"}
    assert {p["problem"] for p in result["problems"]} == {
        "version_gap",
        "version_out_of_order",
        "prev_hash_mismatch",
    }
    assert all(p["detail"] for p in result["problems"])


def test_stored_columns_that_disagree_with_the_envelope_are_found():
    wires = chain(length=2)
    rows = [
        Entry(1, wires[0], {"stream_id": "case-u1-2025", "stream_version": 1}),
        Entry(2, wires[1], {"stream_id": "case-u1-2025", "stream_version": 5}),
    ]
    assert found(verify(rows, envelope_hash)) == [("case-u1-2025", 2, 2, "column_mismatch")]
