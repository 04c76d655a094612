"""Query and response bodies of the reporting API (strict: unknown parameters are refused)."""

from marshmallow import Schema, fields, validate

from shared.clock import VIETNAM
from shared.http.pages import PageQuery

Str, Int, Bool, Dict = fields.String, fields.Integer, fields.Boolean, fields.Dict
Year = validate.Range(2000, 2100)
FORMATS = validate.OneOf(["json", "csv", "xlsx", "docx", "pdf"])


class ReportQuery(Schema):
    commune_code = Str(validate=validate.Length(min=1, max=100))
    # A moment without an offset is read as Vietnam time, as officials write it.
    as_of = fields.AwareDateTime(default_timezone=VIETNAM)
    format = Str(load_default="json", validate=FORMATS)


class LogPart(Schema):
    last_seq = Int(required=True, validate=validate.Range(min=0))
    positions = Dict(keys=Str(), values=Dict(keys=Str(), values=Int()), required=True)


class Manifest(Schema):
    year = Int(required=True, validate=Year)
    jurisdiction = Str(required=True)
    commune_code = Str(allow_none=True, load_default=None)
    as_of = Str(required=True)
    log = fields.Nested(LogPart, required=True)
    catalogue_versions = fields.List(Str(), load_default=list)
    calendar_version = Str(allow_none=True, load_default=None)
    campaign_event_hash = Str(allow_none=True, load_default=None)
    generator = Str(required=True)


class ReproduceIn(Schema):
    manifest = fields.Nested(Manifest, required=True)
    format = Str(load_default="json", validate=FORMATS)


class Counts(Schema):
    listed = Int()
    registered = Int()
    dossiers_filed = Int()
    returned = Int()
    recommended_achieved = Int()
    recommended_not_achieved = Int()
    recognized = Int()
    not_recognized = Int()
    never_registered = Int()
    no_dossier = Int()
    criteria_failed = Int()
    annulled = Int()
    in_progress = Int()
    registered_pct = Str()
    dossiers_filed_pct = Str()
    recognized_pct = Str()
    not_recognized_pct = Str()


class Cw4Out(Schema):
    managed = Int()
    registered = Int()
    recognized = Int()
    registered_ratio = Str()
    recognized_ratio = Str()
    recognized_pct = Str()
    meets = Bool(allow_none=True)


class DecisionOut(Schema):
    unit_id = Str()
    name = Str()
    unit_type = Str()
    commune_code = Str()
    decision = Str()
    decision_number = Str()
    decided_on = Str()
    signer = Str(allow_none=True)
    annulled = Bool()
    annul_reason = Str(allow_none=True)


class UnitStatusOut(Schema):
    unit_id = Str()
    name = Str()
    unit_type = Str()
    commune_code = Str()
    status = Str()
    decision_number = Str(allow_none=True)
    not_recognized_reason = Str(allow_none=True)
    failing_criteria = fields.List(Str())


class ReportOut(Schema):
    year = Int()
    jurisdiction = Str()
    as_of = Str()
    totals = fields.Nested(Counts)
    by_unit_type = Dict(keys=Str(), values=fields.Nested(Counts))
    by_commune = Dict(keys=Str(), values=fields.Nested(Counts))
    cw4_by_commune = Dict(keys=Str(), values=fields.Nested(Cw4Out))
    failures_by_criterion = Dict(keys=Str(), values=Int())
    decisions = fields.List(fields.Nested(DecisionOut))
    units = fields.List(fields.Nested(UnitStatusOut))
    manifest = fields.Nested(Manifest)


class YearQuery(Schema):
    year = Int(validate=Year)


class HistoryQuery(YearQuery, PageQuery):
    pass


class DocumentOut(Schema):
    kind = Str(allow_none=True)
    sha256 = Str(allow_none=True)
    filename = Str(allow_none=True)
    size = Int(allow_none=True)
    first_cited_by = Str()


class HistoryEventOut(Schema):
    event_id = Str()
    event_type = Str()
    occurred_at = Str()
    actor = Dict()
    producer = Str()
    stream_id = Str()
    stream_version = Int()
    hash = Str()
    documents = fields.List(fields.Nested(DocumentOut))
    payload = Dict()


class PlacementOut(Schema):
    """Where the unit lay, period by period, across reorganisations of its commune."""

    commune = fields.Str()
    name = fields.Str()
    valid_from = fields.Date(data_key="from", attribute="from", allow_none=True)
    until = fields.Date(allow_none=True)
    text = fields.Str()


class PredecessorOut(Schema):
    """For a commune formed by a merge: the communes it was formed from."""

    effective_on = fields.Date()
    code = fields.Str()
    name = fields.Str()
    text = fields.Str()


class HistoryOut(Schema):
    unit_id = Str()
    year = Int(allow_none=True)
    events = fields.List(fields.Nested(HistoryEventOut))
    documents = fields.List(fields.Nested(DocumentOut))
    lineage = fields.List(fields.Nested(PlacementOut))
    formed_from = fields.List(fields.Nested(PredecessorOut))


class ProblemOut(Schema):
    stream_id = Str()
    stream_version = Int(allow_none=True)
    position = Int(allow_none=True)
    event_id = Str(allow_none=True)
    problem = Str()
    detail = Str()


class VerifyOut(Schema):
    ok = Bool()
    events = Int()
    streams = Int()
    problems = fields.List(fields.Nested(ProblemOut))


class CertificateOut(Schema):
    unit_id = Str()
    year = Int()
    code = Str()
    verify_url = Str()
    status = Str(metadata={"enum": ["valid", "annulled"]})
    decision_number = Str()
    decided_on = Str()
