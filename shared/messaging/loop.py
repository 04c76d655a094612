"""The consumer's loop: poll, apply a batch together or one by one, report progress, sweep."""

from __future__ import annotations

import logging
import threading
import time

import sqlalchemy as sa

from shared.clock import iso_utc
from shared.messaging.claims import StreamGap, Unprocessable
from shared.messaging.ports import Record, Subscription
from shared.persistence.engine import TRANSIENT_ERRORS
from shared.persistence.tables import consumer_progress

log = logging.getLogger(__name__)


class ConsumerLoop:
    """The loop half of IdempotentConsumer (which provides consume, consume_together, sweep,
    parking, name, engine, clock and sweep_every_s)."""

    def run(self, subscription: Subscription, stop: threading.Event) -> None:
        last_progress = 0.0
        next_sweep = time.monotonic() + self.sweep_every_s
        while not stop.is_set():
            self._consume_batch(subscription, subscription.poll(1.0), stop)
            if time.monotonic() - last_progress > 2.0:
                self.record_progress(subscription.progress())
                last_progress = time.monotonic()
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + self.sweep_every_s
                self._sweep_quietly()

    def _sweep_quietly(self) -> None:
        try:
            self.sweep()
        except TRANSIENT_ERRORS as err:
            log.warning("%s: sweep postponed, database unavailable: %s", self.name, err)

    def _consume_batch(self, subscription: Subscription, records: list[Record], stop) -> None:
        if records:
            try:
                if self.consume_together(records) is not None:
                    # The broker hears of progress only after the database has committed it.
                    subscription.commit(_next_offsets(records))
                    return
            except TRANSIENT_ERRORS as err:
                log.warning(
                    "%s: database unavailable, taking records one by one: %s", self.name, err
                )
        self._consume_one_by_one(subscription, records, stop)

    def _consume_one_by_one(self, subscription: Subscription, records: list[Record], stop) -> None:
        next_offsets: dict[tuple[str, int], int] = {}
        held: set[tuple[str, int]] = set()
        for rec in records:
            tp = (rec.topic, rec.partition)
            if tp in held:
                continue
            try:
                self.consume(rec)
            except StreamGap as gap:
                if gap.key in self._rewound:
                    missing = Unprocessable(f"missing earlier event: {gap}", gap.envelope, "gap")
                    self.parking.park(rec, missing)
                else:
                    log.warning("%s: %s; reading the topics again from the start", self.name, gap)
                    self._rewound.add(gap.key)
                    subscription.commit(next_offsets)
                    subscription.rewind()
                    return
            except TRANSIENT_ERRORS as err:
                log.warning("%s: database unavailable, will retry: %s", self.name, err)
                subscription.seek(rec.topic, rec.partition, rec.offset)
                held.add(tp)
                stop.wait(1.0)
                continue
            next_offsets[tp] = rec.offset + 1
        subscription.commit(next_offsets)

    def record_progress(self, progress: list[tuple[str, int, int, int]]) -> None:
        """Replace the rows of the partitions this instance holds; other instances keep theirs."""
        if not progress:  # no partition held (yet): nothing to replace
            return
        now = iso_utc(self.clock.now())
        rows = [
            {
                "consumer": self.name,
                "topic": topic,
                "partition": partition,
                "position": position,
                "highwater": highwater,
                "updated_at": now,
            }
            for topic, partition, position, highwater in progress
        ]
        try:
            with self.engine.begin() as conn:  # one statement each, a parameter set per partition
                conn.execute(_FORGET_PROGRESS, rows)
                conn.execute(consumer_progress.insert(), rows)
        except (sa.exc.IntegrityError, *TRANSIENT_ERRORS) as err:
            # Progress is advisory (readiness, lag metrics): a clash during a rebalance or a
            # database blip is corrected by the next report a few seconds later.
            log.info("%s: progress not recorded this time: %s", self.name, err)


_FORGET_PROGRESS = consumer_progress.delete().where(
    consumer_progress.c.consumer == sa.bindparam("consumer"),
    consumer_progress.c.topic == sa.bindparam("topic"),
    consumer_progress.c.partition == sa.bindparam("partition"),
)


def _next_offsets(records: list[Record]) -> dict[tuple[str, int], int]:
    return {(r.topic, r.partition): r.offset + 1 for r in records}
