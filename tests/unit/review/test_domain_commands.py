"""Given a case, when review acts on it, then these events or this refusal."""

from datetime import date

import pytest

from services.review.adapters.rules import load_catalogue
from services.review.domain import commands
from services.review.domain.errors import (
    FindingsInvalid,
    Invalid,
    StepOutOfOrder,
)
from shared.errors import Conflict
from shared.events.review import (
    DossierReturned,
    Finding,
    IncidentRecorded,
    RecommendationMade,
)
from tests.unit.review.builders import RA_IDS, UNIT, YEAR, given, registered, submitted

CATALOGUE = load_catalogue()
TODAY = date(2025, 11, 20)


def all_met(ids=RA_IDS):
    return [Finding(cid, True, note="đạt") for cid in ids]


def returned_case():
    state = given(registered(), submitted())
    [event] = commands.return_dossier(state, ["thiếu biên bản họp"], date(2025, 11, 28), TODAY)
    return event


def recommended_case(by="officer-1", decision=None):
    state = given(registered(), submitted())
    [rec] = commands.recommend(state, "achieved", all_met(), CATALOGUE)
    items = [registered(), submitted(), (rec, by)]
    if decision:
        items.append(decision)
    return given(*items)


# return_dossier


def test_a_submitted_dossier_is_returned_with_its_revision_reasons_and_due_date():
    event = returned_case()
    assert event == DossierReturned(
        UNIT, YEAR, "dossier-1", 1, ("thiếu biên bản họp",), date(2025, 11, 28)
    )


def test_a_dossier_not_yet_submitted_cannot_be_returned():
    with pytest.raises(StepOutOfOrder) as err:
        commands.return_dossier(given(registered()), ["x"], date(2025, 11, 28), TODAY)
    assert err.value.status == 409


def test_a_returned_dossier_cannot_be_returned_again():
    state = given(registered(), submitted(), returned_case())
    with pytest.raises(Conflict):
        commands.return_dossier(state, ["x"], date(2025, 11, 28), TODAY)


def test_a_return_needs_a_reason_and_a_due_date_not_in_the_past():
    state = given(registered(), submitted())
    with pytest.raises(Invalid) as err:
        commands.return_dossier(state, ["  "], date(2025, 11, 28), TODAY)
    assert "reasons" in err.value.errors
    with pytest.raises(Invalid) as err:
        commands.return_dossier(state, ["x"], date(2025, 11, 1), TODAY)
    assert "due_date" in err.value.errors


# recommend


def test_a_recommendation_carries_each_findings_proposed_value_beside_the_final_one():
    state = given(registered(), submitted())
    findings = [*all_met(["RA-1"]), *[Finding(c, False, note="ghi đè") for c in RA_IDS[1:]]]
    proposals = {"RA-1": False, "RA-2": True, "RA-3": True, "RA-4": None}  # RA-5: no proposal
    [event] = commands.recommend(state, "not_achieved", findings, CATALOGUE, proposals)
    assert isinstance(event, RecommendationMade)
    assert event.catalogue_version == "tt124-2021-v1" and event.revision == 1
    lines = {f.criterion_id: (f.proposed, f.met) for f in event.findings}
    assert lines == {
        "RA-1": (False, True),
        "RA-2": (True, False),
        "RA-3": (True, False),
        "RA-4": (None, False),
        "RA-5": (None, False),
    }


def test_achieved_with_an_unmet_criterion_is_refused_naming_the_criteria():
    state = given(registered(), submitted())
    findings = [*all_met(["RA-1", "RA-2", "RA-4"]), Finding("RA-3", False), Finding("RA-5", False)]
    with pytest.raises(FindingsInvalid) as err:
        commands.recommend(state, "achieved", findings, CATALOGUE)
    assert err.value.status == 422
    assert set(err.value.errors) == {"RA-3", "RA-5"}
    assert "RA-3" in err.value.message and "RA-5" in err.value.message


def test_not_achieved_with_every_criterion_met_is_refused():
    with pytest.raises(FindingsInvalid):
        commands.recommend(given(registered(), submitted()), "not_achieved", all_met(), CATALOGUE)


def test_findings_must_cover_every_criterion_of_the_unit_type_and_nothing_else():
    state = given(registered(), submitted())
    findings = [*all_met(["RA-1", "RA-2", "RA-3"]), Finding("CW-1", True)]
    with pytest.raises(FindingsInvalid) as err:
        commands.recommend(state, "achieved", findings, CATALOGUE)
    assert set(err.value.errors) == {"RA-4", "RA-5", "CW-1"}


def test_a_criterion_concluded_twice_is_refused():
    state = given(registered(), submitted())
    with pytest.raises(FindingsInvalid) as err:
        commands.recommend(state, "achieved", [*all_met(), Finding("RA-1", True)], CATALOGUE)
    assert set(err.value.errors) == {"RA-1"}


def test_agencies_and_enterprises_are_judged_on_the_shared_ae_criteria():
    for unit_type in ("agency", "enterprise"):
        state = given(registered(unit_type), submitted(met={}))
        [event] = commands.recommend(
            state, "achieved", all_met(["AE-1", "AE-2", "AE-3"]), CATALOGUE
        )
        assert [f.criterion_id for f in event.findings] == ["AE-1", "AE-2", "AE-3"]


def test_a_returned_dossier_cannot_be_recommended_until_resubmitted():
    state = given(registered(), submitted(), returned_case())
    with pytest.raises(StepOutOfOrder):
        commands.recommend(state, "achieved", all_met(), CATALOGUE)


def test_return_then_resubmitted_revision_two_is_recommended_on_revision_two():
    state = given(registered(), submitted(), returned_case(), submitted(revision=2))
    [event] = commands.recommend(state, "achieved", all_met(), CATALOGUE)
    assert (event.dossier_id, event.revision) == ("dossier-2", 2)


def test_a_case_already_recommended_cannot_be_recommended_again():
    with pytest.raises(Conflict):
        commands.recommend(recommended_case(), "achieved", all_met(), CATALOGUE)


# record_incident


def test_an_incident_is_recorded_against_a_criterion_of_the_units_type():
    [event] = commands.record_incident(
        "i-1", UNIT, "residential_area", date(2025, 6, 1), "RA-3", " đánh nhau ", CATALOGUE, TODAY
    )
    assert event == IncidentRecorded("i-1", UNIT, date(2025, 6, 1), "RA-3", "đánh nhau")


def test_an_incident_may_name_a_sub_item_of_a_must_not_happen_criterion():
    [event] = commands.record_incident(
        "i-2", UNIT, "residential_area", date(2025, 6, 1), "RA-3đ", "ly khai", CATALOGUE, TODAY
    )
    assert event.criterion_id == "RA-3đ"


def test_an_incident_on_a_criterion_that_is_not_a_must_not_happen_one_is_refused():
    with pytest.raises(Invalid) as err:
        commands.record_incident(
            "i-3", UNIT, "residential_area", date(2025, 6, 1), "RA-2", "x", CATALOGUE, TODAY
        )
    assert "RA-2" in err.value.errors["criterion_id"][0]


def test_an_incident_on_another_types_criterion_or_in_the_future_is_refused():
    with pytest.raises(Invalid) as err:
        commands.record_incident(
            "i-1", UNIT, "residential_area", date(2026, 1, 1), "AE-3", "x", CATALOGUE, TODAY
        )
    assert set(err.value.errors) == {"criterion_id", "occurred_on"}
