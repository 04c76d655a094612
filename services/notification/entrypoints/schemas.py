"""Request and response bodies of the notification API (strict: unknown fields are refused)."""

from marshmallow import Schema, fields, validate

from shared.http.pages import PageQuery

Str, Int = fields.String, fields.Integer


class NotificationQuery(PageQuery):
    unit_id = Str(validate=validate.Length(min=1, max=100))
    year = Int(validate=validate.Range(2000, 2100))
    audience = Str(
        load_default="unit",
        validate=validate.OneOf(["unit", "officials", "all"]),
        metadata={
            "description": "unit: sent to the unit (default); officials: to reviewers and "
            "approvers about it; all: both. A unit user always gets `unit`."
        },
    )


class AttemptOut(Schema):
    attempt = Int()
    at = Str()
    outcome = Str(metadata={"description": "sent | failed"})
    error = Str(allow_none=True)


class NotificationOut(Schema):
    notification_id = Str()
    unit_id = Str()
    year = Int(allow_none=True)
    template = Str()
    audience = Str(metadata={"description": "unit | reviewer | approver"})
    channel = Str()
    recipient = Str()
    subject = Str()
    status = Str(metadata={"description": "pending | sent | failed"})
    attempts = Int()
    error = Str(allow_none=True)
    cause_event_id = Str()
    cause_event_type = Str()
    reminder_key = Str(allow_none=True)
    created_at = Str()
    sent_at = Str(allow_none=True)
    next_attempt_at = Str(allow_none=True)
    attempt_log = fields.List(fields.Nested(AttemptOut))
