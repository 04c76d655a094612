"""The registration HTTP API (port 8001): campaigns and the unit directory; the app factory."""

from __future__ import annotations

import io

from flask import jsonify
from flask_smorest import Blueprint

from services.registration.bootstrap import bootstrap
from services.registration.entrypoints import (
    api_cases,
    api_documents,
    api_forms,
    csv_reorganization,
    csv_rows,
)
from services.registration.entrypoints import schemas as s
from services.registration.entrypoints import schemas_files as f
from services.registration.entrypoints.docs import refusals
from services.registration.service_layer import commands, importing, queries
from shared.http import pages
from shared.http.app import current_runtime, make_app
from shared.http.auth import current_principal, requires
from shared.http.errors import error_body

blp = Blueprint("directory", __name__, description="Lịch đợt đánh giá và danh bạ đơn vị")
ALL = ("unit", "reviewer", "approver", "auditor", "admin")


def _campaign_out(c):
    extra = {"catalogue_version": c.catalogue_version, "calendar_version": c.calendar_version}
    return {"year": c.year, **c.dates, **extra, "version": c.version}


@blp.route("/campaigns/<int:year>", methods=["POST"])
@requires("admin")
@blp.arguments(s.CampaignIn)
@blp.response(200, s.CampaignOut)
@refusals(blp, 422)
def set_campaign(dates, year):
    """Set or change the year's calendar (defaults from the Circular; a passed date is fixed).

    Every change is a CampaignScheduled event on the campaign's stream; the latest one is in force.
    """
    return _campaign_out(
        commands.schedule_campaign(current_runtime(), current_principal(), year, dates)
    )


@blp.route("/campaigns/<int:year>", methods=["GET"])
@requires(*ALL)
@blp.response(200, s.CampaignOut)
@refusals(blp, 404)
def get_campaign(year):
    """The year's calendar in force."""
    return _campaign_out(queries.get_campaign(current_runtime(), year))


@blp.route("/units", methods=["POST"])
@requires("admin")
@blp.arguments(s.UnitIn)
@blp.response(201, s.UnitCreated)
@refusals(blp, 409, 422)
def add_unit(fields):
    """Add a unit to the directory of the admin's jurisdiction (Art. 1 exclusions → 422)."""
    return {"unit_id": commands.add_unit(current_runtime(), current_principal(), fields)}


@blp.route("/reorganizations", methods=["POST"])
@requires("admin")
@blp.arguments(s.ReorganizationIn)
@blp.response(201, s.ReorganizationOut)
@refusals(blp, 422)
def reorganize(body):
    """Record that communes merged or were renamed on a date, with the legal basis
    (`AdministrativeUnitsReorganized`); each new commune joins the directory. Old codes stay
    aliases for history; every service places the units of the old communes under the new one."""
    return commands.reorganize(current_runtime(), current_principal(), body)


@blp.route("/reorganizations/import", methods=["POST"])
@requires("admin")
@blp.arguments(f.FileIn, location="files")
@blp.response(201, s.ReorganizationOut)
@refusals(blp, 413, 422)
def import_reorganization(files):
    """Record a reorganisation from a CSV file (UTF-8, a BOM is accepted): one change per row.

    Columns: `effective_on`, `legal_basis` (the same on every row), `from` (old codes separated
    by `;`), `to`, `name`, `kind` (merge | rename), `contact_email` (optional). Checked as
    `POST /reorganizations`; nothing is recorded unless every row is valid.
    """
    body = csv_reorganization.parse(io.BytesIO(files["file"].read()))
    return commands.reorganize(current_runtime(), current_principal(), body)


@blp.route("/units/import", methods=["POST"])
@requires("admin")
@blp.arguments(f.FileIn, location="files")
@blp.arguments(f.ImportQuery, location="query")
@blp.response(201, f.ImportOut)
@blp.alt_response(422, schema=f.ImportRefusedOut, description="Rows rejected: nothing imported")
@refusals(blp, 413)
def import_units(files, query):
    """Import units from a CSV file (UTF-8, a BOM is accepted), all rows or none.

    Columns: `unit_id` (optional), `name`, `unit_type`, `commune_code`, `managing_level`,
    `has_party_organization`, `contact_email`, `enterprise_size`, `school_level`, `armed_forces`
    (booleans: true/false, 1/0, có/không). Rows are checked in order, as if the rows above were
    already added (a commune may come before its residential areas). **All-or-nothing**: if any
    row is rejected nothing is imported and the 422 answer carries the per-row `report`
    (accepted and rejected rows, with the reason for each). `dry_run=true` checks without
    importing.
    """
    rows = csv_rows.parse(io.BytesIO(files["file"].read()))
    try:
        return importing.import_units(
            current_runtime(), current_principal(), rows, query["dry_run"]
        )
    except importing.ImportRefused as refused:
        # A Response is passed through as is (not dumped with the 201 schema).
        answer = jsonify(
            {**error_body(422, refused.message, refused.errors), "report": refused.report}
        )
        answer.status_code = 422
        return answer


@blp.route("/units", methods=["GET"])
@requires("reviewer", "approver", "auditor", "admin")
@blp.arguments(s.UnitQuery, location="query")
@blp.response(200, s.UnitOut(many=True), headers=pages.LINK_DOC)
@refusals(blp, 422)
def list_units(query):
    """Units of the caller's jurisdiction, by commune and type; by name, a page at a time."""
    page = pages.requested(query)
    return pages.answer(queries.list_units(current_runtime(), current_principal(), page, **query))


@blp.route("/units/<unit_id>", methods=["GET"])
@requires(*ALL)
@blp.response(200, s.UnitOut)
@refusals(blp, 404)
def get_unit(unit_id):
    """One directory entry (a unit user: its own only)."""
    return queries.get_unit(current_runtime(), current_principal(), unit_id)


@blp.route("/units/<unit_id>", methods=["PATCH"])
@requires("admin")
@blp.arguments(s.UnitFields)
@blp.response(200, s.UnitOut)
@refusals(blp, 404, 422)
def update_unit(fields, unit_id):
    """Change a directory entry (emits UnitUpdated; the Art. 1 rules apply again)."""
    return commands.update_unit(current_runtime(), current_principal(), unit_id, fields)


def create_app(settings=None, clock=None):
    rt = bootstrap(settings, clock)
    blueprints = [blp, api_cases.blp, api_documents.blp, api_forms.blp]
    return make_app(rt.settings, rt.engine, "antt registration", blueprints, {"ANTT_RUNTIME": rt})
