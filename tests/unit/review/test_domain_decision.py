"""Given a recommended case, the decision and the annulment: who, when, which number."""

from datetime import date

import pytest

from services.review.adapters.rules import load_catalogue
from services.review.domain import commands
from services.review.domain.authority import Authority
from services.review.domain.decision import Approver, DecisionRequest, annul, decide
from services.review.domain.errors import (
    FourEyes,
    Invalid,
    NoAuthority,
    NumberTaken,
    StepOutOfOrder,
    UnitsStillOpen,
)
from shared.errors import NotAllowed
from shared.events.review import (
    Finding,
    RecognitionAnnulled,
    RecognitionDecided,
    RecommendationMade,
)
from tests.unit.review.builders import RA_IDS, UNIT, YEAR, given, registered, submitted

CATALOGUE = load_catalogue()
TODAY = date(2025, 11, 20)
COMMUNE_PC = Authority("commune", "vinh-hai", "Ủy ban nhân dân cấp xã")
CHAIRMAN = Approver("chairman-1", "vinh-hai")


def request(number="12/QĐ-UBND", decision="recognized", on=TODAY):
    return DecisionRequest(decision, number, on, "")


def recommended_case(by="officer-1", decision=None):
    state = given(registered(), submitted())
    findings = [Finding(cid, True, note="đạt") for cid in RA_IDS]
    [rec] = commands.recommend(state, "achieved", findings, CATALOGUE)
    items = [registered(), submitted(), (rec, by)]
    if decision:
        items.append(decision)
    return given(*items)


def decision_on(state, decision="recognized"):
    [event] = decide(state, CHAIRMAN, request(decision=decision), COMMUNE_PC, today=TODAY)
    return event


def test_the_decision_points_at_the_recommendation_it_decides_on():
    event = decision_on(recommended_case())
    assert isinstance(event, RecognitionDecided)
    assert event.recommendation_event_id == "event-3" and event.decision == "recognized"


def test_a_decision_before_any_recommendation_is_a_conflict():
    state = given(registered(), submitted())
    with pytest.raises(StepOutOfOrder) as err:
        decide(state, CHAIRMAN, request(), COMMUNE_PC)
    assert err.value.status == 409


def test_a_case_cannot_be_decided_twice():
    state = recommended_case(decision=decision_on(recommended_case()))
    with pytest.raises(StepOutOfOrder) as err:
        decide(state, Approver("vice-2", "vinh-hai"), request("2"), COMMUNE_PC)
    assert err.value.status == 409 and "12/QĐ-UBND" in err.value.message


def test_the_author_of_the_recommendation_may_not_decide_on_it():
    with pytest.raises(FourEyes) as err:
        decide(recommended_case(by="chairman-1"), CHAIRMAN, request(), COMMUNE_PC)
    assert isinstance(err.value, NotAllowed) and err.value.status == 403


@pytest.mark.parametrize("jurisdiction", ["nha-trang", "khanh-hoa", "vinh-hoa", None])
def test_only_an_approver_of_the_units_authority_may_decide(jurisdiction):
    with pytest.raises(NotAllowed) as err:
        decide(recommended_case(), Approver("chairman-9", jurisdiction), request(), COMMUNE_PC)
    assert err.value.status == 403 and "vinh-hai" in err.value.message


def test_an_authority_that_cannot_be_placed_is_a_conflict_not_a_guess():
    nowhere = Authority("district", None, "Ủy ban nhân dân cấp huyện")
    with pytest.raises(NoAuthority):
        decide(recommended_case(), CHAIRMAN, request(), nowhere)


def test_a_decision_dated_in_the_future_is_refused():
    with pytest.raises(Invalid) as err:
        decide(recommended_case(), CHAIRMAN, request(on=date(2026, 1, 1)), COMMUNE_PC, today=TODAY)
    assert "decided_on" in err.value.errors


def test_a_commune_waits_for_the_units_it_counts_naming_them():
    with pytest.raises(UnitsStillOpen) as err:
        decide(recommended_case(), CHAIRMAN, request(), COMMUNE_PC, ("kdc-2", "thpt-1"))
    assert err.value.status == 409 and "kdc-2, thpt-1" in err.value.message
    assert err.value.errors == {"open_units": ["kdc-2", "thpt-1"]}


def test_a_decision_number_already_used_by_the_authority_this_year_is_a_conflict():
    with pytest.raises(NumberTaken) as err:
        decide(recommended_case(), CHAIRMAN, request(), COMMUNE_PC, number_taken=True)
    assert err.value.status == 409 and "decision_number" in err.value.errors


def test_a_recognition_is_annulled_by_its_authority_with_its_number_and_reason():
    state = recommended_case(decision=decision_on(recommended_case()))
    [event] = annul(state, CHAIRMAN, " phát hiện số liệu không trung thực ", COMMUNE_PC)
    assert event == RecognitionAnnulled(
        UNIT, YEAR, "12/QĐ-UBND", "phát hiện số liệu không trung thực"
    )


def test_an_annulment_needs_a_reason_and_the_authority():
    state = recommended_case(decision=decision_on(recommended_case()))
    with pytest.raises(Invalid):
        annul(state, CHAIRMAN, "  ", COMMUNE_PC)
    with pytest.raises(NotAllowed):
        annul(state, Approver("chairman-nt", "nha-trang"), "lý do", COMMUNE_PC)


@pytest.mark.parametrize("stage", ["submitted", "recommended", "not_recognized", "annulled"])
def test_only_a_standing_recognition_can_be_annulled(stage):
    states = {
        "submitted": lambda: given(registered(), submitted()),
        "recommended": recommended_case,
        "not_recognized": lambda: recommended_case(
            decision=decision_on(recommended_case(), "not_recognized")
        ),
        "annulled": lambda: given(
            registered(),
            submitted(),
            RecommendationMade(UNIT, YEAR, "dossier-1", 1, "achieved", (), "v"),
            decision_on(recommended_case()),
            RecognitionAnnulled(UNIT, YEAR, "12/QĐ-UBND", "lần 1"),
        ),
    }
    with pytest.raises(StepOutOfOrder):
        annul(states[stage](), CHAIRMAN, "lý do", COMMUNE_PC)
