"""Small but real files of each allowed kind (and a few impostors) for registration's tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def pdf(text: str = "Nghị quyết") -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({text.encode('ascii', 'replace').decode()}) Tj ET"
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        + f"4 0 obj << /Length {len(body)} >> stream\n{body}\nendstream endobj\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17) + b"IEND\xaeB`\x82"


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64)


def doc() -> bytes:
    # An OLE2 compound file whose first sector starts with Word's FIB magic.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"\xec\xa5\xc1\x00" + bytes(600)


def docx(text: str = "Báo cáo") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", DOCX_TYPES)
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return buf.getvalue()


def odt(text: str = "Biên bản") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr("content.xml", f"<office:document-content>{text}</office:document-content>")
        z.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "không phải văn bản Word")
    return buf.getvalue()


def zip_bomb(member: str = "word/document.xml", gib: int = 1) -> bytes:
    """A ~1 MB zip whose one member expands to `gib` GiB of zeros (with DOCX's other entries).

    Deflate with a full flush after each MiB restarts the stream, so one compressed MiB of zeros
    repeated is a valid stream: built in a moment, never holding the expanded bytes."""
    mib = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(mib) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = gib * 1024
    data = block * count + deflate.flush()
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(mib, crc)
    entries = [("[Content_Types].xml", DOCX_TYPES.encode())] if member != "mimetype" else []
    return _zip_with_raw_member(entries, member, data, crc, count << 20)


def _zip_with_raw_member(entries, name: str, data: bytes, crc: int, size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for entry_name, content in entries:
            z.writestr(entry_name, content)
    head, tail = _split_at_central_directory(buf.getvalue())
    offset = len(head)
    encoded = name.encode()
    fixed = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc, len(data), size)
    local = b"PK\x03\x04" + fixed + struct.pack("<HH", len(encoded), 0) + encoded
    central_entry = (
        b"PK\x01\x02"
        + struct.pack("<H", 20)
        + fixed
        + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset)
        + encoded
    )
    directory = tail[0] + central_entry
    start = offset + len(local) + len(data)
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, tail[1] + 1, tail[1] + 1, len(directory), start, 0
    )
    return head + local + data + directory + end


def _split_at_central_directory(archive: bytes) -> tuple[bytes, tuple[bytes, int]]:
    """The local part of a zip, and its central directory entries with their count."""
    end = archive.rindex(b"PK\x05\x06")
    count, dir_size, dir_start = struct.unpack("<HII", archive[end + 10 : end + 20])
    return archive[:dir_start], (archive[dir_start : dir_start + dir_size], count)


def many_members(count: int) -> bytes:
    """A small DOCX-looking zip with `count` empty members."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", DOCX_TYPES)
        z.writestr("word/document.xml", "<w:document/>")
        for i in range(count):
            z.writestr(f"word/media/p{i}.xml", "")
    return buf.getvalue()


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


ALLOWED = {
    "application/pdf": ("nghi-quyet.pdf", pdf),
    "application/msword": ("ke-hoach.doc", doc),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("bc.docx", docx),
    "application/vnd.oasis.opendocument.text": ("bien-ban.odt", odt),
    "image/jpeg": ("anh.jpg", jpeg),
    "image/png": ("anh.png", png),
}
