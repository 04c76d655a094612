"""Form documents: pre-filled DOCX with the unit, its criteria and self-assessment, and a QR
code to the portal page where it is filed; blank forms per unit type."""

from datetime import datetime
from urllib.parse import parse_qs, urlparse

import docx
import pytest

from services.registration.domain.forms import FORMS
from shared.clock import VIETNAM
from tests.unit.documents.reading import docx_qr_codes, docx_text
from tests.unit.registration.builders import CRITERIA


@pytest.fixture
def filed(build, clock):
    """kdc-1 (a residential area, Vietnamese name) registered and its dossier filed."""
    build.campaign()
    build.commune()
    build.unit("kdc-1", name="Tổ dân phố Vĩnh Hải Thượng – khu Đông")
    assert build.register("kdc-1").status_code == 201
    clock.advance(datetime(2026, 11, 5, 9, 0, tzinfo=VIETNAM) - clock.now())
    assert build.submit("kdc-1").status_code == 201
    return build


@pytest.mark.parametrize("form", FORMS)
def test_each_prefilled_form_names_the_unit_and_links_to_its_filing_page(filed, form):
    answer = filed.get(f"/forms/{form}?unit_id=kdc-1&year=2026", filed.as_unit("kdc-1"))
    assert answer.status_code == 200, answer.data[:300]
    text = docx_text(answer.data)
    assert "Tổ dân phố Vĩnh Hải Thượng – khu Đông".upper() in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Nơi nhận:" in text and "2026" in text
    [url] = docx_qr_codes(answer.data)
    parsed = urlparse(url)
    assert parsed.path == "/don-vi/ho-so"
    assert parse_qs(parsed.query) == {"bieu-mau": [form], "unit_id": ["kdc-1"], "year": ["2026"]}


def test_the_results_report_has_a_line_per_criterion_with_the_self_assessment(filed):
    answer = filed.get("/forms/bao-cao?unit_id=kdc-1&year=2026", filed.as_unit("kdc-1"))
    d = docx.Document(__import__("io").BytesIO(answer.data))
    [table] = [t for t in d.tables if t.rows[0].cells[1].text == "Tiêu chí"]
    ids = [row.cells[1].text for row in table.rows[1:]]
    assert ids == CRITERIA["residential_area"]
    assert all(row.cells[2].text in ("Đạt", "Chưa đạt") for row in table.rows[1:])


def test_a_blank_form_for_a_school_lists_the_school_criteria_and_no_unit(build):
    answer = build.get("/forms/bao-cao?unit_type=school")
    assert answer.status_code == 200
    text = docx_text(answer.data)
    assert all(cid in text for cid in CRITERIA["school"]) and "RA-1" not in text
    assert "Cơ sở giáo dục" in text


def test_the_same_form_twice_gives_the_same_bytes(filed):
    first = filed.get("/forms/to-trinh?unit_id=kdc-1&year=2026")
    assert first.data == filed.get("/forms/to-trinh?unit_id=kdc-1&year=2026").data


def test_another_units_form_is_refused_and_an_unknown_form_is_not_found(filed):
    assert (
        filed.get("/forms/dang-ky?unit_id=kdc-1&year=2026", filed.as_unit("x")).status_code == 403
    )
    assert filed.get("/forms/khac?unit_type=school").status_code == 404
    assert filed.get("/forms/dang-ky").status_code == 422
