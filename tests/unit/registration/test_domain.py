"""The pure core: requirements, deadlines and exceptions, the case fold, file names."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.registration.adapters.rules import calendar_rules, criteria_ids, requirement_rules
from services.registration.domain import campaign, case, deadlines, requirements
from services.registration.domain.documents import clean_filename
from services.registration.domain.errors import OutsideWindow, StepOutOfOrder
from shared.events.registration import DocumentRef, SelfAssessment, UnitAdded, UnitRegistered
from shared.events.review import DossierReturned

CAL = campaign.fold(campaign.schedule(None, 2026, {}, date(2026, 1, 5), calendar_rules()))
KDC = UnitAdded("kdc-1", "KDC 1", "residential_area", "vinh-hai", "commune", True, "a@b.vn", "nt")


def doc(kind):
    return DocumentRef(kind, kind[0] * 64)


def test_registration_problems_follow_the_rules_file():
    problems = requirements.registration_problems(KDC, [doc("other")], {}, requirement_rules())
    assert set(problems) == {
        "documents",
        "figures.households_resident",
        "figures.households_registered",
    }
    no_party = UnitAdded(**{**KDC.__dict__, "has_party_organization": False})
    figures = {"households_resident": 3, "households_registered": 3}
    docs = [doc("registration_form")]
    assert requirements.registration_problems(no_party, docs, figures, requirement_rules()) == {}


def test_dossier_problems_name_documents_and_criteria():
    ids = criteria_ids(CAL.catalogue_version)
    lines = [SelfAssessment(c, True) for c in ids["residential_area"]]
    docs = [doc(k) for k in ("proposal", "results_report", "meeting_minutes")]
    rules = requirement_rules()
    assert requirements.dossier_problems("residential_area", docs, lines, rules, ids) == {}
    problems = requirements.dossier_problems("commune", docs[:1], lines, rules, ids)
    assert len(problems["documents"]) == 2
    assert "CW-1" in problems["self_assessment"][1]


def registered_state():
    reg = UnitRegistered(
        "kdc-1", 2026, "residential_area", "KDC 1", "vinh-hai", "commune", True, "nt"
    )
    return case.fold([reg])


def test_an_exception_holds_until_its_last_day_and_the_latest_one_counts():
    state = case.fold([])
    [granted] = deadlines.grant_exception(
        state, KDC, CAL, "registration", "Lý do", date(2026, 4, 10), date(2026, 4, 2)
    )
    state = case.fold([granted])
    assert deadlines.registration_lateness(state, CAL, date(2026, 4, 10), None) == (True, "Lý do")
    with pytest.raises(OutsideWindow):
        deadlines.registration_lateness(state, CAL, date(2026, 4, 11), None)
    assert deadlines.registration_lateness(state, CAL, date(2026, 3, 31), None) == (False, None)


def test_a_return_moves_the_dossier_deadline_to_its_due_date():
    state = registered_state()
    ret = DossierReturned("kdc-1", 2026, "d1", 1, ("Thiếu",), date(2026, 12, 20))
    with pytest.raises(OutsideWindow):
        deadlines.dossier_lateness(state, CAL, "residential_area", date(2026, 12, 15))
    state = case.fold([state.registration], [ret])
    assert deadlines.dossier_lateness(state, CAL, "residential_area", date(2026, 12, 15)) == (
        False,
        None,
    )


def test_no_registration_exception_once_registered():
    with pytest.raises(StepOutOfOrder):
        deadlines.grant_exception(
            registered_state(), KDC, CAL, "registration", "x", None, date(2026, 4, 2)
        )


@given(st.text(max_size=400))
def test_a_clean_file_name_is_never_a_path_and_never_empty(raw):
    name = clean_filename(raw)
    assert name and "/" not in name and "\\" not in name and "\x00" not in name
    assert len(name) <= 200 and name not in (".", "..")
