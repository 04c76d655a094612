"""Event store contract; runs on SQLite here and on PostgreSQL in tests/integration."""

import threading
from datetime import datetime

import pytest

from shared.clock import VIETNAM, FixedClock
from shared.events.review import IncidentRecorded
from shared.persistence.engine import create_schema, make_engine
from shared.persistence.event_store import ConcurrencyConflict, Context, EventStore
from shared.persistence.stream_reads import events_of_streams
from shared.persistence.tables import outbox


@pytest.fixture
def engine(sqlite_url):
    eng = make_engine(sqlite_url)
    create_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def store():
    return EventStore("review", "antt.review", FixedClock(datetime(2026, 5, 2, tzinfo=VIETNAM)))


def incident(n: int, unit: str = "u1") -> IncidentRecorded:
    return IncidentRecorded(f"i{n}", unit, datetime(2026, 5, 2).date(), "RA-3", f"vụ việc {n}")


CTX = Context({"sub": "reviewer-1", "role": "reviewer"}, "corr-1")


def append(engine, store, stream, expected, *events):
    with engine.begin() as conn:
        return store.append(conn, stream, expected, list(events), CTX)


def test_appended_events_load_in_order_with_a_hash_chain(engine, store):
    append(engine, store, "s1", 0, incident(1), incident(2))
    append(engine, store, "s1", 2, incident(3))
    with engine.connect() as conn:
        envs = store.load(conn, "s1")
    assert [e.stream_version for e in envs] == [1, 2, 3]
    assert envs[0].prev_hash is None
    assert [e.prev_hash for e in envs[1:]] == [e.hash for e in envs[:-1]]
    assert all(e.hash_ok for e in envs)
    assert [store.decode(e).incident_id for e in envs] == ["i1", "i2", "i3"]


def test_a_stale_expected_version_is_a_conflict_and_stores_nothing(engine, store):
    append(engine, store, "s1", 0, incident(1))
    with pytest.raises(ConcurrencyConflict):
        append(engine, store, "s1", 0, incident(2))
    with engine.connect() as conn:
        assert store.version_of(conn, "s1") == 1
        assert len(store.read_log(conn)) == 1


def test_every_event_gets_an_outbox_row_keyed_by_its_unit(engine, store):
    append(engine, store, "s1", 0, incident(1, "unit-a"), incident(2, "unit-a"))
    with engine.connect() as conn:
        rows = conn.execute(outbox.select().order_by(outbox.c.position)).all()
    assert [(r.position, r.topic, r.key, r.published_at) for r in rows] == [
        (1, "antt.review", "unit-a", None),
        (2, "antt.review", "unit-a", None),
    ]


def test_concurrent_writers_to_one_stream_one_wins_and_its_event_is_stored(engine, store):
    results, barrier = {}, threading.Barrier(6)

    def writer(n):
        barrier.wait()
        try:
            [env] = append(engine, store, "contested", 0, incident(n))
            results[n] = env.event_id
        except ConcurrencyConflict:
            results[n] = "conflict"

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    winners = {n: eid for n, eid in results.items() if eid != "conflict"}
    assert len(winners) == 1
    with engine.connect() as conn:
        [stored] = store.load(conn, "contested")
    [(n, event_id)] = winners.items()
    assert stored.event_id == event_id
    assert store.decode(stored).incident_id == f"i{n}"


def test_a_tailing_reader_never_skips_an_event_that_commits_late(engine, store):
    """Appends are serialised on the log head: a later writer waits for the earlier commit."""
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises every transaction, reads included: no late commit exists")
    holding, release = threading.Event(), threading.Event()

    def slow_writer():
        with engine.begin() as conn:
            store.append(conn, "slow", 0, [incident(1)], CTX)
            holding.set()
            release.wait(30)

    slow = threading.Thread(target=slow_writer)
    slow.start()
    holding.wait(30)
    fast = threading.Thread(target=append, args=(engine, store, "fast", 0, incident(2)))
    fast.start()
    with engine.connect() as conn:
        seen_before_commit = store.read_log(conn)
    release.set()
    slow.join()
    fast.join()
    with engine.connect() as conn:
        log = store.read_log(conn)
    assert seen_before_commit == []
    assert [(p, e.stream_id) for p, e in log] == [(1, "slow"), (2, "fast")]


def test_many_concurrent_writers_leave_a_dense_log_that_a_tailing_reader_reads_whole(engine, store):
    done = threading.Event()
    seen: list[int] = []

    def reader():
        last = 0
        while True:
            finished = done.is_set()
            with engine.connect() as conn:
                batch = store.read_log(conn, after=last)
            seen.extend(p for p, _ in batch)
            last = seen[-1] if seen else 0
            if finished and not batch:
                return

    def writer(w):
        for i in range(10):
            append(engine, store, f"w{w}", i, incident(w * 100 + i))

    tail = threading.Thread(target=reader)
    tail.start()
    writers = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    [t.start() for t in writers]
    [t.join() for t in writers]
    done.set()
    tail.join()
    assert seen == list(range(1, 41))


def test_a_head_read_in_the_same_transaction_continues_the_hash_chain(engine, store):
    append(engine, store, "s1", 0, incident(1))
    with engine.begin() as conn:
        heads: dict = {}
        events_of_streams(store, conn, ["s1", "empty"], heads)
        assert heads == {"s1": (1, store.load(conn, "s1")[0].hash)}
        store.append(conn, "s1", 1, [incident(2)], CTX, head=heads["s1"])
        store.append(conn, "empty", 0, [incident(3)], CTX, head=heads.get("empty", (0, None)))
    with engine.connect() as conn:
        envs = store.load(conn, "s1")
        [first_of_empty] = store.load(conn, "empty")
    assert envs[1].prev_hash == envs[0].hash and all(e.hash_ok for e in envs)
    assert first_of_empty.prev_hash is None


def test_a_head_that_another_writer_has_since_moved_is_a_conflict_and_stores_nothing(engine, store):
    append(engine, store, "s1", 0, incident(1))
    with engine.connect() as conn:
        heads: dict = {}
        events_of_streams(store, conn, ["s1"], heads)
    append(engine, store, "s1", 1, incident(2))  # the other writer
    with pytest.raises(ConcurrencyConflict), engine.begin() as conn:
        store.append(conn, "s1", 1, [incident(3)], CTX, head=heads["s1"])
    with engine.connect() as conn:
        assert [store.decode(e).incident_id for e in store.load(conn, "s1")] == ["i1", "i2"]
        assert len(store.read_log(conn)) == 2
        assert len(conn.execute(outbox.select()).all()) == 2


def test_a_head_that_does_not_match_the_expected_version_is_a_conflict(engine, store):
    with pytest.raises(ConcurrencyConflict):
        append_with_head(engine, store, "s1", 1, (0, None), incident(1))


def test_an_event_without_a_unit_is_keyed_by_its_stream_in_the_outbox(engine, store):
    no_unit = IncidentRecorded("i9", None, datetime(2026, 5, 2).date(), "RA-3", "không đơn vị")
    append(engine, store, "s-no-unit", 0, no_unit)
    with engine.connect() as conn:
        [row] = conn.execute(outbox.select()).all()
    assert row.key == "s-no-unit"


def append_with_head(engine, store, stream, expected, head, *events):
    with engine.begin() as conn:
        return store.append(conn, stream, expected, list(events), CTX, head=head)
