"""`antt recover` on SQLite and the memory broker: a database file copied back from before
later commands gets them back from the topic, its directory rows too; twice adds nothing; a
stream that moved on since the restore is refused rather than forked."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from shared.events import TOPICS
from shared.messaging.memory import InMemoryBroker
from shared.messaging.outbox import OutboxRelay
from shared.persistence.event_store import StreamFork
from shared.recovery import recover

TOPIC = TOPICS["registration"]


def publish_all(rt, broker) -> None:
    relay = OutboxRelay(rt.engine, broker, TOPIC, rt.clock)
    while relay.publish_pending():
        pass


def copy(source, target) -> None:
    """SQLite's online backup (the database runs in WAL mode: a file copy would miss pages)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def records_of(broker):
    return lambda topics: [r for t in topics for log in broker.topics.get(t, []) for r in log]


def stored(rt) -> list[tuple]:
    with rt.engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT event_id, stream_id, stream_version, hash, envelope FROM events"
                " ORDER BY stream_id, stream_version"
            )
        ).all()


def names(rt) -> dict[str, str]:
    with rt.engine.connect() as conn:
        return dict(conn.execute(sa.text("SELECT unit_id, name FROM units")).all())


@pytest.fixture
def restored(build, rt, settings, tmp_path):
    """Two units, then a backup; a third unit and a renamed one after it; the backup back."""
    broker = InMemoryBroker()
    build.campaign()
    build.commune()
    build.unit("kdc-1")
    publish_all(rt, broker)
    db = rt.engine.url.database
    backup = tmp_path / "backup.db"
    copy(db, backup)
    build.unit("kdc-2")
    r = build.client.patch("/api/v1/units/kdc-1", json={"name": "KDC số 1"}, headers=build.admin)
    assert r.status_code == 200, r.json
    publish_all(rt, broker)
    level = stored(rt)
    rt.engine.dispose()
    copy(backup, db)
    assert len(stored(rt)) == len(level) - 2
    return broker, level


def test_events_after_the_backup_come_back_from_the_topic_with_the_directory(rt, restored):
    broker, level = restored
    done = recover(rt, records_of(broker))
    assert done.restored == 2
    assert stored(rt) == level
    assert names(rt)["kdc-1"] == "KDC số 1" and "kdc-2" in names(rt)
    with rt.engine.connect() as conn:
        waiting = conn.execute(sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))
        assert waiting.scalar() == 0, "nothing goes out twice"


def test_recovering_twice_adds_nothing(rt, restored):
    broker, level = restored
    recover(rt, records_of(broker))
    assert recover(rt, records_of(broker)).restored == 0
    assert stored(rt) == level


def test_a_stream_that_moved_on_after_the_restore_is_refused_not_forked(build, rt, restored):
    broker, _ = restored
    r = build.client.patch("/api/v1/units/kdc-1", json={"name": "Khác"}, headers=build.admin)
    assert r.status_code == 200, r.json
    before = stored(rt)
    with pytest.raises(StreamFork, match="kdc-1"):
        recover(rt, records_of(broker))
    assert stored(rt) == before, "nothing of a refused recovery is kept"
