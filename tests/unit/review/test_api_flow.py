"""The review API over a whole case: return, resubmission, recommendation, decision, annulment."""

import sqlalchemy as sa

from services.review.adapters.tables import case_timeline
from shared.envelope import Envelope
from shared.persistence.tables import events, outbox

URL = "/api/v1/cases/kdc-1/2025"
RA_IDS = ["RA-1", "RA-2", "RA-3", "RA-4", "RA-5"]


def findings(unmet=()):
    return [{"criterion_id": c, "met": c not in unmet, "note": "kiểm tra"} for c in RA_IDS]


def review_outbox(rt):
    """Review's published log: (event_type, topic, key) per outbox row, in log order."""
    with rt.engine.connect() as conn:
        rows = conn.execute(
            sa.select(events.c.envelope, outbox.c.topic, outbox.c.key)
            .join(outbox, outbox.c.position == events.c.position)
            .order_by(events.c.position)
        )
        return [(Envelope.from_bytes(r.envelope.encode()), r.topic, r.key) for r in rows]


def test_a_case_goes_from_return_to_annulment_and_every_step_is_published(client, feed, rt, token):
    reviewer = token("reviewer", "officer-1")
    # 20/11/2025: the ward formed from Vĩnh Hải on 1/7/2025 decides its residential areas.
    approver = token("approver", "chairman-1", jurisdiction="bac-nha-trang")
    feed.submitted_case("kdc-1")

    case = client.get(URL, headers=reviewer).get_json()
    assert (case["status"], case["version"], case["current_revision"]) == (
        "dossier_submitted",
        2,
        1,
    )
    proposed = {p["criterion_id"]: p["proposed"] for p in case["proposals"]}
    # RA-1: the registration carries no form, resolution or household figures; RA-3: self "no".
    assert proposed == {"RA-1": False, "RA-2": None, "RA-3": False, "RA-4": None, "RA-5": None}

    back = {"reasons": ["Thiếu biên bản họp"], "due_date": "2025-11-28"}
    returned = client.post(f"{URL}/return", json=back, headers=reviewer)
    assert returned.status_code == 201, returned.get_json()
    assert returned.get_json()["status"] == "returned"

    feed.submit("kdc-1", 2025, revision=2)
    case = client.get(URL, headers=reviewer).get_json()
    assert (case["status"], case["version"]) == ("dossier_submitted", 4)
    assert [(d["revision"], d["returned"]) for d in case["dossiers"]] == [(1, True), (2, False)]

    body = {"recommendation": "achieved", "findings": findings(), "expected_version": 4}
    made = client.post(f"{URL}/recommendation", json=body, headers=reviewer)
    assert made.status_code == 201, made.get_json()
    rec = made.get_json()["recommendation"]
    assert (rec["revision"], rec["made_by"]) == (2, "officer-1")

    decision = {
        "decision": "recognized",
        "decision_number": "15/QĐ-UBND",
        "decided_on": "2025-11-20",
    }
    decided = client.post(f"{URL}/decision", json=decision, headers=approver)
    assert decided.status_code == 201, decided.get_json()
    assert decided.get_json()["decision"]["recommendation_event_id"] == rec["event_id"]

    annulled = client.post(f"{URL}/annulment", json={"reason": "Số liệu sai"}, headers=approver)
    assert annulled.status_code == 201 and annulled.get_json()["status"] == "annulled"

    published = review_outbox(rt)
    assert [e.event_type for e, _, _ in published] == [
        "DossierReturned",
        "RecommendationMade",
        "RecognitionDecided",
        "RecognitionAnnulled",
    ]
    assert {(topic, key) for _, topic, key in published} == {("antt.review", "kdc-1")}
    assert {e.stream_id for e, _, _ in published} == {"review-kdc-1-2025"}
    assert [e.stream_version for e, _, _ in published] == [1, 2, 3, 4]

    history = client.get(URL, headers=reviewer).get_json()["history"]
    assert [h["event_type"] for h in history] == [
        "UnitRegistered",
        "DossierSubmitted",
        "DossierReturned",
        "DossierSubmitted",
        "RecommendationMade",
        "RecognitionDecided",
        "RecognitionAnnulled",
    ]
    assert history[4]["actor"] == {"sub": "officer-1", "role": "reviewer"}


def test_own_events_enter_the_timeline_in_the_same_transaction_as_the_log(client, feed, rt, token):
    feed.submitted_case("kdc-1")
    back = {"reasons": ["Thiếu tờ trình"], "due_date": "2025-11-28"}
    client.post(f"{URL}/return", json=back, headers=token("reviewer"))
    [(env, _, _)] = review_outbox(rt)
    with rt.engine.connect() as conn:
        last = conn.execute(sa.select(case_timeline).order_by(case_timeline.c.seq.desc())).first()
    assert (last.event_id, last.payload) == (env.event_id, env.payload)


def test_a_stale_expected_version_is_a_conflict_and_records_nothing(client, feed, rt, token):
    feed.submitted_case("kdc-1")
    body = {"recommendation": "achieved", "findings": findings(), "expected_version": 1}
    answer = client.post(f"{URL}/recommendation", json=body, headers=token("reviewer"))
    assert answer.status_code == 409
    assert answer.get_json()["errors"] == {"expected_version": ["Phiên bản hiện tại là 2."]}
    assert review_outbox(rt) == []


def test_achieved_with_unmet_criteria_is_refused_naming_them(client, feed, token):
    feed.submitted_case("kdc-1")
    body = {"recommendation": "achieved", "findings": findings({"RA-3"}), "expected_version": 2}
    answer = client.post(f"{URL}/recommendation", json=body, headers=token("reviewer"))
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["RA-3"]


def test_the_reviewer_who_recommended_may_not_decide_as_approver(client, feed, token):
    feed.submitted_case("kdc-1")
    body = {"recommendation": "not_achieved", "findings": findings({"RA-3"}), "expected_version": 2}
    client.post(f"{URL}/recommendation", json=body, headers=token("reviewer", "officer-1"))
    decision = {"decision": "not_recognized", "decision_number": "1", "decided_on": "2025-11-20"}
    answer = client.post(f"{URL}/decision", json=decision, headers=token("approver", "officer-1"))
    assert answer.status_code == 403
    assert answer.get_json()["status"] == "Forbidden"


def test_a_decision_before_the_recommendation_and_a_second_decision_are_conflicts(
    client, feed, token
):
    feed.submitted_case("kdc-1")
    decision = {"decision": "recognized", "decision_number": "1", "decided_on": "2025-11-20"}
    approver = token("approver", "chairman-1", jurisdiction="bac-nha-trang")
    assert client.post(f"{URL}/decision", json=decision, headers=approver).status_code == 409
    body = {"recommendation": "achieved", "findings": findings(), "expected_version": 2}
    client.post(f"{URL}/recommendation", json=body, headers=token("reviewer", "officer-1"))
    assert client.post(f"{URL}/decision", json=decision, headers=approver).status_code == 201
    assert client.post(f"{URL}/decision", json=decision, headers=approver).status_code == 409
