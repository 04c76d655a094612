"""Certificate codes name one decision event, reveal nothing, and refuse forgeries."""

import uuid

from services.reporting.domain import certificate_code as cc

KEY = b"k" * 32


def test_a_code_decodes_back_to_the_event_id_it_was_made_from():
    event_id = str(uuid.uuid4())
    code = cc.encode(KEY, event_id)
    assert len(code) == cc.LENGTH and code.isalnum()
    assert cc.decode(KEY, code) == event_id
    assert cc.decode(KEY, code.lower()) == event_id


def test_the_code_does_not_show_the_event_id():
    event_id = str(uuid.uuid4())
    code = cc.encode(KEY, event_id)
    assert event_id.replace("-", "")[:8].upper() not in code


def test_another_key_or_a_changed_character_gives_no_event():
    code = cc.encode(KEY, str(uuid.uuid4()))
    assert cc.decode(b"other" * 8, code) is None
    flipped = ("B" if code[5] != "B" else "C").join((code[:5], code[6:]))
    assert cc.decode(KEY, flipped) is None
    assert cc.decode(KEY, "not-a-code") is None
    assert cc.decode(KEY, "Đ" * cc.LENGTH) is None


def test_control_characters_never_reach_a_document():
    from shared.documents import docx, pdf
    from shared.documents.layout import Document

    doc = Document(("Cơ quan\x00",), "Số: 1\x07", "Hà Nội", ("TIÊU ĐỀ\x1b",), ("Nội dung\ud800",))
    assert docx.render(doc) and pdf.render(doc)
