"""Table-driven: the verdict review proposes for every criterion, from the data it holds."""

from datetime import date

import pytest

from services.review.adapters.rules import load_catalogue
from services.review.domain.proposals import (
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    Check,
    CommuneCounts,
    Evidence,
    combine,
    propose,
)
from shared.events.review import IncidentRecorded

CATALOGUE = load_catalogue()
TYPE_OF = {"RA": "residential_area", "CW": "commune", "AE": "enterprise", "ED": "school"}
FIGURES = {
    "residential_area": {"households_resident": 120, "households_registered": 120},
    "commune": {"movement_models": 2},
    "enterprise": {"staff_total": 80, "staff_briefed": 80, "movement_models": 1},
    "school": {"staff_total": 60, "staff_briefed": 60, "movement_models": 1},
}
DOCUMENTS = frozenset(
    {"party_resolution", "security_plan", "registration_form", "internal_rules", "other"}
)


def incident(cid, on=date(2025, 6, 1)):
    return IncidentRecorded("i-1", "u-1", on, cid, "vụ việc")


def evidence(cid, **changes):
    unit_type = TYPE_OF[cid[:2]]
    base = {
        "unit_type": unit_type,
        "has_party_organization": True,
        "registered": True,
        "figures": FIGURES[unit_type],
        "document_kinds": DOCUMENTS,
        "self_assessment": {cid: (True, "đạt")},
        "incidents": (),
        "commune": CommuneCounts(25, 25, 18),
    }
    return Evidence(**base | changes)


def criterion(cid):
    return next(c for c in CATALOGUE.criteria if c.criterion_id == cid)


