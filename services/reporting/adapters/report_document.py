"""The year's report as a formal document (DOCX, or PDF with a bar chart) with its manifest.

The bytes depend only on the report (and so on its manifest): reportlab writes `invariant`
PDFs, the DOCX has fixed properties and zip dates.
"""

from __future__ import annotations

from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from services.reporting.adapters import labels as lb
from shared.documents import docx, fonts, pdf
from shared.documents.layout import Document, Table, place_date

COLUMNS = ("listed", "registered", "dossiers_filed", "recognized", "recognized_pct")
WIDTHS = (0.3, 0.14, 0.14, 0.14, 0.14, 0.14)


def _figures(first: str, groups: dict, label=lambda k: k) -> Table:
    head = (first, *(lb.SUMMARY_COLUMNS[c] for c in COLUMNS))
    rows = tuple((label(k), *(str(c[col]) for col in COLUMNS)) for k, c in groups.items())
    return Table(head, rows, WIDTHS)


def document(report: dict, place: str) -> Document:
    totals = report["totals"]
    year = report["year"]
    manifest = Table(("Khóa", "Giá trị"), tuple(tuple(map(str, line)) for line in
                     lb.manifest_lines(report["manifest"])), (0.3, 0.7))  # fmt: skip
    return Document(
        issuer=("BAN CHỈ ĐẠO PHONG TRÀO TOÀN DÂN", "BẢO VỆ AN NINH TỔ QUỐC", place.upper()),
        number="Số: ......./BC-BCĐ",
        place_date=place_date(place, date.fromisoformat(report["as_of"][:10])),
        title=(
            "BÁO CÁO",
            f"Kết quả xây dựng, công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}",
        ),
        body=(
            f"Số liệu tính đến {report['as_of']} (UTC), địa bàn {place}.",
            f"Tổng số đơn vị: {totals['listed']}; đăng ký: {totals['registered']} "
            f"({totals['registered_pct']}%); được công nhận: {totals['recognized']} "
            f"({totals['recognized_pct']}%); không được công nhận: {totals['not_recognized']}.",
            "# I. SỐ LIỆU THEO LOẠI HÌNH VÀ THEO XÃ, PHƯỜNG",
        ),
        tables=(
            _figures("Loại hình", report["by_unit_type"], lambda t: lb.UNIT_TYPES.get(t, t)),
            _figures("Mã xã/phường", report["by_commune"]),
        ),
        recipients=("Ban Chỉ đạo cấp tỉnh", "Công an tỉnh", "Lưu: VT"),
        signature=("TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"),
        annex_title=("PHỤ LỤC: MANIFEST TÁI LẬP BÁO CÁO",),
        annex=manifest,
        subject=f"Báo cáo ANTT năm {year}",
    )


def chart(report: dict) -> Drawing:
    """Units listed and recognised per unit type, as bars."""
    fonts.register()
    groups = report["by_unit_type"]
    drawing = Drawing(440, 210)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 40, 50, 380, 130
    bars.data = [
        [groups[t]["listed"] for t in groups] or [0],
        [groups[t]["recognized"] for t in groups] or [0],
    ]
    bars.categoryAxis.categoryNames = [lb.UNIT_TYPES.get(t, t) for t in groups] or [""]
    bars.categoryAxis.labels.fontName = fonts.REGULAR
    bars.categoryAxis.labels.fontSize = 7
    bars.valueAxis.labels.fontName = fonts.REGULAR
    bars.valueAxis.valueMin = 0
    bars.bars[0].fillColor, bars.bars[1].fillColor = colors.lightgrey, colors.darkgreen
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = 40, 20, fonts.REGULAR, 8
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.lightgrey, "Tổng số đơn vị"),
        (colors.darkgreen, "Được công nhận"),
    ]
    legend.columnMaximum = 1
    title = String(220, 195, "Đơn vị được công nhận theo loại hình", fontName=fonts.BOLD,
                   fontSize=10, textAnchor="middle")  # fmt: skip
    drawing.add(bars)
    drawing.add(legend)
    drawing.add(title)
    return drawing


def render(report: dict, place: str, fmt: str) -> bytes:
    doc = document(report, place)
    if fmt == "docx":
        return docx.render(doc)
    return pdf.render(doc, pdf.flowables(doc, (chart(report),)))
