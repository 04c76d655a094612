"""Request and response bodies of the registration API (strict: unknown fields are refused)."""

from marshmallow import Schema, fields, validate

Str, Int, Bool, Date = fields.String, fields.Integer, fields.Boolean, fields.Date
NonEmpty = validate.Length(min=1, max=300)
REG_KINDS = [
    "party_resolution",
    "security_plan",
    "registration_form",
    "household_list",
    "internal_rules",
    "model_decision",
    "other",
]
DOSSIER_KINDS = ["proposal", "results_report", "meeting_minutes", "other"]


class CampaignIn(Schema):
    registration_deadline = Date()
    period_start = Date()
    period_end = Date()
    ra_period_start = Date()
    ra_period_end = Date()
    dossier_deadline = Date()


class CampaignOut(CampaignIn):
    year = Int()
    catalogue_version = Str()
    calendar_version = Str()
    version = Int()


class UnitIn(Schema):
    unit_id = Str(validate=validate.Regexp(r"^[a-z0-9][a-z0-9._-]{1,80}$"))
    name = Str(required=True, validate=NonEmpty)
    unit_type = Str(required=True)
    commune_code = Str(required=True, validate=validate.Length(min=1, max=100))
    managing_level = Str(required=True)
    has_party_organization = Bool(required=True)
    contact_email = fields.Email(required=True)
    enterprise_size = Str()
    school_level = Str()
    armed_forces = Bool()
    demo = Bool()


class UnitOut(UnitIn):
    jurisdiction = Str()


class UnitCreated(Schema):
    unit_id = Str()


class UnitQuery(Schema):
    commune_code = Str()
    unit_type = Str()


class DocumentIn(Schema):
    kind = Str(required=True)
    sha256 = Str(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    filename = Str(load_default="")
    size = Int(load_default=0)


class RegistrationIn(Schema):
    unit_id = Str(required=True)
    year = Int(required=True, validate=validate.Range(2000, 2100))
    documents = fields.List(fields.Nested(DocumentIn), load_default=list)
    figures = fields.Dict(keys=Str(), values=Int(validate=validate.Range(0)), load_default=dict)
    late_reason = Str(validate=NonEmpty)


class RegistrationOut(Schema):
    unit_id = Str()
    year = Int()
    unit_type = Str()
    name = Str()
    commune_code = Str()
    documents = fields.List(fields.Nested(DocumentIn))
    figures = fields.Dict()
    late = Bool()
    late_reason = Str(allow_none=True)


class AssessmentIn(Schema):
    criterion_id = Str(required=True, validate=validate.Length(min=1, max=40))
    met = Bool(required=True)
    note = Str(load_default="")


class DossierIn(Schema):
    unit_id = Str(required=True)
    year = Int(required=True, validate=validate.Range(2000, 2100))
    documents = fields.List(fields.Nested(DocumentIn), load_default=list)
    self_assessment = fields.List(fields.Nested(AssessmentIn), load_default=list)
    expected_version = Int()


class DossierCreated(Schema):
    dossier_id = Str()
    revision = Int()


class DossierOut(DossierCreated):
    unit_id = Str()
    year = Int()
    documents = fields.List(fields.Nested(DocumentIn))
    self_assessment = fields.List(fields.Nested(AssessmentIn))
    late = Bool()


class DossiersOut(Schema):
    unit_id = Str()
    year = Int()
    version = Int()
    returned_revisions = fields.List(Int())
    revisions = fields.List(fields.Nested(DossierOut))
