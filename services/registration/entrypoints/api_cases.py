"""The registration API for one unit's year: registration, late exceptions, dossiers."""

from __future__ import annotations

from flask_smorest import Blueprint

from services.registration.entrypoints import schemas as s
from services.registration.entrypoints.docs import refusals
from services.registration.service_layer import commands, queries
from shared.errors import NotFound
from shared.http.app import current_runtime
from shared.http.auth import current_principal, requires

blp = Blueprint("cases", __name__, description="Đăng ký phấn đấu, ngoại lệ nộp muộn, hồ sơ")
READERS = ("unit", "reviewer", "approver", "auditor", "admin")
# Instances, not classes: given a class, webargs builds the schema (and its nested ones) anew for
# every request, which cost more than the validation itself.
REGISTRATION_IN, LATE_EXCEPTION_IN, DOSSIER_IN = (
    s.RegistrationIn(),
    s.LateExceptionIn(),
    s.DossierIn(),
)


@blp.route("/registrations", methods=["POST"])
@requires("unit", "admin")
@blp.arguments(REGISTRATION_IN)
@blp.response(201, s.RegistrationOut)
@refusals(blp, 404, 409, 422)
def register(body):
    """Register the unit for the year (emits UnitRegistered).

    Required documents and figures depend on the unit type (rules/requirements.v1.json);
    missing ones are named in the 422. After the registration deadline only with a late
    exception (POST /late-exceptions, or an admin's `late_reason` here): `late: true`.
    """
    return commands.register_unit(current_runtime(), current_principal(), body).payload


@blp.route("/registrations/<unit_id>/<int(min=2000, max=2100):year>", methods=["GET"])
@requires(*READERS)
@blp.response(200, s.RegistrationOut)
@refusals(blp, 404)
def get_registration(unit_id, year):
    """The unit's registration of the year."""
    state = queries.get_case(current_runtime(), current_principal(), unit_id, year)
    if state.registration is None:
        raise NotFound(f"Đơn vị {unit_id} chưa đăng ký năm {year}.")
    return state.registration


@blp.route("/late-exceptions", methods=["POST"])
@requires("admin")
@blp.arguments(LATE_EXCEPTION_IN)
@blp.response(201, s.LateExceptionOut)
@refusals(blp, 404, 409, 422)
def grant_late_exception(body):
    """Record that a unit may register or file its dossier after the deadline, with a reason.

    Emits LateExceptionGranted; the late registration/dossier then carries `late: true` and
    this reason. `until` bounds the exception (inclusive).
    """
    return commands.grant_late_exception(current_runtime(), current_principal(), body)


@blp.route("/dossiers", methods=["POST"])
@requires("unit", "admin")
@blp.arguments(DOSSIER_IN)
@blp.response(201, s.DossierCreated)
@refusals(blp, 404, 409, 422)
def submit_dossier(body):
    """Submit the review dossier, or revision n+1 after a return (emits DossierSubmitted).

    Needs proposal, results_report and meeting_minutes documents and one self-assessment
    line per criterion of the unit's type in the campaign's catalogue.
    """
    return commands.submit_dossier(current_runtime(), current_principal(), body)


@blp.route("/dossiers/<unit_id>/<int(min=2000, max=2100):year>", methods=["GET"])
@requires(*READERS)
@blp.response(200, s.DossiersOut)
@refusals(blp, 404)
def get_dossiers(unit_id, year):
    """Every revision of the unit's dossier, with the case `version` to send back."""
    state = queries.get_case(current_runtime(), current_principal(), unit_id, year)
    return {
        "unit_id": unit_id,
        "year": year,
        "version": state.version,
        "returned_revisions": sorted(state.returned_revisions),
        "revisions": state.dossiers,
    }
