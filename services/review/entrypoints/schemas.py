"""Request and response bodies of the review API (strict: unknown fields are refused)."""

from marshmallow import Schema, fields, validate

from services.review.domain.case import STATUSES
from services.review.domain.decision import DECISIONS
from services.review.domain.findings import RECOMMENDATIONS
from shared.http.pages import PageQuery

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
    province = Str(validate=validate.Length(min=1, max=100))


class CaseQuery(PageQuery):
    year = Int(validate=Year)
    status = Str(validate=validate.OneOf(STATUSES))
    commune_code = Str(validate=validate.Length(min=1, max=100))
    unit_type = Str(validate=validate.OneOf(UNIT_TYPES))


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


class SubItemOut(Schema):
    criterion_id = Str()
    title = Str()
    verified = Bool()
    national_security = Bool()


class CriterionOut(Schema):
    criterion_id = Str()
    unit_types = List(Str())
    title = Str()
    kind = Str()
    verified = Bool()
    basis = Str()
    source = Str()
    accepts_incidents = Bool()
    sub_items = List(Nested(SubItemOut))


class CatalogueOut(Schema):
    catalogue_version = Str()
    year = Int()
    province = Str(allow_none=True)
    criteria = List(Nested(CriterionOut))


class IncidentOut(Schema):
    incident_id = Str()
    unit_id = Str()
    occurred_on = Date()
    criterion_id = Str()
    description = Str()


class BatchCaseIn(Schema):
    unit_id = Str(required=True, validate=validate.Length(min=1, max=100))
    expected_version = Int()


class BatchDecisionIn(Schema):
    year = Int(required=True, validate=Year)
    decision_number = Str(required=True, validate=validate.Length(min=1, max=100))
    decided_on = Date(required=True)
    note = Str(load_default="", validate=validate.Length(max=2000))
    cases = List(Nested(BatchCaseIn), required=True, validate=validate.Length(min=1, max=500))


class BatchResultOut(Schema):
    unit_id = Str()
    status = Str(metadata={"enum": ["decided", "refused"]})
    event_id = Str()
    hash = Str()
    stream_id = Str()
    stream_version = Int()
    code = Int()
    message = Str()
    errors = fields.Dict()


class BatchDecisionOut(Schema):
    year = Int()
    decision_number = Str()
    decided_on = Date()
    decided = Int()
    refused = Int()
    results = List(Nested(BatchResultOut))


class DraftQuery(Schema):
    year = Int(required=True, validate=Year)
    decision_number = Str(validate=validate.Length(min=1, max=100))
    decided_on = Date()
    format = Str(load_default="docx", validate=validate.OneOf(["docx", "pdf"]))
