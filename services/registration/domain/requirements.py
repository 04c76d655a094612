"""What a registration or a dossier must bring: documents, figures, self-assessment lines."""

from __future__ import annotations

from services.registration.domain.errors import Invalid

MISSING = "Còn thiếu: {label}."


def registration_problems(unit, documents, figures: dict, rules: dict) -> dict:
    """Problems per field for the unit's registration dossier (empty when complete)."""
    spec = rules["registration"]
    kinds = {d.kind for d in documents}
    docs = [
        f"Còn thiếu {kind}: {need['label']}."
        for kind, need in spec["documents"].items()
        if unit.unit_type in need["unit_types"]
        and (need.get("when") is None or getattr(unit, need["when"]))
        and kind not in kinds
    ]
    numbers = {
        key: [MISSING.format(label=need["label"])]
        for key, need in spec["figures"].items()
        if unit.unit_type in need["unit_types"] and figures.get(key) is None
    }
    for part, whole in spec["not_more_than"]:
        both = part in figures and whole in figures
        if both and figures[part] > figures[whole]:
            numbers[part] = [f"Không được lớn hơn {whole} ({figures[whole]})."]
    problems = {f"figures.{key}": msgs for key, msgs in numbers.items()}
    return problems | ({"documents": docs} if docs else {})


def dossier_problems(unit_type: str, documents, assessment, rules: dict, ids: dict) -> dict:
    """Problems of a review dossier: required documents and one line per criterion."""
    kinds = {d.kind for d in documents}
    docs = [
        f"Còn thiếu {kind}: {need['label']}."
        for kind, need in rules["dossier"]["documents"].items()
        if kind not in kinds
    ]
    expected = ids.get(unit_type, [])
    given = [line.criterion_id for line in assessment]
    lines = []
    if unknown := sorted(set(given) - set(expected)):
        lines.append(f"Mã tiêu chí không thuộc danh mục của loại đơn vị này: {', '.join(unknown)}.")
    if missing := [c for c in expected if c not in given]:
        lines.append(f"Thiếu dòng tự đánh giá cho tiêu chí: {', '.join(missing)}.")
    if twice := sorted({c for c in given if given.count(c) > 1}):
        lines.append(f"Mỗi tiêu chí chỉ một dòng; trùng: {', '.join(twice)}.")
    return ({"documents": docs} if docs else {}) | ({"self_assessment": lines} if lines else {})


def require(problems: dict, message: str) -> None:
    if problems:
        raise Invalid(message, problems)
