"""The certificate (Giấy công nhận) as a one-page PDF with the QR code of its verify page."""

from __future__ import annotations

from datetime import date

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from services.reporting.domain.certificate import ANNULLED, Certificate
from shared.documents import pdf
from shared.documents.layout import Document


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def document(c: Certificate) -> Document:
    return Document(
        issuer=(c.authority.upper(),),
        number=f"Số: {c.decision_number}",
        place_date=_day(c.decided_on).capitalize(),
        title=("GIẤY CÔNG NHẬN",),
        body=(),
        subject=f"Giấy công nhận {c.unit_id} {c.year}",
    )


def story(c: Certificate) -> list:
    doc = document(c)
    lines = [
        pdf.header(doc),
        Spacer(1, 30),
        pdf.p("GIẤY CÔNG NHẬN", size=24, bold=True, align=TA_CENTER),
        Spacer(1, 14),
        pdf.p(c.unit_name, size=18, bold=True, align=TA_CENTER),
        Spacer(1, 8),
        pdf.p(
            f"Đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {c.year}",
            size=15,
            align=TA_CENTER,
        ),
        Spacer(1, 8),
        pdf.p(
            f"(Theo Quyết định số {c.decision_number} {_day(c.decided_on)} của {c.authority})",
            size=12,
            italic=True,
            align=TA_CENTER,
        ),
    ]
    if c.status == ANNULLED:
        lines += [
            Spacer(1, 10),
            pdf.p(
                f"ĐÃ BỊ HỦY ngày {c.annulled_on}: {c.annul_reason or ''}",
                size=14,
                bold=True,
                align=TA_CENTER,
            ),
        ]
    lines += [
        Spacer(1, 24),
        pdf.QRCode(c.verify_url, 40 * mm, "CENTER"),
        pdf.p(f"Kiểm tra giấy công nhận: {c.verify_url}", size=8, align=TA_CENTER),
        pdf.p(f"Mã băm của quyết định: {c.hash}", size=7, align=TA_CENTER),
    ]
    return lines


def render(c: Certificate) -> bytes:
    return pdf.render(document(c), story(c))
