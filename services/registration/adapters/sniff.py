"""Finds a file's type from its bytes (never from its name); zip containers are opened."""

from __future__ import annotations

import zipfile
from pathlib import Path

import filetype

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ZIP_MAGIC = b"PK\x03\x04"


def content_type_of(path: Path) -> str | None:
    with open(path, "rb") as f:
        head = f.read(8192)
    if head.startswith(ZIP_MAGIC):
        return _zip_document(path)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _zip_document(path: Path) -> str | None:
    """DOCX and ODT are zip files: decide by the entries that define them."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None
