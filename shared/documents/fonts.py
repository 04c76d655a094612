"""The DejaVu fonts (Debian's fonts-dejavu-core) registered with reportlab, embedded in PDFs.

DejaVu has Vietnamese stacked diacritics (ế, ậ, ự); `make install` and `.ci/run` install it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Font name in the PDF -> file of the Debian package.
FILES = {
    "DejaVuSerif": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic": "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
}
REGULAR, BOLD, ITALIC = "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"
BOLD_ITALIC = "DejaVuSerif-BoldItalic"


class FontsMissing(RuntimeError):
    """The DejaVu files are not installed (apt-get install fonts-dejavu-core)."""


def font_dir() -> Path:
    return Path(os.environ.get("ANTT_FONT_DIR") or FONT_DIR)


@cache
def register() -> None:
    """Register the fonts once per process (at first use, never at import)."""
    folder = font_dir()
    for name, filename in FILES.items():
        path = folder / filename
        if not path.is_file():
            raise FontsMissing(
                f"{path} is missing: install the Debian package fonts-dejavu-core "
                "(make install does) or set ANTT_FONT_DIR"
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
