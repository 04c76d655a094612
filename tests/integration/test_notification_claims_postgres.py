"""The sender's claim on PostgreSQL: two senders taking due notifications at the same moment."""

from __future__ import annotations

import pytest

from services.notification.adapters import repository as repo
from services.notification.adapters.tables import notifications
from services.notification.bootstrap import bootstrap
from tests.conftest import settings_for

pytestmark = pytest.mark.integration
NOW, LATER, UNTIL = "2026-03-10T02:00:00Z", "2026-03-10T02:00:30Z", "2026-03-10T02:05:00Z"


@pytest.fixture
def engine(pg_url, tmp_path):
    rt = bootstrap(settings_for("notification", pg_url, var_dir=tmp_path / "var"))
    rows = [pending(f"n-{n:02d}") for n in range(6)]
    with rt.engine.begin() as conn:
        conn.execute(notifications.insert(), rows)
    yield rt.engine
    rt.engine.dispose()


def pending(notification_id: str) -> dict:
    return {
        "notification_id": notification_id,
        "unit_id": "kdc-loc-tho-1",
        "year": 2026,
        "template": "registration_received",
        "channel": "email",
        "recipient": "kdc@example.vn",
        "subject": "Đã nhận đăng ký",
        "cause_event_id": f"cause-{notification_id}",
        "cause_event_type": "UnitRegisteredForYear",
        "status": "pending",
        "created_at": NOW,
        "next_attempt_at": NOW,
    }


def claimed_ids(rows) -> list[str]:
    return [r.notification_id for r in rows]


def test_a_sender_skips_what_another_is_claiming_and_never_waits_for_it(engine):
    with engine.connect() as first, engine.connect() as second:
        first.begin()
        mine = repo.claim_due(first, LATER, UNTIL, limit=2)  # not committed yet
        second.begin()
        theirs = repo.claim_due(second, LATER, UNTIL, limit=10)
        first.commit()
        second.commit()
    assert claimed_ids(mine) == ["n-00", "n-01"]
    assert claimed_ids(theirs) == ["n-02", "n-03", "n-04", "n-05"]
    with engine.begin() as third:
        assert repo.claim_due(third, LATER, UNTIL) == []


def test_a_claim_that_ran_out_is_taken_again_and_a_live_one_is_not(engine):
    with engine.begin() as conn:
        repo.claim_due(conn, LATER, "2026-03-10T02:01:00Z", limit=3)
    with engine.begin() as conn:
        again = repo.claim_due(conn, "2026-03-10T02:01:30Z", UNTIL)
    assert claimed_ids(again) == [f"n-{n:02d}" for n in range(6)]
    with engine.begin() as conn:
        assert repo.claim_due(conn, "2026-03-10T02:02:00Z", UNTIL) == []
