"""The year's funnel for Prometheus: unit-years by year and status, read at scrape time."""

from __future__ import annotations

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily

from services.reporting.adapters.tables import LIVE

_BY_STATUS = (
    sa.select(LIVE.unit_years.c.year, LIVE.unit_years.c.status, sa.func.count().label("n"))
    .group_by(LIVE.unit_years.c.year, LIVE.unit_years.c.status)
    .order_by(LIVE.unit_years.c.year, LIVE.unit_years.c.status)
)


class FunnelCollector:
    """`antt_cases{year,status}`: how many units of each year stand at each step."""

    def __init__(self, engine):
        self.engine = engine

    def collect(self):
        family = GaugeMetricFamily(
            "antt_cases", "Units of a year by the status of their case", labels=["year", "status"]
        )
        with self.engine.connect() as conn:
            for row in conn.execute(_BY_STATUS):
                family.add_metric([str(row.year), row.status], float(row.n))
        yield family
