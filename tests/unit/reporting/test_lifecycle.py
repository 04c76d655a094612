"""The lifecycle of one unit-year is a fold of its events."""

from datetime import date

from services.reporting.domain.lifecycle import Logged, UnitYear, fold
from tests.unit.reporting import events as ev


def fold_of(*events, signer="approver-1"):
    return fold([Logged(e, signer) for e in events])


def test_a_unit_that_never_registered_is_not_registered():
    assert fold([]) == UnitYear()
    assert fold([]).status == "not_registered"


def test_registration_then_dossier_moves_to_dossier_submitted():
    assert fold_of(ev.registered("u1")).status == "registered"
    state = fold_of(ev.registered("u1"), ev.submitted("u1"))
    assert (state.status, state.dossiers_filed) == ("dossier_submitted", 1)


def test_a_returned_dossier_resubmitted_counts_both_revisions_and_the_return():
    state = fold_of(ev.registered("u1"), ev.submitted("u1"), ev.returned("u1"))
    assert (state.status, state.returns) == ("returned", 1)
    state = fold_of(
        ev.registered("u1"), ev.submitted("u1"), ev.returned("u1"), ev.submitted("u1", 2)
    )
    assert (state.status, state.dossiers_filed, state.returns) == ("dossier_submitted", 2, 1)


def test_a_recommendation_remembers_its_outcome_and_failing_criteria():
    state = fold_of(ev.registered("u1"), ev.submitted("u1"), ev.recommended("u1", False, ("RA-3",)))
    assert state.status == "recommended"
    assert (state.recommendation, state.failing_criteria) == ("not_achieved", ("RA-3",))


def test_a_recognition_remembers_number_date_and_signer():
    state = fold_of(ev.registered("u1"), ev.submitted("u1"), ev.recommended("u1"), ev.decided("u1"))
    assert state.status == "recognized"
    assert state.decision_number == "123/QĐ-UBND"
    assert state.decided_on == date(2025, 12, 10)
    assert state.signer == "approver-1"


def test_a_refusal_is_not_recognized():
    state = fold_of(
        ev.registered("u1"),
        ev.submitted("u1"),
        ev.recommended("u1", False, ("RA-1",)),
        ev.decided("u1", "not_recognized", "9/QĐ"),
    )
    assert (state.status, state.decision, state.decision_number) == (
        "not_recognized",
        "not_recognized",
        "9/QĐ",
    )


def test_an_annulled_recognition_is_annulled_and_keeps_its_decision_number():
    state = fold_of(
        ev.registered("u1"),
        ev.submitted("u1"),
        ev.recommended("u1"),
        ev.decided("u1"),
        ev.annulled("u1"),
    )
    assert (state.status, state.decision_number) == ("annulled", "123/QĐ-UBND")


def test_events_that_do_not_move_the_lifecycle_leave_it_alone():
    state = fold_of(ev.registered("u1"), ev.unit_added("u1"))
    assert state.status == "registered"
