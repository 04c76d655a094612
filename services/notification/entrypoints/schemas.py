"""Request and response bodies of the notification API (strict: unknown fields are refused)."""

from marshmallow import Schema, fields, validate

Str, Int = fields.String, fields.Integer


class NotificationQuery(Schema):
    unit_id = Str(validate=validate.Length(min=1, max=100))
    year = Int(validate=validate.Range(2000, 2100))


class NotificationOut(Schema):
    notification_id = Str()
    unit_id = Str()
    year = Int(allow_none=True)
    template = Str()
    channel = Str()
    recipient = Str()
    subject = Str()
    status = Str()
    attempts = Int()
    error = Str(allow_none=True)
    cause_event_id = Str()
    cause_event_type = Str()
    created_at = Str()
    sent_at = Str(allow_none=True)
