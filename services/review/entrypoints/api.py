"""The review HTTP API (port 8002): criteria, case queue, returns, recommendations, decisions."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from services.review.bootstrap import bootstrap
from services.review.entrypoints import case_schemas as c
from services.review.entrypoints import schemas as s
from services.review.service_layer import batch, commands, queries
from shared.http import pages
from shared.http.app import current_runtime, make_app
from shared.http.auth import current_principal, requires

blp = Blueprint("review", __name__, description="Thẩm định hồ sơ, kiến nghị, quyết định công nhận")
# One case: a unit in a campaign year (years outside 2000–2100 are 404, not a DB overflow).
CASE = "/cases/<unit_id>/<int(min=2000, max=2100):year>"

READERS = ("reviewer", "approver", "auditor", "admin")


def _view(unit_id: str, year: int) -> dict:
    return queries.case_view(current_runtime(), current_principal(), unit_id, year)


@blp.route("/criteria", methods=["GET"])
@requires(*READERS, "unit")
@blp.arguments(s.CriteriaQuery, location="query")
@blp.response(200, s.CatalogueOut)
def get_criteria(query):
    """The criteria catalogue in force, optionally for one unit type."""
    return queries.criteria(current_runtime(), current_principal(), **query)


@blp.route("/cases", methods=["GET"])
@requires(*READERS)
@blp.arguments(s.CaseQuery, location="query")
@blp.response(200, c.CaseSummaryOut(many=True), headers=pages.LINK_DOC)
def list_cases(query):
    """The queue: cases of the caller's jurisdiction, by year, status, commune, unit type;
    newest year first, a page at a time."""
    page = pages.requested(query)
    return pages.answer(queries.list_cases(current_runtime(), current_principal(), page, **query))


@blp.route(CASE, methods=["GET"])
@requires(*READERS, "unit")
@blp.response(200, c.CaseOut)
def get_case(unit_id, year):
    """One case: dossier revisions, proposed verdicts, findings, decision, history, version."""
    return _view(unit_id, year)


@blp.route("/incidents", methods=["POST"])
@requires("reviewer")
@blp.arguments(s.IncidentIn)
@blp.response(201, s.IncidentOut)
def record_incident(body):
    """Record an incident against one criterion of a unit (emits IncidentRecorded)."""
    return commands.record_incident(current_runtime(), current_principal(), body)


@blp.route(CASE + "/return", methods=["POST"])
@requires("reviewer")
@blp.arguments(s.ReturnIn)
@blp.response(201, c.CaseOut)
def return_dossier(body, unit_id, year):
    """Return the dossier for supplementation (emits DossierReturned); answers the case."""
    commands.return_dossier(current_runtime(), current_principal(), unit_id, year, body)
    return _view(unit_id, year)


@blp.route(CASE + "/recommendation", methods=["POST"])
@requires("reviewer")
@blp.arguments(s.RecommendationIn)
@blp.response(201, c.CaseOut)
def recommend(body, unit_id, year):
    """Recommend đạt / chưa đạt with one finding per criterion (emits RecommendationMade)."""
    commands.recommend(current_runtime(), current_principal(), unit_id, year, body)
    return _view(unit_id, year)


@blp.route(CASE + "/decision", methods=["POST"])
@requires("approver")
@blp.arguments(s.DecisionIn)
@blp.response(201, c.CaseOut)
def decide(body, unit_id, year):
    """Decide recognition on the recommendation (emits RecognitionDecided); four-eyes."""
    commands.decide(current_runtime(), current_principal(), unit_id, year, body)
    return _view(unit_id, year)


@blp.route(CASE + "/annulment", methods=["POST"])
@requires("approver")
@blp.arguments(s.AnnulmentIn)
@blp.response(201, c.CaseOut)
def annul(body, unit_id, year):
    """Annul a recognition, with the reason (emits RecognitionAnnulled)."""
    commands.annul(current_runtime(), current_principal(), unit_id, year, body)
    return _view(unit_id, year)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENT_FORMS = {
    DOCX: {"schema": {"type": "string", "format": "binary"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
}


@blp.route("/decisions/batch", methods=["POST"])
@requires("approver")
@blp.arguments(s.BatchDecisionIn)
@blp.response(200, s.BatchDecisionOut)
def decide_batch(body):
    """One decision number and date for the listed cases: one RecognitionDecided per unit,
    each case checked and stored on its own (four-eyes, authority, expected version); the
    answer says, case by case, what was decided and what was refused and why."""
    return batch.decide_batch(current_runtime(), current_principal(), body)


@blp.route("/decisions/draft", methods=["GET"])
@requires("approver")
@blp.arguments(s.DraftQuery, location="query")
@blp.response(200)
@blp.doc(responses={"200": {"description": "Dự thảo quyết định", "content": DOCUMENT_FORMS}})
def draft_decision(query):
    """The draft recognition decision of the caller's authority for a year (DOCX or PDF),
    with the legal bases in force on its date and the annex of every unit recommended
    "achieved" and not yet decided."""
    fmt = query["format"]
    body = batch.draft(
        current_runtime(),
        current_principal(),
        query["year"],
        query.get("decision_number"),
        query.get("decided_on"),
        fmt,
    )
    name = f"du-thao-quyet-dinh-cong-nhan-{query['year']}.{fmt}"
    return Response(
        body,
        mimetype=DOCX if fmt == "docx" else "application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def create_app(settings=None, clock=None, extensions_dir=None):
    rt = bootstrap(settings, clock, extensions_dir)
    return make_app(rt.settings, rt.engine, "antt review", [blp], {"ANTT_RUNTIME": rt})
