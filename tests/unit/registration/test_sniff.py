"""The content check of zip uploads (DOCX, ODT) reads bounded bytes: zip bombs are refused."""

from __future__ import annotations

import tracemalloc

import pytest

from services.registration.adapters import sniff
from services.registration.domain.errors import DocumentRefused
from tests.unit.registration import files


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    made = {}
    for member in ("word/document.xml", "mimetype"):
        path = folder / f"{member.replace('/', '_')}.zip"
        path.write_bytes(files.zip_bomb(member))
        made[member] = path
    return made


@pytest.mark.parametrize("member", ["word/document.xml", "mimetype"])
def test_a_member_declaring_a_gibibyte_is_refused_without_being_decompressed(bombs, member):
    tracemalloc.start()
    try:
        with pytest.raises(DocumentRefused, match="giải nén vượt quá") as refused:
            sniff.content_type_of(bombs[member])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # the 1 GiB member was never expanded in memory
    assert refused.value.errors["file"]


def test_an_archive_of_too_many_members_is_refused_before_its_directory_is_read(tmp_path):
    path = tmp_path / "many.docx"
    path.write_bytes(files.many_members(sniff.MAX_MEMBERS + 1))
    with pytest.raises(DocumentRefused, match="quá nhiều thành phần"):
        sniff.content_type_of(path)


def test_a_document_with_many_pictures_is_still_a_document(tmp_path):
    path = tmp_path / "album.docx"
    path.write_bytes(files.many_members(300))
    assert sniff.content_type_of(path) == sniff.DOCX


def test_a_mimetype_member_longer_than_its_value_is_not_an_odt(tmp_path):
    path = tmp_path / "long.odt"
    path.write_bytes(files.odt().replace(b"opendocument.text", b"opendocument.textX", 1))
    assert sniff.content_type_of(path) is None
