"""Two consumer instances applying one unit-year's events from two topics at once on PostgreSQL
end with the same projections as one consumer applying them in order."""

from __future__ import annotations

import threading

import pytest

from services.reporting.adapters import repository as repo
from services.reporting.adapters.tables import LIVE
from services.reporting.bootstrap import bootstrap
from services.reporting.entrypoints.consumer import make_consumer
from shared.config import Settings
from tests.unit.reporting.world import build_year, records

pytestmark = pytest.mark.integration


def tables_after(url: str, feeds: list[list]) -> dict:
    """Apply each feed in its own thread (its own consumer instance); read back every table."""
    rt = bootstrap(Settings(service="reporting", database_url=url))
    outcomes: list[str] = []

    def run(feed):
        consumer = make_consumer(rt)
        outcomes.extend(consumer.consume(rec) for rec in feed)

    threads = [threading.Thread(target=run, args=(feed,)) for feed in feeds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with rt.engine.connect() as conn:
        tables = {t.name: repo.table_rows(conn, t) for t in LIVE.all}
    rt.engine.dispose()
    assert set(outcomes) == {"handled"}
    return tables


def test_concurrent_instances_per_topic_give_the_in_order_projections(pg, sqlite_url):
    recs = records(build_year(60, communes=3).envelopes)
    expected = tables_after(sqlite_url, [recs])
    by_topic = [[r for r in recs if r.topic == t] for t in sorted({r.topic for r in recs})]
    assert tables_after(pg.new("rep_conc"), by_topic) == expected
