"""QR codes (segno): drawn as squares on a reportlab canvas, or as a PNG for a DOCX."""

from __future__ import annotations

import io

import segno


def make(url: str) -> segno.QRCode:
    # Error correction M survives a fold or a stamp across a printed code.
    return segno.make_qr(url, error="m", boost_error=False)


def draw(canvas, url: str, x: float, y: float, size: float) -> None:
    """The code with its quiet zone, `size` points wide, lower-left corner at (x, y)."""
    code = make(url)
    rows = list(code.matrix_iter(scale=1, border=4))
    cell = size / len(rows)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)
    canvas.restoreState()


def png(url: str, scale: int = 4) -> bytes:
    out = io.BytesIO()
    make(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
