"""Review's rule files: catalogues by year, provincial extensions."""

import json

import pytest

from services.review.adapters.rules import CatalogueMissing, load_rules
from services.review.domain.criteria import CatalogueError, catalogue_from, extended, in_force

RULES = load_rules()
EXTENSION = {
    "province": "khanh-hoa",
    "version": "khanh-hoa-test-1",
    "effective_from": "2026-01-01",
    "effective_to": None,
    "criteria": [
        {
            "criterion_id": "KH-1",
            "unit_types": ["commune"],
            "kind": "fact",
            "verified": True,
            "title": "Tiêu chí bổ sung của tỉnh (dữ liệu thử)",
        }
    ],
}


def test_circular_124_governs_from_2022_and_nothing_governs_before_it():
    assert RULES.catalogue(2022).version == RULES.catalogue(2030).version == "tt124-2021-v1"
    with pytest.raises(CatalogueMissing) as err:
        RULES.catalogue(2021)
    assert err.value.status == 404


def test_a_later_catalogue_file_takes_over_from_its_effective_year():
    base = RULES.catalogues[0]
    successor = catalogue_from(
        {"version": "tt124-v2", "effective_from": "2027-01-01", "criteria": []}
    )
    assert in_force([base, successor], 2026).version == "tt124-2021-v1"
    assert in_force([base, successor], 2027).version == "tt124-v2"


def test_a_provincial_extension_adds_its_ids_for_its_province_from_its_effective_year(tmp_path):
    (tmp_path / "khanh-hoa.1.json").write_text(json.dumps(EXTENSION), "utf-8")
    rules = load_rules(tmp_path)
    in_2026 = rules.catalogue(2026, "khanh-hoa")
    assert in_2026.version == "tt124-2021-v1+khanh-hoa-test-1"
    assert in_2026.ids_for("commune") == ["CW-1", "CW-2", "CW-3", "CW-4", "KH-1"]
    assert rules.catalogue(2025, "khanh-hoa").version == "tt124-2021-v1"
    assert rules.catalogue(2026, "ha-noi").ids_for("commune") == ["CW-1", "CW-2", "CW-3", "CW-4"]


def test_an_extension_may_not_reuse_the_circulars_ids():
    clash = catalogue_from(
        EXTENSION | {"criteria": [EXTENSION["criteria"][0] | {"criterion_id": "CW-9"}]}
    )
    with pytest.raises(CatalogueError):
        extended(RULES.catalogue(2026), [clash])


def test_sub_items_carry_the_national_security_tag_and_the_verification_flag():
    ra3 = RULES.catalogue(2025).owner_of("RA-3a", "residential_area")
    assert ra3.criterion_id == "RA-3"
    tagged = [s.criterion_id for s in ra3.sub_items if s.national_security]
    assert tagged == ["RA-3a", "RA-3b", "RA-3c", "RA-3d", "RA-3đ"]
    assert [s.criterion_id for s in ra3.sub_items if not s.verified] == ["RA-3g"]
