"""The draft decision a chairman signs: recognition of the units in the annex (DOCX and PDF)."""

from __future__ import annotations

from datetime import date

from shared.documents import docx, pdf
from shared.documents.layout import Document, Table, place_date

STANDARD = "“An toàn về an ninh, trật tự”"
BLANK_NUMBER = "        "


def document(
    authority_name: str,
    year: int,
    units: list,
    bases: tuple[str, ...],
    number: str | None,
    decided_on: date | None,
) -> Document:
    """`authority_name` as the tree names it ("Thành phố Nha Trang"); `units`: directory rows."""
    body_name = authority_name.upper()
    number_text = number or f"{BLANK_NUMBER}/QĐ-UBND"
    when = (
        f"ngày {decided_on.day:02d}/{decided_on.month:02d}/{decided_on.year}"
        if decided_on
        else "ngày ..../..../......"
    )
    rows = tuple((str(i), u.name, u.unit_id, u.commune_code) for i, u in enumerate(units, start=1))
    return Document(
        issuer=("ỦY BAN NHÂN DÂN", body_name),
        number=f"Số: {number_text}",
        place_date=place_date(authority_name, decided_on),
        title=(
            "QUYẾT ĐỊNH",
            f"Về việc công nhận các đơn vị đạt tiêu chuẩn {STANDARD} năm {year}",
        ),
        body=(
            f"# CHỦ TỊCH ỦY BAN NHÂN DÂN {body_name}",
            *(f"{text};" for text in bases),
            "Xét đề nghị của cơ quan Công an cùng cấp về kết quả đánh giá, thẩm định.",
            "# QUYẾT ĐỊNH:",
            f"Điều 1. Công nhận {len(units)} đơn vị (có danh sách kèm theo) đạt tiêu chuẩn "
            f"{STANDARD} năm {year}.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 3. Chánh Văn phòng Ủy ban nhân dân, Thủ trưởng cơ quan Công an cùng cấp và "
            "người đứng đầu các đơn vị có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ),
        recipients=("Như Điều 3", "Công an tỉnh", "Lưu: VT"),
        signature=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        annex_title=(
            f"DANH SÁCH CÁC ĐƠN VỊ ĐẠT TIÊU CHUẨN {STANDARD.upper()} NĂM {year}",
            f"(Kèm theo Quyết định số {number_text} {when} của Chủ tịch Ủy ban nhân dân "
            f"{authority_name})",
        ),
        annex=Table(("STT", "Tên đơn vị", "Mã đơn vị", "Xã/phường"), rows, (0.08, 0.5, 0.22, 0.2)),
        subject=f"Dự thảo quyết định công nhận năm {year}",
    )


def render(doc: Document, fmt: str) -> bytes:
    return pdf.render(doc) if fmt == "pdf" else docx.render(doc)
