"""The report as a real workbook: the provincial summary table with Vietnamese headings.

The bytes depend only on the report: document properties take the report's moment, and the
zip entries a fixed date, so the same manifest gives the same file.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from services.reporting.adapters import labels as lb

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
ZIP_MOMENT = (1980, 1, 1, 0, 0, 0)


def _table(ws, top: int, headings: list, rows: list[list]) -> None:
    for col, heading in enumerate(headings, start=1):
        cell = ws.cell(row=top, column=col, value=heading)
        cell.font, cell.alignment = BOLD, WRAP
    for r, row in enumerate(rows, start=top + 1):
        for col, value in enumerate(row, start=1):
            ws.cell(row=r, column=col, value=value)
    for col in range(1, len(headings) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 16 if col > 1 else 28


def _heading(ws, report: dict, title: str) -> None:
    ws["A1"] = f"BÁO CÁO KẾT QUẢ PHONG TRÀO AN TOÀN VỀ AN NINH, TRẬT TỰ NĂM {report['year']}"
    ws["A1"].font = TITLE
    ws["A2"] = f"Địa bàn: {report['jurisdiction']} — {title}"
    ws["A3"] = f"Số liệu tính đến (UTC): {report['as_of']}"


def _summary_sheet(wb: Workbook, report: dict) -> None:
    ws = wb.active
    ws.title = "Tổng hợp"
    _heading(ws, report, "tổng hợp theo loại hình đơn vị")
    rows = [
        [i, lb.UNIT_TYPES.get(t, t), *lb.summary_line(c)]
        for i, (t, c) in enumerate(report["by_unit_type"].items(), start=1)
    ]
    rows.append(["", "Tổng cộng", *lb.summary_line(report["totals"])])
    _table(ws, 5, ["STT", "Loại hình", *lb.SUMMARY_COLUMNS.values()], rows)
    ws.freeze_panes = "C6"


def _commune_sheet(wb: Workbook, report: dict) -> None:
    ws = wb.create_sheet("Theo xã, phường")
    _heading(ws, report, "tổng hợp theo xã, phường, thị trấn và tiêu chí CW-4")
    rows = [
        [i, code, *lb.summary_line(c), *lb.cw4_line(report["cw4_by_commune"][code])]
        for i, (code, c) in enumerate(report["by_commune"].items(), start=1)
    ]
    headings = ["STT", "Mã xã/phường", *lb.SUMMARY_COLUMNS.values(), *lb.CW4_COLUMNS.values()]
    _table(ws, 5, headings, rows)
    ws.freeze_panes = "C6"


def _list_sheets(wb: Workbook, report: dict) -> None:
    failures = [[cid, n] for cid, n in report["failures_by_criterion"].items()]
    _table(wb.create_sheet("Tiêu chí không đạt"), 1, ["Mã tiêu chí", "Số đơn vị"], failures)
    decisions = [lb.decision_line(d) for d in report["decisions"]]
    _table(wb.create_sheet("Quyết định"), 1, lb.DECISION_HEADINGS, decisions)
    units = [lb.unit_line(u) for u in report["units"]]
    _table(wb.create_sheet("Đơn vị"), 1, lb.UNIT_HEADINGS, units)
    manifest = lb.manifest_lines(report["manifest"])
    _table(wb.create_sheet("Manifest"), 1, ["Khóa", "Giá trị"], manifest)


def _moment(report: dict) -> datetime:
    return datetime.fromisoformat(report["as_of"]).replace(tzinfo=None, microsecond=0)


def _fixed(raw: bytes, moment: datetime) -> bytes:
    stamp = moment.isoformat().encode() + b"Z"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the wall clock on save.
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_MOMENT)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, data)
    return out.getvalue()


def render_xlsx(report: dict) -> bytes:
    wb = Workbook()
    wb.properties.creator = "antt-reporting"
    wb.properties.title = f"Báo cáo ANTT năm {report['year']} — {report['jurisdiction']}"
    wb.properties.created = wb.properties.modified = _moment(report)
    _summary_sheet(wb, report)
    _commune_sheet(wb, report)
    _list_sheets(wb, report)
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed(raw.getvalue(), _moment(report))
