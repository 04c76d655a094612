"""Reading, checking and decoding records for a rebuild, in worker processes beside the folder."""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from services.reporting.service_layer.intake import accepted_event
from shared.messaging.ports import Record

CHUNK = 500  # records per task: large enough that pickling stays a small share of the work


def sift(records: list) -> list[tuple]:
    """(record, accepted or None, skip reason or None) for each record, in order."""
    out = []
    for record in records:
        skipped: Counter = Counter()
        accepted = accepted_event(record, skipped)
        out.append((_position_of(record), accepted, next(iter(skipped), None)))
    return out


def _position_of(record) -> Record:
    # Past this point only where the record was is needed: its value is parsed into `accepted`,
    # and not copying it back from a worker halves what crosses between processes.
    return Record(record.topic, record.partition, record.offset, record.key, b"")


def default_workers() -> int:
    """As many reading and decoding processes as cores; the main process mostly stores."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def sifted(source: Iterable, workers: int) -> Iterator[tuple]:
    """sift() over `source`, with `workers` processes (0: in this process). A source that can
    be dealt into shares (the broker's partitions) is read by the workers themselves, each its
    share; any other is read here and sifted there in order. Either way only a few chunks per
    worker are in flight, so memory stays bounded however long the log is."""
    if workers <= 0:
        for chunk in _chunks(source):
            yield from sift(chunk)
    elif hasattr(source, "shares"):
        yield from _read_by_workers(source.shares(workers), source.share_read)
    else:
        yield from _sifted_by_workers(source, workers)


def _sifted_by_workers(source: Iterable, workers: int) -> Iterator[tuple]:
    # spawn, not fork: the reader holds Kafka client threads and database connections.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        in_flight: deque = deque()
        for chunk in _chunks(source):
            in_flight.append(pool.submit(sift, chunk))
            if len(in_flight) >= 3 * workers:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()


def _read_by_workers(shares: list, share_read) -> Iterator[tuple]:
    """Each share read and sifted by its own process; chunks taken as they come (a share's own
    chunks stay in their order). `share_read(index, total)` hears how much each share holds."""
    context = multiprocessing.get_context("spawn")
    chunks = context.Queue(maxsize=3 * len(shares))
    readers = [
        context.Process(target=_read_share, args=(share, index, chunks), daemon=True)
        for index, share in enumerate(shares)
    ]
    for reader in readers:
        reader.start()
    try:
        running = len(readers)
        while running:
            kind, value = _next_chunk(chunks, readers)
            if kind == "failed":
                raise RuntimeError(f"a rebuild reader failed: {value}")
            if kind == "done":
                running -= 1
            else:
                results, index, total = value
                share_read(index, total)
                yield from results
    finally:
        for reader in readers:
            if reader.is_alive():
                reader.terminate()
            reader.join()


def _next_chunk(chunks, readers) -> tuple[str, object]:
    while True:
        try:
            return chunks.get(timeout=1)
        except queue.Empty:
            dead = [r.exitcode for r in readers if r.exitcode not in (None, 0)]
            if dead:  # killed before it could say so (a clean exit always says "done" first)
                return "failed", f"a reader process ended with exit code {dead[0]}"


def _read_share(share, index: int, chunks) -> None:
    try:
        records = share.open()
        for chunk in _chunks(records):
            chunks.put(("sifted", (sift(chunk), index, records.total())))
        chunks.put(("done", None))
    except BaseException as err:  # whatever it is, the rebuild is told and stops
        chunks.put(("failed", f"{type(err).__name__}: {err}"))


def _chunks(source: Iterable) -> Iterator[list]:
    chunk: list = []
    for record in source:
        chunk.append(record)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
