"""Response bodies of the case queue and the case view (GET /cases, GET /cases/{unit}/{year})."""

from marshmallow import Schema, fields

from services.review.entrypoints.schemas import IncidentOut

Str, Int, Bool, Date, Nested, List = (
    fields.String,
    fields.Integer,
    fields.Boolean,
    fields.Date,
    fields.Nested,
    fields.List,
)


class UnitInfoOut(Schema):
    unit_id = Str()
    name = Str()
    unit_type = Str()
    commune_code = Str()
    managing_level = Str()
    has_party_organization = Bool()
    jurisdiction = Str()


class CaseSummaryOut(Schema):
    unit_id = Str()
    year = Int()
    status = Str()
    outcome = Str(allow_none=True)
    version = Int()
    unit = Nested(UnitInfoOut)


class DocumentOut(Schema):
    kind = Str()
    sha256 = Str()
    filename = Str()
    size = Int()


class AssessmentOut(Schema):
    criterion_id = Str()
    met = Bool()
    note = Str()


class RegistrationOut(Schema):
    unit_type = Str()
    name = Str()
    commune_code = Str()
    documents = List(Nested(DocumentOut))
    figures = fields.Dict()
    late = Bool()
    late_reason = Str(allow_none=True)


class DossierOut(Schema):
    dossier_id = Str()
    revision = Int()
    documents = List(Nested(DocumentOut))
    self_assessment = List(Nested(AssessmentOut))
    late = Bool()
    returned = Bool()


class ReturnOut(Schema):
    dossier_id = Str()
    revision = Int()
    reasons = List(Str())
    due_date = Date()


class CheckOut(Schema):
    item = Str()
    result = Str()
    detail = Str()


class ProposalOut(Schema):
    criterion_id = Str()
    title = Str()
    kind = Str()
    verified = Bool()
    proposed = Bool(allow_none=True)
    checks = List(Nested(CheckOut))
    self_assessment_note = Str()


class CaseIncidentOut(IncidentOut):
    counts = Bool()


class PeriodOut(Schema):
    start = Date()
    end = Date()


class CommuneUnitsOut(Schema):
    total = Int()
    registered = Int()
    recognised = Int()
    open_units = List(Str())


class AuthorityOut(Schema):
    level = Str()
    code = Str(allow_none=True)
    name = Str()
    verified = Bool()
    source = Str()
    version = Str()
    note = Str(allow_none=True)


class FindingOut(AssessmentOut):
    proposed = Bool(allow_none=True)


class RecommendationOut(Schema):
    event_id = Str()
    made_by = Str()
    dossier_id = Str()
    revision = Int()
    recommendation = Str()
    findings = List(Nested(FindingOut))
    catalogue_version = Str()


class DecisionOut(Schema):
    decision = Str()
    decision_number = Str()
    decided_on = Date()
    recommendation_event_id = Str()
    note = Str()


class AnnulmentOut(Schema):
    decision_number = Str()
    reason = Str()


class HistoryOut(Schema):
    event_id = Str()
    event_type = Str()
    occurred_at = Str()
    actor = fields.Dict()


class CaseOut(CaseSummaryOut):
    registration = Nested(RegistrationOut, allow_none=True)
    current_revision = Int()
    dossiers = List(Nested(DossierOut))
    returns = List(Nested(ReturnOut))
    catalogue_version = Str()
    evaluation_period = Nested(PeriodOut)
    proposals = List(Nested(ProposalOut))
    commune_units = Nested(CommuneUnitsOut, allow_none=True)
    authority = Nested(AuthorityOut, allow_none=True)
    recommendation = Nested(RecommendationOut, allow_none=True)
    decision = Nested(DecisionOut, allow_none=True)
    annulment = Nested(AnnulmentOut, allow_none=True)
    incidents = List(Nested(CaseIncidentOut))
    history = List(Nested(HistoryOut))
