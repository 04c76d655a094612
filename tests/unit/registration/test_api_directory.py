"""The unit directory over HTTP: add, exclusions (Art. 1), update, list, scope."""

import pytest


@pytest.fixture
def ward(build):
    build.commune("vinh-hai")
    return build


@pytest.mark.parametrize(
    ("unit_type", "field", "value", "words"),
    [
        ("agency", "armed_forces", True, "lực lượng vũ trang"),
        ("enterprise", "enterprise_size", "small", "doanh nghiệp nhỏ và siêu nhỏ"),
        ("enterprise", "enterprise_size", "micro", "doanh nghiệp nhỏ và siêu nhỏ"),
        ("school", "school_level", "primary", "trường tiểu học"),
        ("school", "school_level", "kindergarten", "mầm non"),
        ("school", "school_level", "creche", "nhà trẻ"),
    ],
)
def test_each_art_1_exclusion_is_refused_with_a_message_naming_the_rule(
    ward, unit_type, field, value, words
):
    body = ward.unit_body("excluded-1", unit_type, **{field: value})
    r = ward.post("/units", body)
    assert r.status_code == 422, r.json
    assert "Điều 1 Thông tư 124/2021/TT-BCA" in r.json["message"]
    assert words in r.json["message"]
    assert field in r.json["errors"]


@pytest.mark.parametrize(
    ("unit_type", "fields"),
    [
        ("agency", {"armed_forces": False}),
        ("enterprise", {"enterprise_size": "medium"}),
        ("enterprise", {"enterprise_size": "large"}),
        ("school", {"school_level": "lower_secondary"}),
        ("school", {"school_level": "upper_secondary"}),
    ],
)
def test_eligible_units_of_every_type_are_added(ward, unit_type, fields):
    r = ward.post("/units", ward.unit_body(f"ok-{unit_type}", unit_type, **fields))
    assert r.status_code == 201, r.json


def test_a_residential_area_must_name_a_commune_already_in_the_directory(ward):
    missing = ward.unit_body("kdc-x")
    del missing["commune_code"]
    assert ward.post("/units", missing).status_code == 422
    r = ward.post("/units", ward.unit_body("kdc-y", commune_code="khong-co"))
    assert r.status_code == 422
    assert "commune_code" in r.json["errors"]


def test_a_type_specific_field_is_required_for_its_type(ward):
    body = ward.unit_body("dn-1", "enterprise")
    del body["enterprise_size"]
    r = ward.post("/units", body)
    assert r.status_code == 422
    assert "enterprise_size" in r.json["errors"]


def test_a_second_unit_with_the_same_id_is_a_conflict_and_a_second_commune_code_is_refused(ward):
    ward.unit("kdc-1")
    assert ward.post("/units", ward.unit_body("kdc-1")).status_code == 409
    again = ward.unit_body("vinh-hai-2", "commune", commune_code="vinh-hai")
    assert ward.post("/units", again).status_code == 422


def test_unknown_fields_and_bad_values_are_refused_not_crashing(ward):
    assert ward.post("/units", ward.unit_body("kdc-2", colour="red")).status_code == 422
    assert ward.post("/units", ward.unit_body("kdc-2", unit_type="army")).status_code == 422
    r = ward.client.post(
        "/api/v1/units", data="{not json", headers=ward.admin, content_type="application/json"
    )
    assert r.status_code in (400, 422)
    assert set(r.json) >= {"code", "status", "message", "errors"}


def test_only_an_admin_adds_units_and_every_endpoint_needs_a_token(ward, token):
    body = ward.unit_body("kdc-3")
    assert ward.post("/units", body, token("reviewer")).status_code == 403
    assert ward.client.post("/api/v1/units", json=body).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert ward.client.get("/api/v1/units", headers=bad).status_code == 401


