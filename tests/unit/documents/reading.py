"""Reading generated documents back as a person's tools would: text, and QR codes decoded."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import docx
import pypdf
import zxingcpp
from PIL import Image


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def page_png(data: bytes, page: int = 1, dpi: int = 100) -> Image.Image:
    """One page rendered by poppler's pdftoppm, as a person's viewer would show it."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(src),
                str(Path(tmp) / "page"),
            ],
            check=True,
            timeout=60,
        )
        return Image.open(Path(tmp) / "page.png").convert("RGB").copy()


def pdf_qr_codes(data: bytes, page: int = 1) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(page_png(data, page, 150))]


def docx_qr_codes(data: bytes) -> list[str]:
    d = docx.Document(io.BytesIO(data))
    out = []
    for rel in d.part.rels.values():
        if "image" in rel.reltype:
            image = Image.open(io.BytesIO(rel.target_part.blob)).convert("RGB")
            out += [r.text for r in zxingcpp.read_barcodes(image)]
    return out


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel, 0–255, of two images of the same size."""
    assert a.size == b.size, (a.size, b.size)
    pa, pb = a.tobytes(), b.tobytes()
    return sum(abs(x - y) for x, y in zip(pa, pb, strict=True)) / len(pa)
