"""The tree by date: three tiers to 30/06/2025, two from 01/07/2025; old codes resolve for history
and never widen a scope; no new unit is managed by a district after the change."""

from datetime import date

import pytest

from services.registration.adapters.rules import eligibility_rules
from services.registration.domain import unit
from services.registration.domain.errors import Invalid
from shared.jurisdictions import Jurisdictions

TREE = Jurisdictions.load()
BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)


def communes_on(day):
    period = TREE.on(day)
    return sorted(c for c, level in period.levels.items() if level == "commune")


def test_nha_trang_had_27_communes_then_22_and_from_1_july_2025_four_wards():
    assert len(communes_on(date(2024, 10, 31))) == 27
    assert len(communes_on(BEFORE)) == 22
    assert communes_on(AFTER) == [
        "bac-nha-trang",
        "nam-nha-trang",
        "phuong-nha-trang",
        "tay-nha-trang",
    ]


def test_on_30_june_a_ward_lies_in_the_city_and_on_1_july_in_the_province_directly():
    assert TREE.places("vinh-hai", "nha-trang", BEFORE) == {
        "commune": "vinh-hai",
        "district": "nha-trang",
        "province": "khanh-hoa",
    }
    assert TREE.places("vinh-hai", "nha-trang", AFTER) == {
        "commune": "bac-nha-trang",
        "district": None,
        "province": "khanh-hoa",
    }
    # Two steps: Xương Huân → Vạn Thạnh (1/11/2024) → phường Nha Trang (1/7/2025).
    assert TREE.places("xuong-huan", "nha-trang", BEFORE)["commune"] == "van-thanh"
    assert TREE.places("xuong-huan", "nha-trang", AFTER)["commune"] == "phuong-nha-trang"


@pytest.mark.parametrize(
    ("scope", "commune", "seen"),
    [
        ("bac-nha-trang", "vinh-hai", True),  # a ward official sees the units of its parts
        ("bac-nha-trang", "vinh-hoa", True),
        ("bac-nha-trang", "loc-tho", False),
        ("bac-nha-trang", "bac-nha-trang", True),
        ("khanh-hoa", "tay-nha-trang", True),
        ("nha-trang", "nam-nha-trang", True),  # the former city: the four wards it became
        ("vinh-hai", "vinh-hai", True),  # an old ward's token: its own units, for history
        ("vinh-hai", "vinh-hoa", False),
        ("vinh-hai", "bac-nha-trang", False),  # …never the merged ward's (no widening)
        ("cam-ranh", "bac-nha-trang", False),
    ],
)
def test_reach_is_judged_in_the_newest_tree_that_knows_the_scope(scope, commune, seen):
    assert TREE.reaches(scope, "nha-trang", commune) is seen


def test_old_codes_are_aliases_for_history():
    assert TREE.retired("vinh-hai") and TREE.retired("nha-trang")
    assert not TREE.retired("bac-nha-trang") and not TREE.retired("khanh-hoa")
    assert TREE.place("nha-trang", len(TREE.periods) - 1) == {
        "phuong-nha-trang",
        "bac-nha-trang",
        "tay-nha-trang",
        "nam-nha-trang",
    }


FIELDS = {
    "name": "Công ty thử",
    "unit_type": "enterprise",
    "commune_code": "vinh-hai",
    "managing_level": "district",
    "has_party_organization": False,
    "contact_email": "a@example.vn",
    "enterprise_size": "large",
}
DIRECTORY = unit.Directory(frozenset(), frozenset({"vinh-hai"}), frozenset({"vinh-hai"}))


def test_a_unit_managed_by_a_district_may_be_added_on_30_june_2025_not_on_1_july():
    [added] = unit.add_unit("dn-1", FIELDS, "nha-trang", eligibility_rules(), DIRECTORY, BEFORE)
    assert added.managing_level == "district"
    with pytest.raises(Invalid, match="Từ 01/07/2025 không còn cấp huyện") as refused:
        unit.add_unit("dn-1", FIELDS, "nha-trang", eligibility_rules(), DIRECTORY, AFTER)
    assert refused.value.status == 422 and "managing_level" in refused.value.errors
    province = FIELDS | {"managing_level": "province"}
    assert unit.add_unit("dn-1", province, "khanh-hoa", eligibility_rules(), DIRECTORY, AFTER)
