"""One relay per topic on PostgreSQL: a session advisory lock, held while its connection lives."""

from __future__ import annotations

import logging
import threading
import time
import zlib

import sqlalchemy as sa

log = logging.getLogger(__name__)


class Leadership:
    """Take the topic's lock (standing by while another relay has it) and tell, at most once a
    `check_every_s`, whether it is still ours. A session lock dies with its session: after a
    PostgreSQL restart or a killed backend another relay may hold it, so the relay must ask
    before it publishes again rather than assume."""

    def __init__(self, engine, topic: str, check_every_s: float = 1.0):
        self.engine, self.check_every_s = engine, check_every_s
        self.key = zlib.crc32(topic.encode())
        self._conn = None
        self._checked = 0.0

    @property
    def exclusive(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def acquire(self, stop: threading.Event) -> bool:
        """Wait for the lock; False when asked to stop first. Other databases: always ours."""
        if not self.exclusive:
            return True
        while not stop.is_set():
            try:
                if self._try_once():
                    log.info("relay holds the lock of topic key %s", self.key)
                    return True
            except sa.exc.OperationalError as err:
                log.warning("relay cannot reach PostgreSQL for its lock: %s", err)
                self.release()
            stop.wait(1.0)
        return False

    def held(self) -> bool:
        """Whether the lock is still ours (asks PostgreSQL at most once a check_every_s)."""
        if not self.exclusive:
            return True
        if self._conn is None:
            return False
        if time.monotonic() - self._checked < self.check_every_s:
            return True
        try:
            self._conn.execute(sa.text("SELECT 1")).scalar()
            self._conn.rollback()
        except sa.exc.DBAPIError as err:
            log.warning("relay lost its lock (its PostgreSQL session ended): %s", err)
            self.release()
            return False
        self._checked = time.monotonic()
        return True

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                # Invalidated, not returned to the pool: the session (and any lock it still
                # holds) must end, not live on in a pooled connection.
                conn.invalidate()
                conn.close()
            except sa.exc.DBAPIError as err:
                log.info("closing the lock's connection: %s", err)

    def _try_once(self) -> bool:
        if self._conn is None:
            self._conn = self.engine.connect()
        got = self._conn.execute(sa.text(f"SELECT pg_try_advisory_lock({self.key})")).scalar()
        self._conn.rollback()  # the lock is the session's, not the transaction's
        self._checked = time.monotonic()
        return bool(got)
