"""The year's report as a formal document: figures, chart and manifest; the same bytes again."""

from tests.unit.documents.reading import docx_text, page_png, pdf_text
from tests.unit.reporting.test_exports import get, reproduce, world  # noqa: F401


def test_the_report_document_holds_the_figures_and_manifest_and_reproduces_byte_for_byte(
    world,  # noqa: F811
):
    app, consumer, later, _ = world
    report = get(app, "/reports/2025").json
    first = {fmt: get(app, f"/reports/2025?format={fmt}").data for fmt in ("docx", "pdf")}
    text = docx_text(first["docx"])
    assert "BÁO CÁO" in text and "Tỉnh Khánh Hòa" in text
    assert "Khu dân cư" in text and "Tổng số đơn vị" in text
    for code in report["by_commune"]:
        assert code in text
    assert report["manifest"]["generator"] in text
    pdf = " ".join(pdf_text(first["pdf"]).split())
    assert "Được công nhận" in pdf and report["manifest"]["generator"] in pdf
    assert f"{report['totals']['recognized']} ({report['totals']['recognized_pct']}%)" in pdf
    for rec in later:
        consumer.consume(rec)
    for fmt in ("docx", "pdf"):
        assert reproduce(app, report["manifest"], fmt).data == first[fmt], fmt


def test_the_pdf_shows_its_chart_on_the_first_page(world):  # noqa: F811
    pdf = get(world[0], "/reports/2025?format=pdf").data
    page = page_png(pdf, 1, 50)
    # The chart's dark green bars (the rest of the page is black on white).
    assert any(
        g > 80 and r < 40 and b < 40 for r, g, b in zip(*[iter(page.tobytes())] * 3, strict=True)
    )
