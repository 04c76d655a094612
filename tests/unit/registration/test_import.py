"""CSV import of the directory: UTF-8 (BOM accepted), a report per row, all or nothing."""

import io

import pytest

HEADER = (
    "unit_id,name,unit_type,commune_code,managing_level,has_party_organization,"
    "contact_email,enterprise_size,school_level,armed_forces\n"
)
GOOD = [
    "phuoc-hai,Phường Phước Hải,commune,phuoc-hai,province,có,ph@example.vn,,,\n",
    "kdc-ph-1,Tổ dân phố Phước Hải 1,residential_area,phuoc-hai,commune,true,t1@example.vn,,,\n",
    "dn-ph-1,Công ty TNHH Hải Sản Đông,enterprise,phuoc-hai,province,không,d@example.vn,large,,\n",
    "thcs-ph,Trường THCS Bình Minh,school,phuoc-hai,province,1,s@example.vn,,lower_secondary,\n",
]


def send(build, text: str, encoding="utf-8", query=""):
    return build.client.post(
        f"/api/v1/units/import{query}",
        headers=build.admin,
        data={"file": (io.BytesIO(text.encode(encoding)), "don-vi.csv")},
        content_type="multipart/form-data",
    )


def test_a_clean_file_with_a_bom_and_vietnamese_names_is_imported_whole(build, rt):
    r = send(build, HEADER + "".join(GOOD), encoding="utf-8-sig")
    assert r.status_code == 201, r.json
    assert r.json["imported"] is True
    assert [a["row"] for a in r.json["accepted"]] == [2, 3, 4, 5]
    assert r.json["rejected"] == []
    assert build.get("/units/dn-ph-1").json["name"] == "Công ty TNHH Hải Sản Đông"
    assert build.get("/units/dn-ph-1").json["has_party_organization"] is False
    with rt.engine.connect() as conn:
        assert [e.event_type for e in rt.store.load(conn, "unit-kdc-ph-1")] == ["UnitAdded"]


def test_one_bad_row_imports_nothing_and_the_report_names_each_row_and_reason(build):
    rows = [
        *GOOD,
        "ct-qs,Ban Chỉ huy Quân sự,agency,phuoc-hai,province,true,q@example.vn,,,true\n",
        "dn-nho,Công ty Nhỏ,enterprise,phuoc-hai,province,false,n@example.vn,small,,\n",
        "th-1,Trường Tiểu học A,school,phuoc-hai,province,true,th@example.vn,,primary,\n",
        "kdc-x,Tổ dân phố X,residential_area,,commune,true,x@example.vn,,,\n",
        "kdc-y,Tổ dân phố Y,residential_area,khong-co,commune,maybe,y@example.vn,,,\n",
    ]
    r = send(build, HEADER + "".join(rows))
    assert r.status_code == 422, r.json
    report = r.json["report"]
    assert report["imported"] is False
    assert [a["row"] for a in report["accepted"]] == [2, 3, 4, 5]
    rejected = {x["row"]: x for x in report["rejected"]}
    assert sorted(rejected) == [6, 7, 8, 9, 10]
    assert "lực lượng vũ trang" in rejected[6]["message"]
    assert "doanh nghiệp nhỏ" in rejected[7]["message"]
    assert "tiểu học" in rejected[8]["message"]
    assert "commune_code" in rejected[9]["errors"]
    assert "has_party_organization" in rejected[10]["errors"]
    assert set(r.json["errors"]) == {f"row {n}" for n in range(6, 11)}
    assert build.get("/units/phuoc-hai").status_code == 404


def test_a_dry_run_reports_without_importing(build):
    r = send(build, HEADER + "".join(GOOD), query="?dry_run=true")
    assert r.status_code == 201
    assert r.json["imported"] is False
    assert len(r.json["accepted"]) == 4
    assert build.get("/units/phuoc-hai").status_code == 404


def test_duplicates_within_the_file_and_with_the_directory_are_rejected(build):
    build.commune("vinh-hai")
    rows = [GOOD[0], GOOD[0].replace("phuoc-hai,Phường", "phuoc-hai-2,Phường")]
    rows.append("vinh-hai,Phường Vĩnh Hải,commune,vinh-hai-x,province,true,v@example.vn,,,\n")
    r = send(build, HEADER + "".join(rows))
    assert r.status_code == 422
    assert sorted(x["row"] for x in r.json["report"]["rejected"]) == [3, 4]


@pytest.mark.parametrize(
    ("text", "encoding", "problem"),
    [
        (HEADER + GOOD[0], "utf-16", "UTF-8"),
        ("name,unit_type\nA,commune\n", "utf-8", "Thiếu cột"),
        (HEADER, "utf-8", "Không có dòng"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_reason(build, text, encoding, problem):
    r = send(build, text, encoding)
    assert r.status_code == 422
    assert problem in " ".join(r.json["errors"]["file"])


def test_only_an_admin_imports(build, token):
    r = build.client.post(
        "/api/v1/units/import",
        headers=token("reviewer"),
        data={"file": (io.BytesIO(b"x"), "a.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 403
