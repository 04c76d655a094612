"""The case is a fold of its timeline: each event moves the status one step."""

from datetime import date

from services.review.domain import case
from services.review.domain.case import Entry, fold
from shared.events.review import (
    DossierReturned,
    Finding,
    RecognitionAnnulled,
    RecognitionDecided,
    RecommendationMade,
)
from tests.unit.review.builders import UNIT, YEAR, given, registered, submitted

RETURNED = DossierReturned(UNIT, YEAR, "dossier-1", 1, ("thiếu biên bản",), date(2025, 11, 28))
RECOMMENDED = RecommendationMade(
    UNIT, YEAR, "dossier-1", 1, "achieved", (Finding("RA-1", True),), "tt124-2021-v1"
)
DECIDED = RecognitionDecided(
    UNIT, YEAR, "recognized", "12/QĐ-UBND", date(2025, 12, 5), "event-3", ""
)


def test_an_empty_timeline_is_a_case_with_no_status_and_version_zero():
    state = fold(UNIT, YEAR, [])
    assert state.status is None and state.version == 0


def test_registration_then_dossier_makes_a_submitted_case():
    state = given(registered(), submitted())
    assert state.status == case.DOSSIER_SUBMITTED
    assert state.version == 2 and state.revision == 1 and state.unit_type == "residential_area"


def test_a_return_marks_the_revision_returned_and_a_resubmission_reopens_the_case():
    returned = given(registered(), submitted(), RETURNED)
    assert returned.status == case.RETURNED and returned.returned_revisions == {1}
    reopened = given(registered(), submitted(), RETURNED, submitted(revision=2))
    assert reopened.status == case.DOSSIER_SUBMITTED and reopened.revision == 2
    assert [d.revision for d in reopened.dossiers] == [1, 2]


def test_a_recommendation_remembers_its_event_id_and_its_author():
    state = given(registered(), submitted(), (RECOMMENDED, "officer-1"))
    assert state.status == case.RECOMMENDED
    assert state.recommendation_event_id == "event-3" and state.recommended_by == "officer-1"


def test_a_decision_then_an_annulment_keep_the_decision_on_record():
    annulment = RecognitionAnnulled(UNIT, YEAR, "12/QĐ-UBND", "sai số liệu")
    decided = given(registered(), submitted(), RECOMMENDED, DECIDED)
    assert decided.status == case.DECIDED and decided.outcome == "recognised"
    annulled = given(registered(), submitted(), RECOMMENDED, DECIDED, annulment)
    assert annulled.status == case.ANNULLED and annulled.decision == DECIDED


def test_an_event_the_fold_does_not_know_still_counts_in_the_version():
    entries = [Entry(registered(), "e1", {}, "t"), Entry(object(), "e2", {}, "t")]
    state = fold(UNIT, YEAR, entries)
    assert state.status == case.REGISTERED and state.version == 2
