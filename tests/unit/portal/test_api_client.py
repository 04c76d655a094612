"""The portal's API client: the next page from a Link header, API errors per field."""

from services.portal.adapters.api_client import ApiError, next_cursor


def test_the_next_cursor_is_read_from_the_link_header_and_none_without_one():
    link = '<http://127.0.0.1:8002/api/v1/cases?year=2026&limit=50&cursor=abc%3D%3D>; rel="next"'
    assert next_cursor({"Link": link}) == "abc=="
    assert next_cursor({}) is None
    assert next_cursor({"Link": '<http://x/api/v1/cases?cursor=z>; rel="prev"'}) is None


def test_api_errors_are_flattened_to_the_field_they_name():
    err = ApiError(
        422,
        "Hồ sơ đăng ký còn thiếu tài liệu hoặc số liệu.",
        {
            "figures.households_registered": ["Còn thiếu: Số hộ."],
            "json": {"documents": {"0": {"sha256": ["Phải là mã SHA-256."]}}},
            "documents": ["Còn thiếu a.", "Còn thiếu b."],
        },
    )
    assert err.field_errors() == {
        "figures.households_registered": "Còn thiếu: Số hộ.",
        "documents.0.sha256": "Phải là mã SHA-256.",
        "documents": "Còn thiếu a. Còn thiếu b.",
    }
