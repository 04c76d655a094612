"""The demo accounts of the development identity provider: one per role, (sub, claims)."""

# In the Nha Trang demo directory (`antt demo-data`).
DEMO_ACCOUNTS = (
    (
        "admin-nt",
        {"name": "Quản trị Nha Trang (mẫu)", "role": "admin", "jurisdiction": "nha-trang"},
    ),
    (
        "reviewer-nt",
        {
            "name": "Cán bộ thẩm định Nha Trang (mẫu)",
            "role": "reviewer",
            "jurisdiction": "nha-trang",
        },
    ),
    (
        "approver-nt",
        {
            "name": "Lãnh đạo phê duyệt Nha Trang (mẫu)",
            "role": "approver",
            "jurisdiction": "nha-trang",
        },
    ),
    (
        "auditor-kh",
        {
            "name": "Kiểm tra viên Khánh Hòa (mẫu)",
            "role": "auditor",
            "jurisdiction": "khanh-hoa",
        },
    ),
    (
        "unit-loc-tho-1",
        {
            "name": "Tổ dân phố số 3, Lộc Thọ (mẫu)",
            "role": "unit",
            "unit_id": "kdc-loc-tho-demo-1",
        },
    ),
)
