"""Art. 10 by date: one function over dated tables; 30/06/2025 and 01/07/2025 route differently."""

import json
from datetime import date

import pytest

from shared.authority import (
    UNVERIFIED_NOTE,
    NoAuthority,
    authority_for,
    load_tables,
    table_on,
)
from shared.jurisdictions import Jurisdictions

TREE = Jurisdictions.load()
LAST_THREE_TIER, FIRST_TWO_TIER = date(2025, 6, 30), date(2025, 7, 1)


def _who(unit_type, managing_level, day, commune="vinh-hai", jurisdiction="nha-trang"):
    places = TREE.places(commune, jurisdiction, day)
    return authority_for(unit_type, managing_level, day, places)


@pytest.mark.parametrize(
    ("unit_type", "managing_level", "on_30_june", "on_1_july"),
    [
        ("residential_area", "commune", ("commune", "vinh-hai"), ("commune", "bac-nha-trang")),
        ("commune", "district", ("district", "nha-trang"), ("province", "khanh-hoa")),
        ("commune", "province", ("district", "nha-trang"), ("province", "khanh-hoa")),
        ("agency", "commune", ("commune", "vinh-hai"), ("commune", "bac-nha-trang")),
        ("enterprise", "district", ("district", "nha-trang"), ("province", "khanh-hoa")),
        ("school", "province", ("province", "khanh-hoa"), ("province", "khanh-hoa")),
    ],
)
def test_the_day_before_and_the_day_the_two_tier_government_began_route_differently(
    unit_type, managing_level, on_30_june, on_1_july
):
    before = _who(unit_type, managing_level, LAST_THREE_TIER)
    assert (before.level, before.code) == on_30_june
    after = _who(unit_type, managing_level, FIRST_TWO_TIER)
    assert (after.level, after.code) == on_1_july


def test_a_managing_level_no_table_knows_names_nobody():
    with pytest.raises(NoAuthority, match="không quy định"):
        _who("agency", "ward-council", FIRST_TWO_TIER)


def test_the_tables_are_chosen_by_date_not_by_year():
    assert table_on(LAST_THREE_TIER).version == "tt124-2021-authority-v1"
    assert table_on(FIRST_TWO_TIER).version == "two-tier-2025-07-authority-v1"
    with pytest.raises(NoAuthority, match="09/02/2022"):
        table_on(date(2022, 2, 9))


def test_every_rule_says_whether_it_was_checked_and_an_unchecked_one_says_so_in_vietnamese():
    for table in load_tables():
        assert all(rule.source for rule in table.rules)
    commune = _who("commune", "province", date(2026, 11, 20), "bac-nha-trang", "khanh-hoa")
    assert not commune.verified and commune.note == UNVERIFIED_NOTE
    area = _who("residential_area", "commune", date(2026, 11, 20), "bac-nha-trang", "khanh-hoa")
    assert area.verified and area.note is None


def test_a_province_replaces_a_table_by_its_own_file_without_a_code_change(tmp_path):
    own = {
        "version": "khanh-hoa-own-2025-07",
        "effective_from": "2025-07-01",
        "levels": {"commune": "UBND cấp xã", "province": "UBND tỉnh"},
        "rules": [
            {
                "unit_types": ["commune"],
                "managing_levels": ["province"],
                "authority": "commune",
                "verified": True,
                "source": "Quyết định của tỉnh (thử)",
            }
        ],
    }
    path = tmp_path / "authority.khanh-hoa.json"
    path.write_text(json.dumps(own), "utf-8")
    tables = load_tables(str(path))
    assert [t.version for t in tables] == ["tt124-2021-authority-v1", "khanh-hoa-own-2025-07"]
    places = TREE.places("bac-nha-trang", "khanh-hoa", FIRST_TWO_TIER)
    decided = authority_for("commune", "province", FIRST_TWO_TIER, places, tables)
    assert (decided.code, decided.verified) == ("bac-nha-trang", True)
