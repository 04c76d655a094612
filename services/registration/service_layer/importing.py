"""Import of directory rows (from CSV): every row checked, all imported or none."""

from __future__ import annotations

import uuid

from services.registration.adapters import repository as repo
from services.registration.adapters.rules import eligibility_rules
from services.registration.domain import unit
from services.registration.domain.errors import Invalid
from services.registration.service_layer.commands import append_units
from shared.auth import Principal


def import_units(rt, who: Principal, rows: list, dry_run: bool = False) -> dict:
    """rows: (row number, unit_id, fields, problems). Any rejected row → nothing is imported."""
    with rt.engine.begin() as conn:
        ids = [r[1] for r in rows]
        directory = repo.directory(conn, rt.jurisdictions, who.jurisdiction, ids)
        accepted, rejected = unit.plan_import(
            _with_ids(rows), who.jurisdiction, eligibility_rules(), directory, rt.clock.today_vn()
        )
        report = _report(accepted, rejected, imported=not rejected and not dry_run)
        if rejected:
            raise ImportRefused(report)
        if not dry_run:
            append_units(rt, conn, who, [event for _, event in accepted])
    return report


class ImportRefused(Invalid):
    """At least one row was rejected: nothing was imported; the report says why, per row."""

    def __init__(self, report: dict):
        errors = {f"row {n}": _flatten(r["message"], r["errors"]) for n, r in _by_row(report)}
        super().__init__(
            f"{len(report['rejected'])} dòng bị từ chối nên không dòng nào được nhập; "
            "sửa các dòng nêu trong 'errors' rồi nhập lại cả tệp.",
            errors,
        )
        self.report = report


def _with_ids(rows):
    # Rows without a unit_id get a fresh one, as POST /units does.
    return [
        (n, uid or f"u-{uuid.uuid4().hex[:12]}", fields, problems)
        for n, uid, fields, problems in rows
    ]


def _report(accepted, rejected, imported: bool) -> dict:
    return {
        "imported": imported,
        "accepted": [{"row": n, "unit_id": e.unit_id, "name": e.name} for n, e in accepted],
        "rejected": [{"row": n, "message": m, "errors": errs} for n, m, errs in rejected],
    }


def _by_row(report):
    return [(r["row"], r) for r in report["rejected"]]


def _flatten(message: str, errors: dict) -> list[str]:
    details = [f"{field}: {'; '.join(map(str, msgs))}" for field, msgs in errors.items()]
    return [message, *details]
