"""Finds a file's type from its bytes (never from its name); zip containers are opened, boundedly.

A zip is opened only after its end record says how many members it has, then judged by the
declared sizes of its members: a zip bomb (huge members, or a huge member count) is refused
without ever being decompressed. The one member read (ODT's `mimetype`) is read up to a few bytes.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import filetype

from services.registration.domain.errors import DocumentRefused

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ZIP_MAGIC = b"PK\x03\x04"
# A Word or OpenDocument file has tens of members, a few hundred with many pictures.
MAX_MEMBERS = 2000
# Declared uncompressed size of all members: far above any real document of 20 MB.
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_MAX_COMMENT = 0xFFFF


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
        _refuse_many_members(_declared_member_count(path))
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            _refuse_many_members(len(members))
            _refuse_huge(members)
            names = {m.filename for m in members}
            if "mimetype" in names and _small_member(z, "mimetype") == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError):
        return None
    return None


def _declared_member_count(path: Path) -> int:
    """The member count in the end-of-central-directory record, read before the directory."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(max(0, size - _END_RECORD_SIZE - _MAX_COMMENT))
        tail = f.read()
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < _END_RECORD_SIZE:
        raise zipfile.BadZipFile("no end of central directory")
    # 0xFFFF means "see the zip64 record": only archives far larger than a document need it.
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def _small_member(z: zipfile.ZipFile, name: str, limit: int = 128) -> bytes:
    with z.open(name) as member:
        return member.read(limit).strip()


def _refuse_many_members(count: int) -> None:
    if count > MAX_MEMBERS:
        raise _refused(f"Tệp nén có quá nhiều thành phần ({count}; tối đa {MAX_MEMBERS}).")


def _refuse_huge(members: list[zipfile.ZipInfo]) -> None:
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED_BYTES:
        mib = MAX_EXPANDED_BYTES // (1024 * 1024)
        raise _refused(f"Tệp nén khi giải nén vượt quá {mib} MB (khai báo {expanded} byte).")


def _refused(why: str) -> DocumentRefused:
    return DocumentRefused(
        f"{why} Tệp không được mở và không được lưu; hãy tải lên văn bản DOCX/ODT thông thường.",
        {"file": [why]},
    )
