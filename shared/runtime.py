"""What every process of a service shares: settings, engine, clock, store; and the worker mains."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import sqlalchemy as sa

from shared.clock import Clock
from shared.config import Settings, refuse_unsafe
from shared.events import TOPICS
from shared.jurisdictions import Jurisdictions
from shared.messaging.consumer import Finisher, Handler, IdempotentConsumer
from shared.observability import logs, metrics, tracing
from shared.persistence.engine import create_schema, make_engine
from shared.persistence.event_store import EventStore

log = logging.getLogger(__name__)


D = TypeVar("D")


@dataclass(frozen=True)
class Runtime(Generic[D]):
    """Built whole by a service's bootstrap() and never changed after: nothing is added to it
    later, and what a service needs beyond the kernel's parts is its typed `deps`."""

    settings: Settings
    engine: sa.Engine
    clock: Clock
    store: EventStore | None
    jurisdictions: Jurisdictions
    # What the service's consumer reacts to, with dependencies already bound by bootstrap().
    handlers: Mapping[str, list[Handler]] = field(default_factory=dict)
    # Run before each of the consumer's transactions commits (see consumer.CURRENT_BATCH).
    finishers: tuple[Finisher, ...] = ()
    consumer_topics: tuple[str, ...] = tuple(TOPICS.values())
    # The service's own dependencies (document store, rule files, mail parts …), for its use
    # cases and handlers; its type is the service's (e.g. Runtime[ReviewDeps]).
    deps: D | None = None


def build_runtime(
    settings: Settings, *metadata: sa.MetaData, clock: Clock | None = None, **wiring
) -> Runtime:
    """The kernel's parts (engine with its schema, clock, event store, jurisdictions) and the
    service's `wiring`: any of handlers, finishers, consumer_topics and deps."""
    # Every API and worker starts here: refuse unsafe production settings before any I/O.
    refuse_unsafe(settings)
    setup_logging(settings.service)
    tracing.setup_tracing(settings.service, process_kind())
    _serve_metrics_once(process_kind())
    engine = make_engine(settings.database_url)
    tracing.instrument_engine(engine)
    create_schema(engine, *metadata, service=settings.service)
    clock = clock or Clock.from_setting(
        settings.clock_start, settings.environment, settings.clock_anchor
    )
    topic = TOPICS.get(settings.service)
    store = (
        EventStore(settings.service, topic, clock, max_event_bytes=settings.max_event_bytes)
        if topic
        else None
    )
    return Runtime(
        settings, engine, clock, store, Jurisdictions.load(settings.jurisdictions_file), **wiring
    )


def consumer_name(service: str) -> str:
    return f"antt-{service}"


def make_consumer(rt: Runtime, name: str | None = None) -> IdempotentConsumer:
    name = name or consumer_name(rt.settings.service)
    return IdempotentConsumer(
        name,
        rt.engine,
        rt.handlers,
        rt.clock,
        finishers=rt.finishers,
        sweep_every_s=rt.settings.parked_sweep_interval_s,
    )


def stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def setup_logging(service: str | None = None, process: str | None = None) -> None:
    """The one logging set-up of a process (ANTT_LOG_FORMAT=json|text, text by default): the
    service and process default to the ones the running module names."""
    main = _main_module()
    service = service or (main.split(".")[1] if main.startswith("services.") else "antt")
    logs.setup_logging(service, process or process_kind())


_served: set[str] = set()


def _serve_metrics_once(process: str) -> None:
    if process not in _served:
        _served.add(process)
        metrics.serve_worker_metrics(process)


def process_kind() -> str:
    """relay, consumer, sender … from the module run as __main__; api under gunicorn."""
    main = _main_module()
    if main.startswith("services.") and ".entrypoints." in main:
        return main.rsplit(".", 1)[1]
    return "api" if "gunicorn" in main or "gunicorn" in sys.argv[0] else Path(sys.argv[0]).name


def _main_module() -> str:
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return (spec.name if spec else "") or ""


def kafka_publisher(settings: Settings, client_id: str):
    """A publisher configured from settings: topic layout, producer tuning, TLS/SASL."""
    from shared.messaging.kafka import KafkaPublisher, TopicLayout

    s = settings
    layout = TopicLayout(
        s.topic_partitions, s.topic_replication_factor, s.topic_min_insync_replicas
    )
    tuning = {"request_timeout_ms": s.kafka_request_timeout_ms, "retries": s.kafka_retries}
    return KafkaPublisher(
        s.kafka_bootstrap_servers,
        s.kafka_security,
        client_id,
        layout=layout,
        producer_options=tuning,
    )


def relay_main(rt: Runtime) -> None:
    """Run the outbox relay of a producing service until SIGTERM/SIGINT."""
    from shared.messaging.outbox import OutboxRelay

    s = rt.settings
    publisher = kafka_publisher(s, f"{s.service}-relay")
    relay = OutboxRelay(rt.engine, publisher, rt.store.topic, rt.clock)
    log.info("relay for %s started", rt.store.topic)
    with exit_if_it_dies(f"relay for {rt.store.topic}"):
        relay.run(stop_on_signals(), probe_every_s=s.relay_probe_interval_s)
    publisher.close()


@contextlib.contextmanager
def exit_if_it_dies(what: str):
    """A worker loop that dies exits the process with status 1 at once: kafka-python's client
    threads would otherwise keep a dead worker alive, and nothing would restart it."""
    try:
        yield
    except Exception:
        log.exception("%s died; exiting so a supervisor restarts it", what)
        logging.shutdown()
        os._exit(1)


def consumer_main(rt: Runtime) -> None:
    """Run the service's idempotent consumer over its topics until SIGTERM/SIGINT."""
    from shared.messaging.kafka import KafkaSubscription
    from shared.messaging.outbox import ensure_topics_when_reachable
    from shared.messaging.ports import BrokerUnavailable

    s = rt.settings
    topics = list(rt.consumer_topics)
    stop = stop_on_signals()
    publisher = kafka_publisher(s, "topics")
    ensure_topics_when_reachable(publisher, topics, stop)
    publisher.close()
    consumer = make_consumer(rt)
    subscription = None
    while subscription is None and not stop.is_set():
        try:
            subscription = KafkaSubscription(
                s.kafka_bootstrap_servers,
                s.kafka_security,
                consumer.name,
                topics,
                s.consumer_session_timeout_ms,
            )
        except BrokerUnavailable as err:  # the broker went away since the topics were made
            log.warning("consumer %s waits for the broker: %s", consumer.name, err)
            stop.wait(2.0)
    if subscription is None:
        return
    log.info("consumer %s started on %s", consumer.name, topics)
    try:
        with exit_if_it_dies(f"consumer {consumer.name}"):
            consumer.run(subscription, stop)
    finally:
        subscription.close()
