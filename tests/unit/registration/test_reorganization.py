"""Reorganisations over HTTP: merges and renames recorded as one event; checked before."""

import io

import sqlalchemy as sa

from shared.persistence.tables import events

MERGE = {
    "effective_on": "2025-07-01",
    "legal_basis": "Nghị quyết 1667/NQ-UBTVQH15 ngày 16/06/2025",
    "changes": [
        {
            "from": ["vinh-hai", "vinh-hoa"],
            "to": "bac-nha-trang",
            "name": "Phường Bắc Nha Trang",
            "kind": "merge",
        }
    ],
}


def stored(rt, event_type):
    with rt.engine.connect() as conn:
        q = sa.select(events.c.stream_id).where(events.c.event_type == event_type)
        return list(conn.execute(q).scalars())


def test_a_merge_is_recorded_and_the_new_ward_joins_the_directory(build, rt, token):
    build.commune("vinh-hai")
    build.commune("vinh-hoa")
    province = token("admin", jurisdiction="khanh-hoa")
    r = build.post("/reorganizations", MERGE, province)
    assert r.status_code == 201, r.json
    assert r.json == {"reorganization_id": "khanh-hoa-2025-07-01", "new_units": ["bac-nha-trang"]}
    assert stored(rt, "AdministrativeUnitsReorganized") == ["reorganization-khanh-hoa-2025-07-01"]
    ward = build.get("/units/bac-nha-trang", province).json
    assert (ward["unit_type"], ward["managing_level"]) == ("commune", "province")
    # A unit of the new ward may be added under its code, managed by the ward (2026 clock).
    added = build.post(
        "/units", build.unit_body("kdc-bnt-1", commune_code="bac-nha-trang"), province
    )
    assert added.status_code == 201, added.json


def test_unknown_old_codes_a_taken_new_code_and_a_many_to_one_rename_are_refused(build, token):
    build.commune("vinh-hai")
    build.commune("vinh-hoa")
    province = token("admin", jurisdiction="khanh-hoa")
    body = MERGE | {
        "changes": [
            {"from": ["khong-co"], "to": "moi-1", "name": "Phường Mới", "kind": "merge"},
            {"from": ["vinh-hai"], "to": "vinh-hoa", "name": "Phường X", "kind": "rename"},
            {"from": ["loc-tho", "tan-lap"], "to": "moi-2", "name": "Phường Y", "kind": "rename"},
        ]
    }
    r = build.post("/reorganizations", body, province)
    assert r.status_code == 422
    assert set(r.json["errors"]) == {"changes.0", "changes.1", "changes.2"}
    assert "khong-co" in r.json["errors"]["changes.0"][0]
    assert "vinh-hoa" in r.json["errors"]["changes.1"][0]
    assert "merge" in r.json["errors"]["changes.2"][0]


def test_a_reorganisation_is_recorded_once(build, token):
    province = token("admin", jurisdiction="khanh-hoa")
    assert build.post("/reorganizations", MERGE, province).status_code == 201
    again = build.post("/reorganizations", MERGE, province)
    assert again.status_code == 422 and "khanh-hoa-2025-07-01" in again.json["message"]


HEADER = "effective_on,legal_basis,from,to,name,kind\n"
BASIS = "Nghị quyết 1667/NQ-UBTVQH15"


def send_csv(build, token, text: str):
    return build.client.post(
        "/api/v1/reorganizations/import",
        headers=token,
        data={"file": (io.BytesIO(text.encode("utf-8")), "sap-xep.csv")},
        content_type="multipart/form-data",
    )


def test_a_reorganisation_is_imported_from_a_csv_file_one_change_per_row(build, rt, token):
    for code in ("vinh-hai", "vinh-hoa", "loc-tho"):
        build.commune(code)
    province = token("admin", jurisdiction="khanh-hoa")
    text = "\ufeff" + HEADER
    text += f"2025-07-01,{BASIS},vinh-hai;vinh-hoa,bac-nha-trang,Phường Bắc Nha Trang,merge\n"
    text += f"2025-07-01,{BASIS},loc-tho,phuong-nha-trang,Phường Nha Trang,rename\n"
    r = send_csv(build, province, text)
    assert r.status_code == 201, r.json
    assert r.json["new_units"] == ["bac-nha-trang", "phuong-nha-trang"]
    assert stored(rt, "AdministrativeUnitsReorganized") == ["reorganization-khanh-hoa-2025-07-01"]


def test_a_csv_mixing_two_dates_or_with_a_bad_kind_records_nothing(build, rt, token):
    build.commune("vinh-hai")
    province = token("admin", jurisdiction="khanh-hoa")
    mixed = HEADER + f"2025-07-01,{BASIS},vinh-hai,a-1,A,rename\n2024-11-01,{BASIS},x,b-1,B,merge\n"
    assert send_csv(build, province, mixed).status_code == 422
    bad = HEADER + f"2025-07-01,{BASIS},vinh-hai,a-1,A,split\n"
    refused = send_csv(build, province, bad)
    assert refused.status_code == 422 and "changes.0.kind" in refused.json["errors"]
    assert stored(rt, "AdministrativeUnitsReorganized") == []
