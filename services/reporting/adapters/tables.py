"""Reporting's own tables: the copy of every consumed event, the directory, the projections.

`make_tables(suffix)` builds the same set under other names, so that a rebuild can fill fresh
tables beside the live ones and swap them in; every index is named after its table for that.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

NAMES = ("event_log", "units", "unit_years", "unit_year_criteria", "decisions")


def _event_log(md: sa.MetaData, name: str) -> sa.Table:
    # Every event of every topic as it arrived, with the exact canonical bytes, so that reports
    # can be folded again "as of" any moment and auditors can recompute every hash.
    return sa.Table(
        name,
        md,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        # Where the broker had it (unknown for a record replayed from the parked table).
        sa.Column("partition", sa.Integer),
        sa.Column("offset", sa.BigInteger),
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("stream_version", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("event_version", sa.Integer, nullable=False),
        sa.Column("unit_id", sa.String(100)),
        sa.Column("year", sa.Integer),
        sa.Column("occurred_at", sa.String(40), nullable=False),
        sa.Column("producer", sa.String(40), nullable=False),
        sa.Column("actor", sa.JSON, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64)),
        sa.Column("envelope", sa.Text, nullable=False),
        sa.Index(f"ix_{name}_event_id", "event_id", unique=True),
        sa.Index(f"ix_{name}_stream_id", "stream_id"),
        sa.Index(f"ix_{name}_unit_year", "unit_id", "year"),
        sa.Index(f"ix_{name}_year", "year"),
    )


def _units(md: sa.MetaData, name: str) -> sa.Table:
    # The directory as registration last described it (UnitAdded / UnitUpdated).
    return sa.Table(
        name,
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("jurisdiction", sa.String(100), nullable=False),
        sa.Column("commune_code", sa.String(100), nullable=False),
        sa.Column("unit_type", sa.String(40), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("managing_level", sa.String(40), nullable=False),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Index(f"ix_{name}_unit_id", "unit_id", unique=True),
        sa.Index(f"ix_{name}_jurisdiction", "jurisdiction"),
    )


def _unit_years(md: sa.MetaData, name: str) -> sa.Table:
    # The fold of each unit-year's events of every topic (domain.lifecycle.UnitYear).
    return sa.Table(
        name,
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("dossiers_filed", sa.Integer, nullable=False),
        sa.Column("returns", sa.Integer, nullable=False),
        sa.Column("recommendation", sa.String(40)),
        sa.Column("failing_criteria", sa.String(1000), nullable=False),
        sa.Column("decision", sa.String(40)),
        sa.Column("decision_number", sa.String(100)),
        sa.Column("decided_on", sa.String(10)),
        sa.Column("signer", sa.String(200)),
        sa.Column("annul_reason", sa.Text),
        sa.Column("late_registration", sa.Boolean, nullable=False),
        sa.Column("late_dossier", sa.Boolean, nullable=False),
        sa.Column("late_exceptions", sa.String(200), nullable=False),
        sa.Column("notifications_sent", sa.Integer, nullable=False),
        sa.Column("notifications_failed", sa.Integer, nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("last_event_at", sa.String(40), nullable=False),
        sa.Index(f"ix_{name}_unit_year", "unit_id", "year", unique=True),
        sa.Index(f"ix_{name}_year", "year"),
    )


def _criteria(md: sa.MetaData, name: str) -> sa.Table:
    # One line per criterion of the unit-year's last recommendation.
    return sa.Table(
        name,
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("criterion_id", sa.String(40), nullable=False),
        sa.Column("met", sa.Boolean, nullable=False),
        sa.Index(f"ix_{name}_key", "unit_id", "year", "criterion_id", unique=True),
    )


def _decisions(md: sa.MetaData, name: str) -> sa.Table:
    return sa.Table(
        name,
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("decision", sa.String(40), nullable=False),
        sa.Column("decision_number", sa.String(100), nullable=False),
        sa.Column("decided_on", sa.String(10), nullable=False),
        sa.Column("signer", sa.String(200)),
        sa.Column("annulled", sa.Boolean, nullable=False),
        sa.Column("annul_reason", sa.Text),
        sa.Index(f"ix_{name}_unit_year", "unit_id", "year", unique=True),
    )


@dataclass(frozen=True)
class Tables:
    event_log: sa.Table
    units: sa.Table
    unit_years: sa.Table
    unit_year_criteria: sa.Table
    decisions: sa.Table

    @property
    def projections(self) -> tuple[sa.Table, ...]:
        return (self.units, self.unit_years, self.unit_year_criteria, self.decisions)

    @property
    def all(self) -> tuple[sa.Table, ...]:
        return (self.event_log, *self.projections)


def make_tables(md: sa.MetaData, suffix: str = "") -> Tables:
    builders = (_event_log, _units, _unit_years, _criteria, _decisions)
    return Tables(*(build(md, base + suffix) for build, base in zip(builders, NAMES, strict=True)))


metadata = sa.MetaData()
LIVE = make_tables(metadata)
event_log, units = LIVE.event_log, LIVE.units
REBUILD_SUFFIX = "_rebuild"
