"""Request and response bodies of the registration API (strict: unknown fields are refused)."""

from marshmallow import Schema, fields, validate

from shared.http.pages import PageQuery

Str, Int, Bool, Date = fields.String, fields.Integer, fields.Boolean, fields.Date
NonEmpty = validate.Length(min=1, max=300)
# Bounds every free string that lands in an event or an error message (no 5 MB ids or notes).
UnitId = validate.Length(min=1, max=100)
Note = validate.Length(max=2000)
Sha256 = validate.Regexp(r"^[0-9a-f]{64}$", error="Phải là mã SHA-256 (64 ký tự hex thường).")
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
UNIT_TYPES = validate.OneOf(["residential_area", "commune", "agency", "enterprise", "school"])
LEVELS = validate.OneOf(["commune", "district", "province"])


class ErrorOut(Schema):
    code = Int(metadata={"description": "HTTP status"})
    status = Str()
    message = Str(metadata={"description": "What to do about it, in Vietnamese"})
    errors = fields.Dict(metadata={"description": "Problems per field (or per CSV row)"})


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
    version = Int(metadata={"description": "How many times the calendar was set"})


class UnitFields(Schema):
    name = Str(validate=NonEmpty)
    unit_type = Str(validate=UNIT_TYPES)
    commune_code = Str(validate=validate.Length(min=1, max=100))
    managing_level = Str(validate=LEVELS)
    has_party_organization = Bool()
    contact_email = fields.Email()
    enterprise_size = Str(allow_none=True)
    school_level = Str(allow_none=True)
    armed_forces = Bool(allow_none=True)
    demo = Bool()


class UnitIn(UnitFields):
    unit_id = Str(validate=validate.Regexp(r"^[a-z0-9][a-z0-9._-]{1,80}$"))
    name = Str(required=True, validate=NonEmpty)
    unit_type = Str(required=True, validate=UNIT_TYPES)
    commune_code = Str(required=True, validate=validate.Length(min=1, max=100))
    managing_level = Str(required=True, validate=LEVELS)
    has_party_organization = Bool(required=True)
    contact_email = fields.Email(required=True)


class UnitOut(UnitIn):
    jurisdiction = Str()


class UnitCreated(Schema):
    unit_id = Str()


class UnitQuery(PageQuery):
    commune_code = Str()
    unit_type = Str()


class RegistrationDocumentIn(Schema):
    kind = Str(required=True, validate=validate.OneOf(REG_KINDS))
    sha256 = Str(required=True, validate=Sha256)


class DossierDocumentIn(Schema):
    kind = Str(required=True, validate=validate.OneOf(DOSSIER_KINDS))
    sha256 = Str(required=True, validate=Sha256)


class DocumentRefOut(Schema):
    kind = Str()
    sha256 = Str()
    filename = Str()
    size = Int()


class RegistrationIn(Schema):
    unit_id = Str(required=True, validate=UnitId)
    year = Int(required=True, validate=validate.Range(2000, 2100))
    documents = fields.List(fields.Nested(RegistrationDocumentIn), load_default=list)
    # A bounded number of keys: the registration's event must stay well under the broker's limit.
    figures = fields.Dict(
        keys=Str(validate=validate.Length(min=1, max=100)),
        values=Int(validate=validate.Range(0, 10**9)),
        load_default=dict,
        validate=validate.Length(max=50),
    )
    late_reason = Str(
        validate=NonEmpty,
        metadata={"description": "Admin only: records the late exception with this registration"},
    )


class RegistrationOut(Schema):
    unit_id = Str()
    year = Int()
    unit_type = Str()
    name = Str()
    commune_code = Str()
    managing_level = Str()
    has_party_organization = Bool()
    jurisdiction = Str()
    documents = fields.List(fields.Nested(DocumentRefOut))
    figures = fields.Dict(keys=Str(), values=Int())
    late = Bool()
    late_reason = Str(allow_none=True)


class LateExceptionIn(Schema):
    unit_id = Str(required=True, validate=UnitId)
    year = Int(required=True, validate=validate.Range(2000, 2100))
    step = Str(required=True, validate=validate.OneOf(["registration", "dossier"]))
    reason = Str(required=True, validate=NonEmpty)
    until = Date(metadata={"description": "Last day the exception holds (none: open-ended)"})


class LateExceptionOut(LateExceptionIn):
    until = Date(allow_none=True)


class AssessmentIn(Schema):
    criterion_id = Str(required=True, validate=validate.Length(min=1, max=40))
    met = Bool(required=True)
    note = Str(load_default="", validate=Note)


class DossierIn(Schema):
    unit_id = Str(required=True, validate=UnitId)
    year = Int(required=True, validate=validate.Range(2000, 2100))
    documents = fields.List(fields.Nested(DossierDocumentIn), load_default=list)
    self_assessment = fields.List(fields.Nested(AssessmentIn), load_default=list)
    expected_version = Int(
        metadata={"description": "The case `version` read last (GET /dossiers/…); stale → 409"}
    )


class DossierCreated(Schema):
    dossier_id = Str()
    revision = Int()


class DossierOut(DossierCreated):
    unit_id = Str()
    year = Int()
    documents = fields.List(fields.Nested(DocumentRefOut))
    self_assessment = fields.List(fields.Nested(AssessmentIn))
    late = Bool()
    late_reason = Str(allow_none=True)


class DossiersOut(Schema):
    unit_id = Str()
    year = Int()
    version = Int()
    returned_revisions = fields.List(Int())
    revisions = fields.List(fields.Nested(DossierOut))


class UnitChangeIn(Schema):
    from_codes = fields.List(
        fields.Str(validate=validate.Length(1, 64)),
        required=True,
        data_key="from",
        validate=validate.Length(1, 50),
    )
    to = fields.Str(required=True, validate=validate.Length(1, 64))
    name = fields.Str(required=True, validate=validate.Length(1, 200))
    kind = fields.Str(required=True, validate=validate.OneOf(("merge", "rename")))
    contact_email = fields.Email()


class ReorganizationIn(Schema):
    reorganization_id = fields.Str(validate=validate.Length(1, 64))
    effective_on = fields.Date(required=True)
    legal_basis = fields.Str(required=True, validate=validate.Length(1, 500))
    changes = fields.List(
        fields.Nested(UnitChangeIn), required=True, validate=validate.Length(1, 200)
    )
    demo = fields.Bool(load_default=False)


class ReorganizationOut(Schema):
    reorganization_id = fields.Str()
    new_units = fields.List(fields.Str())
