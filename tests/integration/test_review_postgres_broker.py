"""Review's rules over HTTP on PostgreSQL, fed by the real broker, publishing to antt.review."""

import threading
from datetime import datetime

import pytest
import sqlalchemy as sa

from services.review.entrypoints.api import create_app
from shared.auth import mint_token
from shared.clock import VIETNAM, FixedClock
from shared.envelope import Envelope
from shared.events import REGISTRY
from shared.messaging.kafka import KafkaPublisher
from shared.messaging.outbox import OutboxRelay
from shared.persistence.tables import events, outbox
from tests.conftest import settings_for
from tests.integration.review_broker import BrokerFeed, read_topic
from tests.unit.review.desk import CW_IDS, RA_IDS, YEAR, Desk, findings

pytestmark = pytest.mark.integration


@pytest.fixture
def app(pg_url):
    app = create_app(
        settings_for("review", pg_url), FixedClock(datetime(2025, 11, 20, 9, tzinfo=VIETNAM))
    )
    yield app
    app.config["ANTT_RUNTIME"].engine.dispose()


@pytest.fixture
def rt(app):
    return app.config["ANTT_RUNTIME"]


@pytest.fixture
def feed(tmp_path, rt, broker):
    feed = BrokerFeed(tmp_path, rt, broker)
    yield feed
    feed.close()


@pytest.fixture
def desk(app, feed, token):
    return Desk(app.test_client(), feed, token)


@pytest.fixture
def token(rt):
    def make(role, sub=None, unit_id=None, jurisdiction="nha-trang"):
        raw = mint_token(
            rt.settings.jwt_secret, role, sub, unit_id, None if role == "unit" else jurisdiction
        )
        return {"Authorization": f"Bearer {raw}"}

    return make


def url(unit_id, step=""):
    return f"/api/v1/cases/{unit_id}/{YEAR}" + (f"/{step}" if step else "")


