"""Query and response bodies of the reporting API (strict: unknown parameters are refused)."""

from marshmallow import Schema, fields, validate

from shared.clock import VIETNAM

Str, Int, Bool, Dict = fields.String, fields.Integer, fields.Boolean, fields.Dict
Year = validate.Range(2000, 2100)


class ReportQuery(Schema):
    commune_code = Str(validate=validate.Length(min=1, max=100))
    # A moment without an offset is read as Vietnam time, as officials write it.
    as_of = fields.AwareDateTime(default_timezone=VIETNAM)
    format = Str(load_default="json", validate=validate.OneOf(["json", "csv"]))


class Counts(Schema):
    listed = Int()
    registered = Int()
    dossiers_filed = Int()
    returned = Int()
    recommended_achieved = Int()
    recommended_not_achieved = Int()
    recognized = Int()
    not_recognized = Int()
    annulled = Int()
    registered_pct = Str()
    recognized_pct = Str()


class DecisionOut(Schema):
    unit_id = Str()
    name = Str()
    decision = Str()
    decision_number = Str()
    decided_on = Str()
    signer = Str()
    annulled = Bool()


class UnitStatusOut(Schema):
    unit_id = Str()
    name = Str()
    unit_type = Str()
    commune_code = Str()
    status = Str()
    decision_number = Str(allow_none=True)


class ReportOut(Schema):
    year = Int()
    jurisdiction = Str()
    as_of = Str()
    totals = fields.Nested(Counts)
    by_unit_type = Dict(keys=Str(), values=fields.Nested(Counts))
    by_commune = Dict(keys=Str(), values=fields.Nested(Counts))
    failures_by_criterion = Dict(keys=Str(), values=Int())
    decisions = fields.List(fields.Nested(DecisionOut))
    units = fields.List(fields.Nested(UnitStatusOut))


class YearQuery(Schema):
    year = Int(validate=Year)


class HistoryEventOut(Schema):
    event_id = Str()
    event_type = Str()
    occurred_at = Str()
    actor = Dict()
    producer = Str()
    stream_id = Str()
    stream_version = Int()
    payload = Dict()


class HistoryOut(Schema):
    unit_id = Str()
    events = fields.List(fields.Nested(HistoryEventOut))


class ProblemOut(Schema):
    stream_id = Str()
    stream_version = Int(allow_none=True)
    problem = Str()
    detail = Str()


class VerifyOut(Schema):
    ok = Bool()
    events = Int()
    streams = Int()
    problems = fields.List(fields.Nested(ProblemOut))
