"""A `layout.Document` as a PDF (reportlab, DejaVu embedded, `invariant`: same bytes again)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from shared.documents import fonts, qr
from shared.documents.layout import MOTTO, Document, Table, printable

# Decree 30: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm.
MARGINS = {
    "leftMargin": 30 * mm,
    "rightMargin": 15 * mm,
    "topMargin": 20 * mm,
    "bottomMargin": 20 * mm,
}
WIDTH = A4[0] - 45 * mm


def style(size=12, bold=False, italic=False, align=TA_LEFT, leading=None, after=0):
    fonts.register()  # a Paragraph maps its font family as it is made
    font = fonts.BOLD if bold else fonts.ITALIC if italic else fonts.REGULAR
    return ParagraphStyle(
        "s",
        fontName=font,
        fontSize=size,
        leading=leading or size * 1.3,
        alignment=align,
        spaceAfter=after,
    )


def p(text: str, **kw) -> Paragraph:
    return Paragraph(escape(printable(text)), style(**kw))


class QRCode(Flowable):
    """The QR code of a URL, `size` points wide."""

    def __init__(self, url: str, size: float = 32 * mm, align: str = "LEFT"):
        super().__init__()
        self.url, self.width, self.height, self.hAlign = url, size, size, align

    def draw(self):
        qr.draw(self.canv, self.url, 0, 0, self.width)


def header(doc: Document) -> RLTable:
    left = [
        p(line, size=12, bold=i == len(doc.issuer) - 1, align=TA_CENTER)
        for i, line in enumerate(doc.issuer)
    ]
    left.append(p(doc.number, size=12, align=TA_CENTER))
    right = [
        p(MOTTO[0], size=11, bold=True, align=TA_CENTER),
        Paragraph(f"<u>{escape(MOTTO[1])}</u>", style(13, bold=True, align=TA_CENTER)),
        Spacer(1, 4),
        p(doc.place_date, size=12, italic=True, align=TA_CENTER),
    ]
    table = RLTable([[left, right]], colWidths=[WIDTH * 0.4, WIDTH * 0.6])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def grid(t: Table) -> RLTable:
    cell = style(10)
    head = style(10, bold=True, align=TA_CENTER)
    data = [[Paragraph(escape(printable(h)), head) for h in t.header]]
    data += [[Paragraph(escape(printable(v)), cell) for v in row] for row in t.rows]
    widths = [WIDTH * f for f in t.widths] if t.widths else None
    table = RLTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        )
    )
    return table


def _body(doc: Document, figures: tuple) -> list:
    out = []
    for text in doc.body:
        if text.startswith("# "):
            out.append(p(text[2:], size=13, bold=True, align=TA_CENTER, after=4))
        else:
            out.append(p(text, size=13, align=TA_JUSTIFY, after=6))
    out += [*figures, Spacer(1, 8)] if figures else []
    for t in doc.tables:
        out += [grid(t), Spacer(1, 8)]
    return out


def _closing(doc: Document) -> RLTable:
    left = [p("Nơi nhận:", size=12, bold=True, italic=True)]
    left += [p(f"- {r};", size=11) for r in doc.recipients]
    if doc.qr_url:
        left += [Spacer(1, 6), QRCode(doc.qr_url), p(doc.qr_caption, size=8)]
    right = [p(s, size=13, bold=True, align=TA_CENTER) for s in doc.signature]
    right += [Spacer(1, 60), p(doc.signer_name, size=13, bold=True, align=TA_CENTER)]
    table = RLTable([[left, right]], colWidths=[WIDTH * 0.5, WIDTH * 0.5])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def flowables(doc: Document, figures: tuple = ()) -> list:
    """The document's flowables; `figures` (charts) go between the body text and its tables."""
    out = [header(doc), Spacer(1, 14)]
    out += [
        p(line, size=14 if i == 0 else 13, bold=True, align=TA_CENTER)
        for i, line in enumerate(doc.title)
    ]
    out += [Spacer(1, 10), *_body(doc, figures), Spacer(1, 10), _closing(doc)]
    if doc.annex is not None:
        out += [PageBreak(), *[p(t, size=13, bold=True, align=TA_CENTER) for t in doc.annex_title]]
        out += [Spacer(1, 8), grid(doc.annex)]
    return out


def render(doc: Document, story: list | None = None) -> bytes:
    """The PDF's bytes: the same document gives the same bytes (no dates, a fixed id)."""
    fonts.register()
    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=printable(" ".join(doc.title)),
        subject=printable(doc.subject),
        author="antt",
        creator="antt",
        producer="antt",
        invariant=1,
        **MARGINS,
    )
    template.build(story if story is not None else flowables(doc))
    return out.getvalue()