def test_every_rule_and_refusal_of_a_review_year_on_postgres(desk, rt, broker, token):
    c = desk.client
    desk.feed.campaign(YEAR)
    desk.submitted(
        "vinh-hai", {cid: True for cid in CW_IDS}, unit_type="commune", commune_code="vinh-hai"
    )
    for unit_id in ("kdc-1", "kdc-2", "kdc-3"):
        desk.submitted(unit_id, {cid: True for cid in RA_IDS})
    desk.submitted("kdc-4", commune_code="vinh-hoa")

    # The catalogue in force, and nothing before Circular 124.
    assert (
        c.get("/api/v1/criteria?unit_type=commune", headers=desk.reviewer).get_json()[
            "catalogue_version"
        ]
        == "tt124-2021-v1"
    )
    assert c.get("/api/v1/criteria?year=2021", headers=desk.reviewer).status_code == 404

    # Return for supplementation; the case waits for the next revision.
    back = {"reasons": ["Thiếu biên bản họp"], "due_date": "2025-11-28"}
    assert c.post(url("kdc-1", "return"), json=back, headers=desk.reviewer).status_code == 201
    early = {"recommendation": "achieved", "findings": findings(RA_IDS), "expected_version": 3}
    assert (
        c.post(url("kdc-1", "recommendation"), json=early, headers=desk.reviewer).status_code == 409
    )
    desk.feed.submit("kdc-1", YEAR, revision=2, met={cid: True for cid in RA_IDS})
    stale = early | {"expected_version": 2}
    assert (
        c.post(url("kdc-1", "recommendation"), json=stale, headers=desk.reviewer).status_code == 409
    )
    unmet = early | {"findings": findings(RA_IDS, {"RA-3", "RA-4"}), "expected_version": 4}
    refused = c.post(url("kdc-1", "recommendation"), json=unmet, headers=desk.reviewer)
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"RA-3", "RA-4"}
    desk.recommend("kdc-1", RA_IDS)
    for unit_id in ("kdc-2", "kdc-3"):
        desk.recommend(unit_id, RA_IDS)

    # Decision: the commune's approver, never the recommender, one number per authority and year.
    same_person = token("approver", "officer-1", jurisdiction="vinh-hai")
    assert desk.decide("kdc-1", same_person, "1/QĐ-UBND").status_code == 403
    assert desk.decide("kdc-1", desk.city, "1/QĐ-UBND").status_code == 403
    assert desk.decide("kdc-1", desk.ward, "1/QĐ-UBND").status_code == 201
    assert desk.decide("kdc-1", desk.ward, "1/QĐ-UBND").status_code == 409
    assert desk.decide("kdc-2", desk.ward, "1/QĐ-UBND").status_code == 409
    assert desk.decide("kdc-2", desk.ward, "2/QĐ-UBND").status_code == 201

    # The commune waits for kdc-3, then is decided by the city.
    desk.recommend("vinh-hai", CW_IDS)
    case = desk.case("vinh-hai").get_json()
    assert case["commune_units"] == {
        "total": 3,
        "registered": 3,
        "recognised": 2,
        "open_units": ["kdc-3"],
    }
    waiting = desk.decide("vinh-hai", desk.city, "40/QĐ-UBND")
    assert waiting.status_code == 409 and waiting.get_json()["errors"] == {"open_units": ["kdc-3"]}
    assert desk.decide("kdc-3", desk.ward, "3/QĐ-UBND", "not_recognized").status_code == 201
    assert desk.decide("vinh-hai", desk.ward, "40/QĐ-UBND").status_code == 403
    assert desk.decide("vinh-hai", desk.city, "40/QĐ-UBND").status_code == 201

    # Annulment: by the authority, with a reason.
    assert (
        c.post(url("kdc-2", "annulment"), json={"reason": "x"}, headers=desk.city).status_code
        == 403
    )
    # Annulled on 20/11/2025 by the committee in force: Vĩnh Hải's successor ward.
    successor = token("approver", "chairman-bnt", jurisdiction="bac-nha-trang")
    assert (
        c.post(url("kdc-2", "annulment"), json={"reason": " "}, headers=successor).status_code
        == 422
    )
    assert (
        c.post(
            url("kdc-2", "annulment"), json={"reason": "Số liệu sai"}, headers=successor
        ).status_code
        == 201
    )

    # Incidents: reviewers of the jurisdiction only; a sub-item id is accepted.
    incident = {
        "unit_id": "kdc-4",
        "occurred_on": "2025-05-02",
        "criterion_id": "RA-3a",
        "description": "Tụ tập trái phép",
    }
    assert (
        c.post(
            "/api/v1/incidents", json=incident, headers=token("unit", unit_id="kdc-4")
        ).status_code
        == 403
    )
    assert (
        c.post(
            "/api/v1/incidents", json=incident, headers=token("reviewer", jurisdiction="vinh-hai")
        ).status_code
        == 403
    )
    assert (
        c.post(
            "/api/v1/incidents", json=incident, headers=token("reviewer", jurisdiction="cam-ranh")
        ).status_code
        == 403
    )
    assert c.post("/api/v1/incidents", json=incident, headers=desk.reviewer).status_code == 201

    # Every event review emitted reaches antt.review, keyed by its unit, valid against its schema.
    publisher = KafkaPublisher(broker.bootstrap, {}, "review-it-relay")
    relay = OutboxRelay(rt.engine, publisher, "antt.review", rt.clock)
    while relay.publish_pending():
        pass
    publisher.close()
    with rt.engine.connect() as conn:
        query = sa.select(events.c.event_id, outbox.c.key).join(
            outbox, outbox.c.position == events.c.position
        )
        mine = {r.event_id: r.key for r in conn.execute(query)}
    records = read_topic(broker, "antt.review", set(mine))
    kinds = []
    for event_id, record in records.items():
        env = Envelope.from_bytes(record.value)
        assert env.hash_ok and record.key == env.unit_id == mine[event_id]
        REGISTRY.decode(env.event_type, env.event_version, env.payload)
        kinds.append(env.event_type)
    assert sorted(set(kinds)) == [
        "DossierReturned",
        "IncidentRecorded",
        "RecognitionAnnulled",
        "RecognitionDecided",
        "RecommendationMade",
    ]


def test_two_approvers_racing_for_one_number_get_one_decision_and_one_conflict(app, desk):
    for unit_id in ("kdc-1", "kdc-2"):
        desk.submitted(unit_id, {cid: True for cid in RA_IDS})
        desk.recommend(unit_id, RA_IDS)
    answers = {}
    start = threading.Barrier(2)

    def decide(unit_id):
        client = app.test_client()
        start.wait()
        body = {
            "decision": "recognized",
            "decision_number": "9/QĐ-UBND",
            "decided_on": "2025-06-30",  # the ward (vinh-hai) still decides: three tiers
        }
        answers[unit_id] = client.post(
            url(unit_id, "decision"), json=body, headers=desk.ward
        ).status_code

    threads = [threading.Thread(target=decide, args=(u,)) for u in ("kdc-1", "kdc-2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers.values()) == [201, 409]
