"""Request and response bodies of the review API (strict: unknown fields are refused)."""

from marshmallow import Schema, fields, validate

from services.review.domain.case import STATUSES
from services.review.domain.commands import DECISIONS
from services.review.domain.findings import RECOMMENDATIONS

Str, Int, Bool, Date, Nested, List = (
    fields.String,
    fields.Integer,
    fields.Boolean,
    fields.Date,
    fields.Nested,
    fields.List,
)
UNIT_TYPES = ["residential_area", "commune", "agency", "enterprise", "school"]
Year = validate.Range(2000, 2100)
Text = validate.Length(min=1, max=2000)


class CriteriaQuery(Schema):
    unit_type = Str(validate=validate.OneOf(UNIT_TYPES))
    year = Int(validate=Year)


class CaseQuery(Schema):
    year = Int(validate=Year)
    status = Str(validate=validate.OneOf(STATUSES))
    commune_code = Str(validate=validate.Length(min=1, max=100))


class IncidentIn(Schema):
    unit_id = Str(required=True, validate=validate.Length(min=1, max=100))
    occurred_on = Date(required=True)
    criterion_id = Str(required=True, validate=validate.Length(min=1, max=40))
    description = Str(required=True, validate=Text)


class ReturnIn(Schema):
    reasons = List(
        Str(validate=validate.Length(min=1, max=500)), required=True, validate=validate.Length(1)
    )
    due_date = Date(required=True)
    expected_version = Int()


class FindingIn(Schema):
    criterion_id = Str(required=True, validate=validate.Length(min=1, max=40))
    met = Bool(required=True)
    note = Str(load_default="", validate=validate.Length(max=2000))


class RecommendationIn(Schema):
    recommendation = Str(required=True, validate=validate.OneOf(RECOMMENDATIONS))
    findings = List(Nested(FindingIn), required=True, validate=validate.Length(1))
    expected_version = Int(required=True)


class DecisionIn(Schema):
    decision = Str(required=True, validate=validate.OneOf(DECISIONS))
    decision_number = Str(required=True, validate=validate.Length(min=1, max=100))
    decided_on = Date(required=True)
    note = Str(load_default="", validate=validate.Length(max=2000))
    expected_version = Int()


class AnnulmentIn(Schema):
    reason = Str(required=True, validate=Text)
    expected_version = Int()


class CriterionOut(Schema):
    criterion_id = Str()
    unit_types = List(Str())
    title = Str()
    kind = Str()
    verified = Bool()
    basis = Str()


class CatalogueOut(Schema):
    catalogue_version = Str()
    criteria = List(Nested(CriterionOut))


class IncidentOut(Schema):
    incident_id = Str()
    unit_id = Str()
    occurred_on = Date()
    criterion_id = Str()
    description = Str()


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


class ProposalOut(Schema):
    criterion_id = Str()
    title = Str()
    kind = Str()
    verified = Bool()
    proposed = Bool(allow_none=True)
    self_assessment_note = Str()


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
    proposals = List(Nested(ProposalOut))
    recommendation = Nested(RecommendationOut, allow_none=True)
    decision = Nested(DecisionOut, allow_none=True)
    annulment = Nested(AnnulmentOut, allow_none=True)
    incidents = List(Nested(IncidentOut))
    history = List(Nested(HistoryOut))
