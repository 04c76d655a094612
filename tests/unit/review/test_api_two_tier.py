"""The two-tier structure in review: a ward counts the units filed under the wards it was formed
from (CW-4), the province decides a ward (configuration, flagged unverified), the ward its areas."""

import pytest

from tests.unit.review.desk import CW_IDS, RA_IDS, YEAR, Desk

AFTER = "2025-11-20"  # the 2025 window ends 15/11/2025: the four wards of Nha Trang stand


@pytest.fixture
def desk(client, feed, token):
    return Desk(client, feed, token)


def test_a_ward_formed_on_1_july_2025_counts_and_decides_for_the_units_of_its_old_wards(
    desk, token
):
    ward = token("approver", "chairman-bnt", jurisdiction="bac-nha-trang")
    met = {cid: True for cid in CW_IDS}
    desk.submitted("bac-nha-trang", met, unit_type="commune", commune_code="bac-nha-trang",
                   managing_level="province")  # fmt: skip
    desk.submitted("kdc-vh", commune_code="vinh-hai")  # filed under the old wards in 2024
    desk.submitted("kdc-vhoa", commune_code="vinh-hoa")
    desk.submitted("kdc-lt", commune_code="loc-tho")  # now in phường Nha Trang: not counted
    for n, unit_id in enumerate(("kdc-vh", "kdc-vhoa"), start=1):
        desk.recommend(unit_id, RA_IDS)
        decided = desk.decide(unit_id, ward, f"{n}/QĐ-UBND", on=AFTER)
        assert decided.status_code == 201, decided.get_json()
        assert decided.get_json()["authority"]["code"] == "bac-nha-trang"
        assert decided.get_json()["authority"]["note"] is None
    case = desk.case("bac-nha-trang", ward).get_json()
    assert case["commune_units"] == {"total": 2, "registered": 2, "recognised": 2, "open_units": []}


def test_the_province_decides_a_ward_and_every_answer_says_the_rule_is_unverified(desk, token):
    met = {cid: True for cid in CW_IDS}
    desk.submitted("bac-nha-trang", met, unit_type="commune", commune_code="bac-nha-trang",
                   managing_level="province")  # fmt: skip
    desk.recommend("bac-nha-trang", CW_IDS)
    ward = token("approver", "chairman-bnt", jurisdiction="bac-nha-trang")
    refused = desk.decide("bac-nha-trang", ward, "9/QĐ-UBND", on=AFTER)
    assert refused.status_code == 403 and "khanh-hoa" in refused.get_json()["message"]
    province = token("approver", "chairman-kh", jurisdiction="khanh-hoa")
    view = desk.case("bac-nha-trang", province).get_json()["authority"]
    assert (view["level"], view["code"], view["verified"]) == ("province", "khanh-hoa", False)
    assert view["note"] == "thẩm quyền theo cấu hình chưa được đối chiếu văn bản"
    decided = desk.decide("bac-nha-trang", province, "9/QĐ-UBND", on=AFTER)
    assert decided.status_code == 201, decided.get_json()
    assert "chưa được đối chiếu văn bản" in decided.get_json()["authority"]["note"]
    assert YEAR == 2025
