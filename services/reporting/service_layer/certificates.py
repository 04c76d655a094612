"""Certificates of recognised unit-years, and their public verification by code."""

from __future__ import annotations

from services.reporting.adapters import certificates_log as log
from services.reporting.adapters import repository as repo
from services.reporting.domain import certificate_code
from services.reporting.domain.certificate import ANNULLED, VALID, Certificate, annulment_of
from shared.auth import Principal, ensure_may_see
from shared.errors import NotFound

RECOGNIZED = "recognized"
NOT_FOUND = "Không tìm thấy giấy công nhận với mã này."


def for_unit(rt, who: Principal, unit_id: str, year: int) -> Certificate:
    """The unit-year's certificate (the unit itself or an official of its jurisdiction); 404
    when the unit-year was never recognised."""
    with rt.engine.connect() as conn:
        unit = repo.unit_row(conn, unit_id)
        if unit is not None:
            ensure_may_see(who, unit_id, unit.jurisdiction, rt.jurisdictions, unit.commune_code)
        recognitions = [r for r in log.decisions_of(conn, unit_id, year) if _recognises(r)]
        if unit is None or not recognitions:
            raise NotFound(f"Đơn vị {unit_id} chưa được công nhận năm {year}.")
        return _certificate(rt, conn, unit, recognitions[-1])


def verify(rt, code: str) -> Certificate:
    """What a code names, as the log tells it now; a code this service never made is 404."""
    event_id = certificate_code.decode(rt.deps.certificate_key, code.strip())
    if event_id is None:
        raise NotFound(NOT_FOUND)
    with rt.engine.connect() as conn:
        row = log.decision_by_event_id(conn, event_id)
        unit = repo.unit_row(conn, row.unit_id) if row is not None else None
        if row is None or unit is None or not _recognises(row):
            raise NotFound(NOT_FOUND)
        return _certificate(rt, conn, unit, row)


def _recognises(row) -> bool:
    return log.payload(row).get("decision") == RECOGNIZED


def _certificate(rt, conn, unit, row) -> Certificate:
    decision = log.payload(row)
    annulments = [(a.occurred_at, log.payload(a)) for a in log.annulments_of(conn, *_key(row))]
    annulled = annulment_of(decision, row.occurred_at, annulments)
    code = certificate_code.encode(rt.deps.certificate_key, row.event_id)
    return Certificate(
        unit_id=unit.unit_id,
        unit_name=unit.name,
        year=row.year,
        decision_number=decision["decision_number"],
        decided_on=decision["decided_on"],
        authority=authority(rt.jurisdictions, unit, _commune_name(conn, unit.commune_code)),
        code=code,
        verify_url=f"{rt.deps.public_url}/verify/{code}",
        status=ANNULLED if annulled else VALID,
        event_id=row.event_id,
        hash=row.hash,
        stream_id=row.stream_id,
        stream_version=row.stream_version,
        annulled_on=annulled[0][:10] if annulled else None,
        annul_reason=annulled[1].get("reason") if annulled else None,
        annul_decision_number=annulled[1].get("decision_number") if annulled else None,
    )


def _key(row) -> tuple[str, int]:
    return row.unit_id, row.year


def _commune_name(conn, commune_code: str) -> str | None:
    """The commune's name as its own directory entry gives it (a commune is a unit too)."""
    row = repo.unit_row(conn, commune_code)
    return row.name if row is not None and row.unit_type == "commune" else None


def authority(tree, unit, commune_name: str | None = None) -> str:
    """The People's Committee that recognises the unit, by its managing level (Art. 10):
    the commune's, the district's (the unit's jurisdiction) or the province's."""
    if unit.managing_level == "commune" or unit.jurisdiction not in tree:
        return f"Ủy ban nhân dân {commune_name or 'xã/phường ' + unit.commune_code}"
    code = unit.jurisdiction
    if unit.managing_level == "province":
        while tree.parents.get(code):
            code = tree.parents[code]
    return f"Ủy ban nhân dân {tree.names[code]}"
