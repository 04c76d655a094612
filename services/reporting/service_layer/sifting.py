"""Checking and decoding broker records for a rebuild, in worker processes beside the reader."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from services.reporting.service_layer.intake import accepted_event

CHUNK = 500  # records per task: large enough that pickling stays a small share of the work


def sift(records: list) -> list[tuple]:
    """(record, accepted or None, skip reason or None) for each record, in order."""
    out = []
    for record in records:
        skipped: Counter = Counter()
        accepted = accepted_event(record, skipped)
        out.append((record, accepted, next(iter(skipped), None)))
    return out


def default_workers() -> int:
    """As many decoders as cores: the reader mostly waits on the broker and the database."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def sifted(source: Iterable, workers: int) -> Iterator[tuple]:
    """sift() over `source`, in order, with `workers` processes (0: in this process). At most
    a few chunks per worker are in flight, so memory stays bounded however long the log is."""
    if workers <= 0:
        for chunk in _chunks(source):
            yield from sift(chunk)
        return
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


def _chunks(source: Iterable) -> Iterator[list]:
    chunk: list = []
    for record in source:
        chunk.append(record)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