ALL_IDS = [c.criterion_id for c in CATALOGUE.criteria]
# (criterion, what differs from a clean, fully documented, self-assessed-met case, proposed)
CASES = [
    *[(cid, {}, True) for cid in ALL_IDS],
    *[(cid, {"self_assessment": {}}, None) for cid in ALL_IDS],
    *[(cid, {"self_assessment": {cid: (False, "chưa")}}, False) for cid in ALL_IDS],
    # RA-1: 100% of resident households registered, on integers; the registration itself.
    ("RA-1", {"figures": {"households_resident": 120, "households_registered": 119}}, False),
    ("RA-1", {"figures": {"households_resident": 120}}, None),
    ("RA-1", {"figures": {"households_resident": 0, "households_registered": 0}}, None),
    ("RA-1", {"registered": False}, False),
    ("RA-1", {"document_kinds": frozenset({"party_resolution"})}, False),
    ("RA-1", {"document_kinds": frozenset({"registration_form"})}, False),
    # Party organisation: its resolution is required where one exists, not applicable otherwise.
    (
        "AE-1",
        {"has_party_organization": False, "document_kinds": DOCUMENTS - {"party_resolution"}},
        True,
    ),
    ("AE-1", {"document_kinds": DOCUMENTS - {"party_resolution"}}, False),
    (
        "ED-1",
        {"has_party_organization": False, "document_kinds": DOCUMENTS - {"party_resolution"}},
        True,
    ),
    ("CW-1", {"document_kinds": DOCUMENTS - {"party_resolution"}}, False),
    # AE-1 / ED-1: 100% of staff briefed, ≥1 model, the six kinds of internal rules.
    ("AE-1", {"figures": {"staff_total": 80, "staff_briefed": 79, "movement_models": 1}}, False),
    ("AE-1", {"figures": {"staff_total": 80, "staff_briefed": 80, "movement_models": 0}}, False),
    ("AE-1", {"document_kinds": DOCUMENTS - {"internal_rules"}}, False),
    ("ED-1", {"figures": {"staff_total": 60, "staff_briefed": 59, "movement_models": 1}}, False),
    # CW-1: at least one movement model, the plan.
    ("CW-1", {"figures": {"movement_models": 0}}, False),
    ("CW-1", {"figures": {}}, None),
    ("CW-1", {"document_kinds": DOCUMENTS - {"security_plan"}}, False),
    # Must-not-happen: an incident in the period against the criterion or one of its sub-items.
    ("RA-3", {"incidents": (incident("RA-3"),)}, False),
    ("RA-3", {"incidents": (incident("RA-3đ"),)}, False),
    ("RA-3", {"incidents": (incident("RA-4"),)}, True),
    ("RA-4", {"incidents": (incident("RA-4"),)}, False),
    ("CW-2", {"incidents": (incident("CW-2"),)}, False),
    # CW-2 at commune scale: RA-2/3/4 events in any of the commune's units count against it.
    ("CW-2", {"area_incidents": (incident("RA-3a"),)}, False),
    ("CW-2", {"area_incidents": (incident("RA-4"),)}, False),
    ("CW-2", {"area_incidents": (incident("RA-5"), incident("AE-3"))}, True),
    ("CW-3", {"incidents": (incident("CW-3"),)}, False),
    ("AE-3", {"incidents": (incident("AE-3"),)}, False),
    ("ED-3", {"incidents": (incident("ED-3"),)}, False),
    ("ED-4", {"incidents": (incident("ED-4"),)}, False),
    ("ED-5", {"incidents": (incident("ED-5"),)}, False),
    # Judgement criteria follow the self-assessment only; incidents elsewhere do not touch them.
    ("RA-2", {"incidents": (incident("RA-3"),)}, True),
    # CW-4: 100% registered and ≥70% recognised, exact counts (17/25 fails, 18/25 passes).
    ("CW-4", {"commune": CommuneCounts(25, 25, 18)}, True),
    ("CW-4", {"commune": CommuneCounts(25, 25, 17)}, False),
    ("CW-4", {"commune": CommuneCounts(10, 10, 7)}, True),
    ("CW-4", {"commune": CommuneCounts(10, 10, 6)}, False),
    ("CW-4", {"commune": CommuneCounts(3, 3, 2)}, False),  # 66.7%: never rounded up
    ("CW-4", {"commune": CommuneCounts(25, 24, 24)}, False),  # one unit never registered
    ("CW-4", {"commune": CommuneCounts(0, 0, 0)}, None),
    ("CW-4", {"commune": None}, None),
]


@pytest.mark.parametrize(("cid", "changes", "expected"), CASES)
def test_the_proposed_verdict_of_each_criterion(cid, changes, expected):
    assert propose(criterion(cid), evidence(cid, **changes)).proposed is expected


def test_every_criterion_of_the_catalogue_is_in_the_table():
    assert {c for c, _, _ in CASES} == set(ALL_IDS)


def test_the_party_resolution_line_says_not_applicable_when_there_is_no_party_organisation():
    ev = evidence("AE-1", has_party_organization=False)
    checks = {c.item: c.result for c in propose(criterion("AE-1"), ev).checks}
    assert checks["party_resolution"] == NOT_APPLICABLE
    with_party = {c.item: c.result for c in propose(criterion("AE-1"), evidence("AE-1")).checks}
    assert with_party["party_resolution"] == MET


def test_cw4_explains_both_counts():
    checks = propose(criterion("CW-4"), evidence("CW-4", commune=CommuneCounts(25, 25, 17))).checks
    lines = {c.item: (c.result, c.detail) for c in checks}
    assert lines["registered"] == (MET, "25/25 (cần ≥ 100/100)")
    assert lines["recognised"] == (NOT_MET, "17/25 (cần ≥ 70/100)")


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ((MET, MET), True),
        ((MET, NOT_APPLICABLE), True),
        ((MET, "unknown"), None),
        (("unknown", NOT_MET), False),
        ((NOT_MET, MET), False),
    ],
)
def test_checks_combine_as_a_three_valued_and(results, expected):
    assert combine([Check("x", r, "") for r in results]) is expected
