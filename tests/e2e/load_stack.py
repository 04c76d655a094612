"""The whole system on a private PostgreSQL server, each consumer running twice in its group."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from shared.broker import EmbeddedBroker, free_port
from shared.stack import WORKERS, Stack
from tests.e2e.conftest import E2E_CLOCK, System
from tests.e2e.load_cluster import PrivatePostgres

SERVICES = tuple(WORKERS)
CONSUMERS = tuple(f"{s}-consumer" for s, kinds in WORKERS.items() if "consumer" in kinds)
# Every worker process kind, as the stack names them (the dev SMTP server is not ours to kill).
WORKER_PROCESSES = tuple(
    f"{s}-{kind}" for s, kinds in WORKERS.items() for kind in kinds if kind != "smtp"
)
ASSIGNED = re.compile(r"Setting newly assigned partitions (.*) for group (\S+)")
PARTITION = re.compile(r"TopicPartition\(topic='([^']+)', partition=(\d+)\)")


def start_system(pg: PrivatePostgres, var_dir: Path) -> System:
    broker = EmbeddedBroker(free_port(), var_dir / "broker.log").start()
    urls = {s: pg.new_database(f"load_{s}") for s in SERVICES}
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "ANTT_CLOCK": E2E_CLOCK,
        "ANTT_RELAY_PROBE_INTERVAL_S": "1",
        # A killed sender's claim runs out quickly; the scheduler ticks during the load.
        "ANTT_NOTIFY_CLAIM_LEASE_S": "10",
        "ANTT_SCHEDULER_INTERVAL_S": "3",
        **{f"ANTT_{s.upper()}_DATABASE_URL": url for s, url in urls.items()},
    }
    ports = {s: free_port() for s in SERVICES}
    stack = Stack(var_dir / "var", env=env, ports=ports, api_workers=2)
    try:
        stack.start()
        for name in CONSUMERS:
            stack.start_process(name, instance=2)
    except BaseException:
        stack.stop()
        broker.stop()
        raise
    system = System(stack, broker, urls)
    # The test's own connections must outlive the PostgreSQL restart too.
    for engine in system.engines.values():
        engine.dispose()
    system.engines = {s: sa.create_engine(u, pool_pre_ping=True) for s, u in urls.items()}
    return system


def stop_system(system: System) -> None:
    system.stack.stop()
    system.broker.stop()
    for engine in system.engines.values():
        engine.dispose()


def last_assignment(system: System, process: str) -> tuple[str, frozenset]:
    """(group, partitions) from the last assignment this process's Kafka client logged."""
    log = system.stack.var_dir / "log" / f"{process}.log"
    found = ASSIGNED.findall(log.read_text(errors="replace"))
    if not found:
        return "", frozenset()
    partitions, group = found[-1]
    return group, frozenset((t, int(p)) for t, p in PARTITION.findall(partitions))


def alive(system: System) -> list[str]:
    return [n for n, p in system.stack.processes.items() if p.poll() is None]
