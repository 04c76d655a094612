"""The report as CSV for people, in Vietnamese: summaries, CW-4, decisions, units, manifest."""

from __future__ import annotations

import csv
import io

from services.reporting.adapters import labels as lb


def _title(report: dict) -> list[list]:
    return [
        [f"Báo cáo kết quả ANTT năm {report['year']}", report["jurisdiction"]],
        ["Tính đến thời điểm (UTC)", report["as_of"]],
    ]


def _summary(report: dict) -> list[list]:
    rows = [["Tổng hợp theo loại hình"], ["Loại hình", *lb.SUMMARY_COLUMNS.values()]]
    for unit_type, counts in report["by_unit_type"].items():
        rows.append([lb.UNIT_TYPES.get(unit_type, unit_type), *lb.summary_line(counts)])
    rows.append(["Tổng cộng", *lb.summary_line(report["totals"])])
    rows += [[], ["Tổng hợp theo xã, phường"]]
    rows.append(["Mã xã/phường", *lb.SUMMARY_COLUMNS.values(), *lb.CW4_COLUMNS.values()])
    for code, counts in report["by_commune"].items():
        cw4 = report["cw4_by_commune"][code]
        rows.append([code, *lb.summary_line(counts), *lb.cw4_line(cw4)])
    return rows


def _details(report: dict) -> list[list]:
    rows = [["Tiêu chí không đạt"], ["Mã tiêu chí", "Số đơn vị"]]
    rows += [[cid, n] for cid, n in report["failures_by_criterion"].items()]
    rows += [[], ["Danh sách quyết định"], lb.DECISION_HEADINGS]
    rows += [lb.decision_line(d) for d in report["decisions"]]
    rows += [[], ["Danh sách đơn vị"], lb.UNIT_HEADINGS]
    rows += [lb.unit_line(u) for u in report["units"]]
    rows += [[], ["Tổng hợp", "Số lượng"]]
    rows += [[label, report["totals"][key]] for key, label in lb.SUMMARY_COLUMNS.items()]
    return rows


def render_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(_title(report))
    writer.writerows([[], *_summary(report), [], *_details(report)])
    writer.writerows([[], ["Manifest (tái tạo báo cáo)"], *lb.manifest_lines(report["manifest"])])
    return out.getvalue()
