"""A form template (data) filled with what registration knows of a unit-year, as a Document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.documents.layout import Document, Table, place_date

FORMS = ("dang-ky", "to-trinh", "bao-cao", "bien-ban")
BLANK = "................................"
MET = {True: "Đạt", False: "Chưa đạt", None: ""}


@dataclass(frozen=True)
class Facts:
    """What fills a form; None/blank for a blank form of a unit type."""

    unit_type: str
    year: int | None = None
    unit_id: str = ""
    unit_name: str = ""
    place: str = ""
    managing_level: str = ""
    catalogue_version: str = ""
    criteria: tuple[str, ...] = ()
    # criterion id -> (met, note) of the last dossier's self-assessment
    assessment: dict | None = None
    today: date | None = None


def _values(facts: Facts, common: dict) -> dict:
    authority = common["authorities"].get(facts.managing_level, "Chủ tịch Ủy ban nhân dân")
    name = facts.unit_name or BLANK
    return {
        "unit_name": name,
        "unit_name_upper": facts.unit_name.upper() or BLANK,
        "unit_id": facts.unit_id or BLANK,
        "unit_type_label": common["unit_types"].get(facts.unit_type, facts.unit_type),
        "place": facts.place or BLANK,
        "year": facts.year or "20....",
        "authority": authority,
        "catalogue_version": facts.catalogue_version or BLANK,
        "superior": "",
    }


def _fill(text: str, values: dict) -> str:
    return text.format_map(values)


def criteria_table(facts: Facts) -> Table:
    given = facts.assessment or {}
    rows = tuple(
        (str(i), cid, MET[given.get(cid, (None, ""))[0]], given.get(cid, (None, ""))[1])
        for i, cid in enumerate(facts.criteria, start=1)
    )
    return Table(
        ("STT", "Tiêu chí", "Tự đánh giá", "Kết quả thực hiện, minh chứng"),
        rows,
        (0.08, 0.17, 0.2, 0.55),
    )


def document(template: dict, facts: Facts, common: dict, qr_url: str) -> Document:
    values = _values(facts, common)
    issuer = tuple(_fill(line, values) for line in template["issuer"] if _fill(line, values))
    return Document(
        issuer=issuer,
        number=_fill(template["number"], values),
        place_date=place_date(facts.place or "........", facts.today),
        title=tuple(_fill(line, values) for line in template["title"]),
        body=tuple(_fill(line, values) for line in template["body"]),
        recipients=tuple(_fill(line, values) for line in template["recipients"]),
        signature=tuple(_fill(line, values) for line in template["signature"]),
        tables=(criteria_table(facts),) if template.get("criteria_table") else (),
        qr_url=qr_url,
        qr_caption="Quét mã để nộp văn bản này trên cổng ANTT",
        subject=f"{template['name']} {facts.unit_id} {facts.year or ''}".strip(),
    )
