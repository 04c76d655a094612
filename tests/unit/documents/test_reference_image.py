"""A certificate page looks as the reviewed reference image does (rendered by pdftoppm).

Regenerate after a reviewed change of layout: ANTT_UPDATE_REFERENCE=1 pytest this file, then
look at the PNG before committing it.
"""

import os
from pathlib import Path

from PIL import Image

from services.reporting.adapters import certificate_pdf
from services.reporting.domain.certificate import Certificate
from tests.unit.documents.reading import mean_difference, page_png

REFERENCE = Path(__file__).with_name("reference") / "certificate.png"
# Font hinting and anti-aliasing differ a little between poppler builds; a changed layout or a
# missing glyph moves far more than this (mean absolute difference per channel, 0–255).
TOLERANCE = 3.0

SAMPLE = Certificate(
    unit_id="tdp-vinh-hai-1",
    unit_name="Tổ dân phố Vĩnh Hải 1 – phường Vĩnh Hải",
    year=2026,
    decision_number="45/QĐ-UBND",
    decided_on="2026-12-05",
    authority="Ủy ban nhân dân Thành phố Nha Trang",
    code="A" * 40,
    verify_url="https://antt.example.vn/verify/" + "A" * 40,
    status="valid",
    event_id="00000000-0000-4000-8000-000000000000",
    hash="0" * 64,
    stream_id="review-tdp-vinh-hai-1-2026",
    stream_version=4,
)


def test_the_certificate_page_matches_the_reviewed_reference_image():
    page = page_png(certificate_pdf.render(SAMPLE), dpi=60)
    if os.environ.get("ANTT_UPDATE_REFERENCE"):
        page.save(REFERENCE, optimize=True)
    reference = Image.open(REFERENCE).convert("RGB")
    assert mean_difference(page, reference) <= TOLERANCE


def test_a_page_with_other_text_is_beyond_the_tolerance_the_comparison_allows():
    other = Certificate(**{**SAMPLE.__dict__, "unit_name": "Trường THPT Lê Quý Đôn", "year": 2027})
    changed = page_png(certificate_pdf.render(other), dpi=60)
    reference = Image.open(REFERENCE).convert("RGB")
    assert mean_difference(changed, reference) > 0
