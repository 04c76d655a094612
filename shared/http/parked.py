"""Parked events over HTTP, the same on every service: list them; an admin replays or discards.

`antt parked list|replay|discard` does the same from the command line; both go through the
kernel's parking lot and the service's own consumer (`make_consumer`), so a replay here is the
one the consumer would do.
"""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from shared.http.auth import requires
from shared.messaging import parking

blp = Blueprint("parked", __name__, description="Sự kiện bị giữ lại (parked) của dịch vụ này")
STATUSES = ("parked", "replayed", "discarded", "all")


def current_runtime():
    # shared.http.app registers this blueprint, so its helper cannot be imported here.
    return current_app.config["ANTT_RUNTIME"]


class ParkedQuery(Schema):
    status = fields.String(load_default="parked", validate=validate.OneOf(STATUSES))


class ParkedOut(Schema):
    id = fields.Integer()
    consumer = fields.String()
    topic = fields.String()
    partition = fields.Integer()
    offset = fields.Integer()
    key = fields.String(allow_none=True)
    event_id = fields.String(allow_none=True)
    event_type = fields.String(allow_none=True)
    stream_id = fields.String(allow_none=True)
    waiting_for = fields.String(allow_none=True)
    kind = fields.String()
    reason = fields.String()
    status = fields.String()
    parked_at = fields.String()
    resolved_at = fields.String(allow_none=True)


Ids = fields.List(
    fields.Integer(validate=validate.Range(min=1, max=2**62)),
    required=True,
    validate=validate.Length(min=1, max=200),
)


class ReplayIn(Schema):
    ids = Ids


class DiscardIn(Schema):
    ids = Ids
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class OutcomeOut(Schema):
    id = fields.Integer()
    outcome = fields.String(metadata={"description": "applied, parked again, discarded, …"})
    reason = fields.String(allow_none=True)


@blp.route("/parked", methods=["GET"])
@requires("admin", "auditor")
@blp.arguments(ParkedQuery, location="query")
@blp.response(200, ParkedOut(many=True))
def list_parked(query):
    """Events this service's consumer set aside, with the reason (oldest first)."""
    status = None if query["status"] == "all" else query["status"]
    return parking.list_parked(current_runtime().engine, status=status)


@blp.route("/parked/replay", methods=["POST"])
@requires("admin")
@blp.arguments(ReplayIn)
@blp.response(200, OutcomeOut(many=True))
def replay(body):
    """Run these parked events through the consumer again (each in its own transaction)."""
    from shared.runtime import make_consumer

    return make_consumer(current_runtime()).replay_parked(body["ids"])


@blp.route("/parked/discard", methods=["POST"])
@requires("admin")
@blp.arguments(DiscardIn)
@blp.response(200, OutcomeOut(many=True))
def discard(body):
    """Set these parked events aside for good, with the reason (kept in the row)."""
    rt = current_runtime()
    return [
        {
            "id": parked_id,
            "outcome": "discarded"
            if parking.discard_parked(rt.engine, parked_id, body["reason"], rt.clock)
            else "not parked",
            "reason": body["reason"],
        }
        for parked_id in body["ids"]
    ]
