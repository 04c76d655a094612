"""One marshmallow schema per event payload; loading builds the frozen dataclass."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, post_load, validate

from shared.events import notification as n
from shared.events import registration as r
from shared.events import review as v

Str = fields.String
Int = fields.Integer
Bool = fields.Boolean
Date = fields.Date


def req(field_class, **kw):
    return field_class(required=True, **kw)


def opt(field_class, default=None, **kw):
    return field_class(load_default=default, allow_none=default is None, **kw)


class _Tolerant(Schema):
    """Tolerant reader: producers may add fields, consumers ignore what they do not know."""

    class Meta:
        unknown = EXCLUDE


class EventSchema(_Tolerant):
    event_class: type = object

    @post_load
    def make_event(self, data, **kwargs):
        frozen = {k: tuple(val) if isinstance(val, list) else val for k, val in data.items()}
        return self.event_class(**frozen)


class DocumentRefSchema(EventSchema):
    event_class = r.DocumentRef
    kind = req(Str)
    sha256 = req(Str)
    filename = opt(Str, "")
    size = opt(Int, 0)


class SelfAssessmentSchema(EventSchema):
    event_class = r.SelfAssessment
    criterion_id = req(Str)
    met = req(Bool)
    note = opt(Str, "")


class FindingSchema(EventSchema):
    event_class = v.Finding
    criterion_id = req(Str)
    met = req(Bool)
    proposed = opt(Bool)
    note = opt(Str, "")


class CampaignScheduledSchema(EventSchema):
    event_class = r.CampaignScheduled
    year = req(Int)
    registration_deadline = req(Date)
    period_start = req(Date)
    period_end = req(Date)
    ra_period_start = req(Date)
    ra_period_end = req(Date)
    dossier_deadline = req(Date)
    catalogue_version = req(Str)
    calendar_version = opt(Str, "")


class UnitAddedSchema(EventSchema):
    event_class = r.UnitAdded
    unit_id = req(Str)
    name = req(Str)
    unit_type = req(Str)
    commune_code = req(Str)
    managing_level = req(Str)
    has_party_organization = req(Bool)
    contact_email = req(Str)
    jurisdiction = req(Str)
    enterprise_size = opt(Str)
    school_level = opt(Str)
    armed_forces = opt(Bool)
    demo = opt(Bool, False)


class UnitUpdatedSchema(UnitAddedSchema):
    event_class = r.UnitUpdated


class UnitRegisteredSchema(EventSchema):
    event_class = r.UnitRegistered
    unit_id = req(Str)
    year = req(Int)
    unit_type = req(Str)
    name = req(Str)
    commune_code = req(Str)
    managing_level = req(Str)
    has_party_organization = req(Bool)
    jurisdiction = req(Str)
    documents = fields.List(fields.Nested(DocumentRefSchema), load_default=list)
    figures = fields.Dict(keys=Str(), load_default=dict)
    late = opt(Bool, False)
    late_reason = opt(Str)


class DossierSubmittedSchema(EventSchema):
    event_class = r.DossierSubmitted
    dossier_id = req(Str)
    unit_id = req(Str)
    year = req(Int)
    revision = req(Int)
    documents = fields.List(fields.Nested(DocumentRefSchema), load_default=list)
    self_assessment = fields.List(fields.Nested(SelfAssessmentSchema), load_default=list)
    late = opt(Bool, False)
    late_reason = opt(Str)


class LateExceptionGrantedSchema(EventSchema):
    event_class = r.LateExceptionGranted
    unit_id = req(Str)
    year = req(Int)
    step = req(Str)
    reason = req(Str)
    until = opt(Date)


class UnitChangeSchema(EventSchema):
    event_class = r.UnitChange
    from_codes = req(fields.List, cls_or_instance=Str(), data_key="from")
    to = req(Str)
    name = req(Str)
    kind = req(Str, validate=validate.OneOf(("merge", "rename")))


class AdministrativeUnitsReorganizedSchema(EventSchema):
    event_class = r.AdministrativeUnitsReorganized
    reorganization_id = req(Str)
    effective_on = req(Date)
    legal_basis = req(Str)
    changes = req(fields.List, cls_or_instance=fields.Nested(UnitChangeSchema))
    province = opt(Str, "")
    demo = opt(Bool, False)


class DossierReturnedSchema(EventSchema):
    event_class = v.DossierReturned
    unit_id = req(Str)
    year = req(Int)
    dossier_id = req(Str)
    revision = req(Int)
    reasons = req(fields.List, cls_or_instance=Str())
    due_date = req(Date)


class IncidentRecordedSchema(EventSchema):
    event_class = v.IncidentRecorded
    incident_id = req(Str)
    unit_id = req(Str)
    occurred_on = req(Date)
    criterion_id = req(Str)
    description = req(Str)


class RecommendationMadeSchema(EventSchema):
    event_class = v.RecommendationMade
    unit_id = req(Str)
    year = req(Int)
    dossier_id = req(Str)
    revision = req(Int)
    recommendation = req(Str)
    findings = req(fields.List, cls_or_instance=fields.Nested(FindingSchema))
    catalogue_version = req(Str)


class RecognitionDecidedSchema(EventSchema):
    event_class = v.RecognitionDecided
    unit_id = req(Str)
    year = req(Int)
    decision = req(Str)
    decision_number = req(Str)
    decided_on = req(Date)
    recommendation_event_id = req(Str)
    note = opt(Str, "")


class RecognitionAnnulledSchema(EventSchema):
    event_class = v.RecognitionAnnulled
    unit_id = req(Str)
    year = req(Int)
    decision_number = req(Str)
    reason = req(Str)


class NotificationSentSchema(EventSchema):
    event_class = n.NotificationSent
    notification_id = req(Str)
    unit_id = req(Str)
    year = opt(Int)
    template = req(Str)
    channel = req(Str)
    recipient = req(Str)
    cause_event_id = req(Str)
    attempts = opt(Int, 1)
    error = opt(Str)
    reminder_key = opt(Str)
    subject = opt(Str, "")


class NotificationFailedSchema(NotificationSentSchema):
    event_class = n.NotificationFailed
