"""The audit walks hash chains and names the stream and event of every problem."""

from services.reporting.domain.audit import verify
from shared.envelope import Envelope, envelope_hash


def chain(stream_id="case-u1-2025", length=4) -> list[dict]:
    wires, prev = [], None
    for version in range(1, length + 1):
        env = Envelope.sealed(
            event_id=f"e{version}",
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


def test_an_untouched_log_verifies():
    result = verify({"case-u1-2025": chain(), "unit-u1": chain("unit-u1", 1)}, envelope_hash)
    assert result == {"ok": True, "events": 5, "streams": 2, "problems": []}


def test_one_altered_byte_is_found_at_its_event():
    wires = chain()
    wires[1]["payload"]["note"] = "Lần 3"
    result = verify({"case-u1-2025": wires}, envelope_hash)
    assert not result["ok"]
    assert [(p["stream_id"], p["stream_version"], p["problem"]) for p in result["problems"]] == [
        ("case-u1-2025", 2, "hash_mismatch")
    ]


def test_a_deleted_event_breaks_the_versions_and_the_links():
    wires = chain()
    del wires[2]
    result = verify({"case-u1-2025": wires}, envelope_hash)
    assert not result["ok"]
    found = {(p["stream_id"], p["stream_version"], p["problem"]) for p in result["problems"]}
    assert found == {
        ("case-u1-2025", 4, "version_out_of_order"),
        ("case-u1-2025", 4, "prev_hash_mismatch"),
    }


def test_two_swapped_events_are_found_and_the_stream_named():
    wires = chain()
    wires[1], wires[2] = wires[2], wires[1]
    result = verify({"case-u1-2025": wires, "unit-u1": chain("unit-u1", 2)}, envelope_hash)
    assert not result["ok"]
    assert {p["stream_id"] for p in result["problems"]} == {"case-u1-2025"}
    assert {p["problem"] for p in result["problems"]} == {
        "version_out_of_order",
        "prev_hash_mismatch",
    }
    assert all(p["detail"] for p in result["problems"])
