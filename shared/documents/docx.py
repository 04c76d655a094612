"""A `layout.Document` as a DOCX (python-docx), regenerating to the same bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from shared.documents import qr
from shared.documents.layout import MOTTO, Document, Table, printable

FONT = "Times New Roman"  # Decree 30's font; a reader without it substitutes
# The moment written into the file's properties and zip entries: the content decides the bytes.
FIXED = datetime(2020, 1, 1, tzinfo=UTC)
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def _para(cell_or_doc, text, size=13, bold=False, italic=False, align=None, underline=False):
    para = cell_or_doc.add_paragraph()
    run = para.add_run(printable(text))
    run.font.size, run.bold, run.italic, run.underline = Pt(size), bold, italic, underline
    run.font.name = FONT
    if align is not None:
        para.alignment = align
    return para


def _header(d, doc: Document) -> None:
    table = d.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    for i, line in enumerate(doc.issuer):
        _para(left, line, 12, bold=i == len(doc.issuer) - 1, align=CENTER)
    _para(left, doc.number, 12, align=CENTER)
    _para(right, MOTTO[0], 12, bold=True, align=CENTER)
    _para(right, MOTTO[1], 13, bold=True, align=CENTER, underline=True)
    _para(right, doc.place_date, 13, italic=True, align=CENTER)


def _grid(d, t: Table) -> None:
    table = d.add_table(rows=1, cols=len(t.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, t.header, strict=True):
        cell.paragraphs[0].add_run(printable(text)).bold = True
    for row in t.rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.paragraphs[0].add_run(printable(text))


def _closing(d, doc: Document) -> None:
    table = d.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _para(left, "Nơi nhận:", 12, bold=True, italic=True)
    for r in doc.recipients:
        _para(left, f"- {r};", 11)
    if doc.qr_url:
        left.add_paragraph().add_run().add_picture(io.BytesIO(qr.png(doc.qr_url)), width=Mm(30))
        _para(left, doc.qr_caption, 8)
    for s in doc.signature:
        _para(right, s, 13, bold=True, align=CENTER)
    for _ in range(4):
        right.add_paragraph()
    _para(right, doc.signer_name, 13, bold=True, align=CENTER)


def build(doc: Document) -> docx.document.Document:
    d = docx.Document()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)
    _header(d, doc)
    d.add_paragraph()
    for i, line in enumerate(doc.title):
        _para(d, line, 14 if i == 0 else 13, bold=True, align=CENTER)
    for text in doc.body:
        if text.startswith("# "):
            _para(d, text[2:], bold=True, align=CENTER)
        else:
            _para(d, text, align=JUSTIFY)
    for t in doc.tables:
        _grid(d, t)
    d.add_paragraph()
    _closing(d, doc)
    if doc.annex is not None:
        d.add_page_break()
        for line in doc.annex_title:
            _para(d, line, bold=True, align=CENTER)
        _grid(d, doc.annex)
    _properties(d, doc)
    return d


def _properties(d, doc: Document) -> None:
    props = d.core_properties
    props.title = printable(" ".join(doc.title))[:255]
    props.subject = printable(doc.subject)[:255]
    props.author = props.last_modified_by = "antt"
    props.created = props.modified = FIXED.replace(tzinfo=None)
    props.revision = 1


def render(doc: Document) -> bytes:
    out = io.BytesIO()
    build(doc).save(out)
    return stable_zip(out.getvalue())


def stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated FIXED, so that equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
