"""One rule of reach for every service: the kernel's `may_see`, which review's places use too."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from services.review.adapters.places import Places
from shared.auth import Forbidden, Principal, ensure_may_see, may_see
from shared.jurisdictions import Jurisdictions

TREE = Jurisdictions.load()
# (unit_id, jurisdiction, commune_code) of units in Nha Trang (two wards) and in Cam Ranh.
UNITS = [
    ("kdc-vinh-hai", "nha-trang", "vinh-hai"),
    ("kdc-loc-tho", "nha-trang", "loc-tho"),
    ("kdc-cam-linh", "cam-ranh", "cam-linh"),
]
PRINCIPALS = {
    "province": Principal("p", "auditor", jurisdiction="khanh-hoa"),
    "district": Principal("d", "reviewer", jurisdiction="nha-trang"),
    "other district": Principal("o", "reviewer", jurisdiction="cam-ranh"),
    "ward": Principal("w", "approver", jurisdiction="vinh-hai"),
    "unknown place": Principal("x", "reviewer", jurisdiction="nowhere"),
    "unit": Principal("u", "unit", unit_id="kdc-loc-tho"),
}
EXPECTED = {
    "province": {"kdc-vinh-hai", "kdc-loc-tho", "kdc-cam-linh"},
    "district": {"kdc-vinh-hai", "kdc-loc-tho"},
    "other district": {"kdc-cam-linh"},
    "ward": {"kdc-vinh-hai"},
    "unknown place": set(),
    "unit": {"kdc-loc-tho"},
}


@pytest.mark.parametrize("who", PRINCIPALS, ids=PRINCIPALS.keys())
def test_the_kernel_rule_reaches_the_subtree_or_for_a_ward_official_the_wards_units(who):
    seen = {u for u, j, c in UNITS if may_see(PRINCIPALS[who], u, j, TREE, c)}
    assert seen == EXPECTED[who]


@pytest.mark.parametrize("who", PRINCIPALS, ids=PRINCIPALS.keys())
def test_reviews_places_agree_with_the_kernel_on_every_unit(who):
    places = Places(TREE, {c: j for _, j, c in UNITS})
    for unit_id, jurisdiction, commune in UNITS:
        unit = SimpleNamespace(unit_id=unit_id, jurisdiction=jurisdiction, commune_code=commune)
        kernel = may_see(PRINCIPALS[who], unit_id, jurisdiction, TREE, commune)
        assert places.may_see(PRINCIPALS[who], unit) is kernel, (who, unit_id)


def test_out_of_reach_is_forbidden_with_a_message_naming_the_unit_and_the_scope():
    with pytest.raises(Forbidden, match=r"kdc-loc-tho nằm ngoài địa bàn \(vinh-hai\)"):
        ensure_may_see(PRINCIPALS["ward"], "kdc-loc-tho", "nha-trang", TREE, "loc-tho")
    with pytest.raises(Forbidden, match="chính đơn vị mình"):
        ensure_may_see(PRINCIPALS["unit"], "kdc-vinh-hai", "nha-trang", TREE, "vinh-hai")


def test_a_scope_in_the_tree_never_reaches_by_a_commune_code_equal_to_it():
    assert not TREE.reaches("cam-ranh", "nha-trang", "cam-ranh")
    assert not TREE.reaches(None, "nha-trang", None)
