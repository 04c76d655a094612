"""The registration HTTP API (port 8001): campaigns, units, registrations, dossiers."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from services.registration.bootstrap import bootstrap
from services.registration.entrypoints import schemas as s
from services.registration.service_layer import handlers
from shared.errors import NotFound
from shared.http.app import make_app
from shared.http.auth import current_principal, requires

blp = Blueprint("registration", __name__, description="Đăng ký, danh bạ đơn vị, hồ sơ")


def _rt():
    return current_app.config["ANTT_RUNTIME"]


def _campaign_out(c):
    return {
        "year": c.year,
        **c.dates,
        "catalogue_version": c.catalogue_version,
        "calendar_version": c.calendar_version,
        "version": c.version,
    }


@blp.route("/campaigns/<int:year>", methods=["POST"])
@blp.arguments(s.CampaignIn)
@blp.response(200, s.CampaignOut)
@requires("admin")
def set_campaign(dates, year):
    """Set or change the year's calendar (defaults from the Circular)."""
    return _campaign_out(handlers.schedule_campaign(_rt(), current_principal(), year, dates))


@blp.route("/campaigns/<int:year>", methods=["GET"])
@blp.response(200, s.CampaignOut)
@requires("unit", "reviewer", "approver", "auditor", "admin")
def get_campaign(year):
    return _campaign_out(handlers.get_campaign(_rt(), year))


@blp.route("/units", methods=["POST"])
@blp.arguments(s.UnitIn)
@blp.response(201, s.UnitCreated)
@requires("admin")
def add_unit(fields):
    """Add a unit to the directory of the admin's jurisdiction."""
    return {"unit_id": handlers.add_unit(_rt(), current_principal(), fields)}


@blp.route("/units", methods=["GET"])
@blp.arguments(s.UnitQuery, location="query")
@blp.response(200, s.UnitOut(many=True))
@requires("reviewer", "approver", "auditor", "admin")
def list_units(query):
    return handlers.list_units(_rt(), current_principal(), **query)


@blp.route("/units/<unit_id>", methods=["GET"])
@blp.response(200, s.UnitOut)
@requires("unit", "reviewer", "approver", "auditor", "admin")
def get_unit(unit_id):
    return handlers.get_unit(_rt(), current_principal(), unit_id)


@blp.route("/registrations", methods=["POST"])
@blp.arguments(s.RegistrationIn)
@blp.response(201, s.RegistrationOut)
@requires("unit", "admin")
def register(body):
    """Register the unit to strive for the standard this year (emits UnitRegistered)."""
    env = handlers.register_unit(_rt(), current_principal(), body)
    return env.payload


@blp.route("/registrations/<unit_id>/<int:year>", methods=["GET"])
@blp.response(200, s.RegistrationOut)
@requires("unit", "reviewer", "approver", "auditor", "admin")
def get_registration(unit_id, year):
    state = handlers.get_case(_rt(), current_principal(), unit_id, year)
    if state.registration is None:
        raise NotFound(f"Đơn vị {unit_id} chưa đăng ký năm {year}.")
    return state.registration


@blp.route("/dossiers", methods=["POST"])
@blp.arguments(s.DossierIn)
@blp.response(201, s.DossierCreated)
@requires("unit", "admin")
def submit_dossier(body):
    """Submit the review dossier, or its next revision after a return (emits DossierSubmitted)."""
    return handlers.submit_dossier(_rt(), current_principal(), body)


@blp.route("/dossiers/<unit_id>/<int:year>", methods=["GET"])
@blp.response(200, s.DossiersOut)
@requires("unit", "reviewer", "approver", "auditor", "admin")
def get_dossiers(unit_id, year):
    state = handlers.get_case(_rt(), current_principal(), unit_id, year)
    return {
        "unit_id": unit_id,
        "year": year,
        "version": state.version,
        "returned_revisions": sorted(state.returned_revisions),
        "revisions": state.dossiers,
    }


def create_app(settings=None, clock=None):
    rt = bootstrap(settings, clock)
    return make_app(rt.settings, rt.engine, "antt registration", [blp], {"ANTT_RUNTIME": rt})
