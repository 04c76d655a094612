"""An envelope field reporting does not know yet is kept, stored and verified as sent."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from services.reporting.adapters.sources import StoredLog
from services.reporting.adapters.tables import LIVE
from services.reporting.bootstrap import bootstrap
from services.reporting.entrypoints.consumer import make_consumer
from services.reporting.service_layer.rebuild import rebuild
from shared.cli import main
from shared.config import Settings
from shared.envelope import Envelope, canonical_json, envelope_hash
from tests.unit.reporting.world import build_year, records


def traced(envelopes: list[Envelope]) -> list[Envelope]:
    """The envelopes as a newer producer would send them: a `trace` field beside the contract's
    ones, sealed (and chained) with the kernel's hash over it."""
    out, heads = [], {}
    for env in envelopes:
        wire = {**env.to_wire(), "trace": f"trace-{env.event_id}"}
        wire["prev_hash"] = heads.get(env.stream_id)
        wire["hash"] = envelope_hash(wire)
        heads[env.stream_id] = wire["hash"]
        out.append(Envelope.from_bytes(canonical_json(wire)))
    return out


@pytest.fixture
def sent(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/r.db"
    monkeypatch.setenv("ANTT_REPORTING_DATABASE_URL", url)
    rt = bootstrap(Settings(service="reporting", database_url=url))
    envelopes = traced(build_year(6, communes=1).envelopes)
    yield rt, envelopes, records(envelopes)
    rt.engine.dispose()


def stored_texts(rt) -> dict[str, str]:
    log = LIVE.event_log
    with rt.engine.connect() as conn:
        return dict(conn.execute(sa.select(log.c.event_id, log.c.envelope)).all())


def verified(capsys) -> dict:
    code = main(["reporting", "verify", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == (0 if result["ok"] else 1)
    return result


def assert_kept_as_sent(rt, envelopes, capsys):
    texts = stored_texts(rt)
    assert texts == {env.event_id: env.to_bytes().decode() for env in envelopes}
    assert all('"trace":"trace-' in text for text in texts.values())
    result = verified(capsys)
    assert (result["ok"], result["problems"], result["events"]) == (True, [], len(envelopes))


def test_the_consumer_stores_an_unknown_envelope_field_and_the_log_still_verifies(sent, capsys):
    rt, envelopes, recs = sent
    consumer = make_consumer(rt)
    assert {consumer.consume(rec) for rec in recs} == {"handled"}
    assert_kept_as_sent(rt, envelopes, capsys)


def test_a_rebuild_from_the_topics_keeps_an_unknown_envelope_field(sent, capsys):
    rt, envelopes, recs = sent
    outcome = rebuild(rt.engine, recs)
    assert (outcome.swapped, outcome.replayed, dict(outcome.skipped)) == (True, len(recs), {})
    assert_kept_as_sent(rt, envelopes, capsys)


def test_a_rebuild_from_the_stored_log_keeps_an_unknown_envelope_field(sent, capsys):
    rt, envelopes, recs = sent
    consumer = make_consumer(rt)
    assert {consumer.consume(rec) for rec in recs} == {"handled"}
    outcome = rebuild(rt.engine, StoredLog(rt.engine, batch=7))
    assert (outcome.replayed, dict(outcome.skipped)) == (len(recs), {})
    assert_kept_as_sent(rt, envelopes, capsys)