def test_an_update_is_checked_again_and_is_an_event(ward, rt):
    ward.unit("dn-2", "enterprise", enterprise_size="large")
    r = ward.client.patch(
        "/api/v1/units/dn-2", json={"enterprise_size": "small"}, headers=ward.admin
    )
    assert r.status_code == 422
    assert "doanh nghiệp nhỏ" in r.json["message"]
    r = ward.client.patch(
        "/api/v1/units/dn-2", json={"name": "Công ty Cổ phần Hải Đăng"}, headers=ward.admin
    )
    assert r.status_code == 200, r.json
    assert r.json["name"] == "Công ty Cổ phần Hải Đăng"
    with rt.engine.connect() as conn:
        types = [e.event_type for e in rt.store.load(conn, "unit-dn-2")]
    assert types == ["UnitAdded", "UnitUpdated"]
    assert ward.get("/units/dn-2").json["name"] == "Công ty Cổ phần Hải Đăng"


def test_a_communes_own_code_cannot_change(ward):
    r = ward.client.patch(
        "/api/v1/units/vinh-hai", json={"commune_code": "vinh-hai-moi"}, headers=ward.admin
    )
    assert r.status_code == 422


def test_admins_act_only_inside_their_jurisdiction(ward, token):
    ward.unit("kdc-4")
    cam_ranh = token("admin", "admin-cr", jurisdiction="cam-ranh")
    r = ward.client.patch("/api/v1/units/kdc-4", json={"name": "X"}, headers=cam_ranh)
    assert r.status_code == 403
    assert ward.get("/units/kdc-4", cam_ranh).status_code == 403
    assert ward.get("/units", cam_ranh).json == []
    # A Cam Ranh admin cannot hang a unit under a Nha Trang ward either.
    r = ward.post("/units", ward.unit_body("kdc-cr"), cam_ranh)
    assert r.status_code == 422


def test_the_list_filters_by_commune_and_type_and_a_unit_user_reads_only_itself(ward, token):
    ward.unit("kdc-5")
    ward.unit("cq-1", "agency")
    listed = ward.get("/units?unit_type=agency").json
    assert [u["unit_id"] for u in listed] == ["cq-1"]
    assert {u["unit_id"] for u in ward.get("/units?commune_code=vinh-hai").json} == {
        "vinh-hai",
        "kdc-5",
        "cq-1",
    }
    me = ward.as_unit("kdc-5")
    assert ward.get("/units/kdc-5", me).status_code == 200
    assert ward.get("/units/cq-1", me).status_code == 403
    assert ward.get("/units", me).status_code == 403
    assert ward.get("/units/khong-co").status_code == 404


def test_a_ward_official_reaches_the_units_of_its_ward_only_as_in_review(ward, token):
    ward.commune("loc-tho")
    ward.unit("kdc-vh")
    ward.unit("kdc-lt", commune_code="loc-tho")
    official = token("admin", "admin-vh", jurisdiction="vinh-hai")
    assert ward.get("/units/kdc-vh", official).status_code == 200
    assert ward.get("/units/kdc-lt", official).status_code == 403
    listed = {u["unit_id"] for u in ward.get("/units", official).json}
    assert listed == {"vinh-hai", "kdc-vh"}


def test_an_official_of_a_ward_formed_in_2025_reaches_the_units_of_the_wards_it_was_formed_from(
    ward, token
):
    ward.commune("loc-tho")
    ward.unit("kdc-vh")  # filed under Vĩnh Hải, now in phường Bắc Nha Trang
    ward.unit("kdc-lt", commune_code="loc-tho")  # now in phường Nha Trang
    official = token("reviewer", "reviewer-bnt", jurisdiction="bac-nha-trang")
    assert ward.get("/units/kdc-vh", official).status_code == 200
    assert ward.get("/units/kdc-lt", official).status_code == 403
    listed = {u["unit_id"] for u in ward.get("/units", official).json}
    assert listed == {"vinh-hai", "kdc-vh"}  # the old ward's own entry lies inside it too
