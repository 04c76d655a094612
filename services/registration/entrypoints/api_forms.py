"""The registration API's form documents: pre-filled for a unit-year, or blank for a type."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.registration.domain.forms import FORMS
from services.registration.entrypoints.docs import refusals
from services.registration.entrypoints.schemas import UNIT_TYPES
from services.registration.service_layer import forms
from shared.http.app import current_runtime
from shared.http.auth import current_principal, requires

blp = Blueprint("forms", __name__, description="Biểu mẫu văn bản (DOCX) điền sẵn hoặc để trống")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NAMES = {
    "dang-ky": "ban-dang-ky",
    "to-trinh": "to-trinh",
    "bao-cao": "bao-cao-tieu-chi",
    "bien-ban": "bien-ban-hop",
}


class FormQuery(Schema):
    unit_id = fields.String(validate=validate.Length(min=1, max=100))
    year = fields.Integer(validate=validate.Range(2000, 2100))
    unit_type = fields.String(validate=UNIT_TYPES)

    @validates_schema
    def one_of_unit_or_type(self, data, **_):
        if data.get("unit_id") and not data.get("year"):
            raise ValidationError("Cần năm (year) khi điền sẵn cho một đơn vị.", "year")
        if not data.get("unit_id") and not data.get("unit_type"):
            raise ValidationError("Cần unit_id và year, hoặc unit_type cho mẫu trống.", "unit_type")


@blp.route("/forms/<any(" + ", ".join(f'"{f}"' for f in FORMS) + "):form>", methods=["GET"])
@requires("unit", "reviewer", "approver", "auditor", "admin")
@blp.arguments(FormQuery, location="query")
@blp.response(200)
@blp.doc(
    responses={
        "200": {
            "description": "Văn bản DOCX",
            "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
@refusals(blp, 404, 422)
def get_form(query, form):
    """A form (dang-ky, to-trinh, bao-cao, bien-ban) as DOCX in the Decree 30 layout with a QR
    code to the portal page where it is filed: `unit_id` and `year` fill it in (the unit itself
    or an official of its jurisdiction); `unit_type` alone gives the blank form."""
    rt, who = current_runtime(), current_principal()
    if query.get("unit_id"):
        body = forms.prefilled(rt, who, form, query["unit_id"], query["year"])
    else:
        body = forms.blank(rt, form, query["unit_type"], query.get("year"))
    name = f"{NAMES[form]}.docx"  # ASCII: a unit id may not be
    return Response(
        body, mimetype=DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
