"""Form documents (DOCX): pre-filled for a unit-year, or blank for a unit type."""

from __future__ import annotations

from services.registration.adapters import forms as store
from services.registration.adapters import repository as repo
from services.registration.adapters.rules import criteria_ids, load_rules
from services.registration.domain.errors import NotFound
from services.registration.domain.forms import Facts, document
from shared.auth import Principal, ensure_may_see
from shared.documents import docx


def prefilled(rt, who: Principal, form: str, unit_id: str, year: int) -> bytes:
    """The form filled with the unit's entry, the year's catalogue and its self-assessment."""
    template = store.template(form)
    with rt.engine.connect() as conn:
        unit = repo.load_unit(rt.store, conn, unit_id)
        ensure_may_see(who, unit_id, unit.jurisdiction, rt.jurisdictions, unit.commune_code)
        version = _catalogue_version(rt, conn, year)
        case = repo.load_case(rt.store, conn, unit_id, year)
    lines = case.dossiers[-1].self_assessment if case.dossiers else ()
    facts = Facts(
        unit_type=unit.unit_type,
        year=year,
        unit_id=unit_id,
        unit_name=unit.name,
        place=_place(rt, unit),
        managing_level=unit.managing_level,
        catalogue_version=version,
        criteria=tuple(criteria_ids(version).get(unit.unit_type, ())),
        assessment={a.criterion_id: (a.met, a.note) for a in lines},
    )
    url = store.filing_url(rt.deps.public_url, form, unit_id, year)
    return docx.render(document(template, facts, store.common(), url))


def blank(rt, form: str, unit_type: str, year: int | None = None) -> bytes:
    """The form for a unit type, with blanks to fill in by hand."""
    template = store.template(form)
    version = _latest_catalogue()
    facts = Facts(
        unit_type=unit_type,
        year=year,
        catalogue_version=version,
        criteria=tuple(criteria_ids(version).get(unit_type, ())),
    )
    url = store.filing_url(rt.deps.public_url, form, None, year)
    return docx.render(document(template, facts, store.common(), url))


def _catalogue_version(rt, conn, year: int) -> str:
    """The catalogue the year's campaign names, else the newest one registration knows."""
    try:
        return repo.load_campaign(rt.store, conn, year).catalogue_version
    except NotFound:
        return _latest_catalogue()


def _latest_catalogue() -> str:
    return sorted(load_rules("criteria_index.v1.json")["catalogues"])[-1]


def _place(rt, unit) -> str:
    district = rt.jurisdictions.names.get(unit.jurisdiction, unit.jurisdiction)
    return f"xã/phường {unit.commune_code}, {district}"
