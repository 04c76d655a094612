"""An administrative document per Decree 30/2020/NĐ-CP, as data both writers render.

National motto header beside the issuing body, number and symbol, place and date, title,
body, "Nơi nhận" and the signature block; optionally a QR code and an annex table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# Control characters (and lone surrogates) no document format can hold: XML refuses them.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # fractions of the text width


@dataclass(frozen=True)
class Document:
    issuer: tuple[str, ...]  # superior body (may be empty), then the issuing body
    number: str  # "Số: 12/QĐ-UBND"
    place_date: str  # "Hà Nội, ngày 05 tháng 12 năm 2026"
    title: tuple[str, ...]  # the kind ("QUYẾT ĐỊNH") and what it is about
    body: tuple[str, ...]  # paragraphs; a line starting with "# " is a bold heading
    recipients: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()  # "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    signer_name: str = ""
    tables: tuple[Table, ...] = ()
    annex_title: tuple[str, ...] = ()
    annex: Table | None = None
    qr_url: str | None = None
    qr_caption: str = ""
    # Fixed document metadata: the same content gives the same bytes.
    subject: str = ""
    meta: dict = field(default_factory=dict)


def place_date(place: str, day: date | None) -> str:
    """'Hà Nội, ngày 05 tháng 12 năm 2026' (blank spaces for a form to fill in)."""
    if day is None:
        return f"{place}, ngày ..... tháng ..... năm ......."
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def printable(text) -> str:
    """The text as a document can hold it: control characters dropped."""
    return _UNPRINTABLE.sub("", str(text))
