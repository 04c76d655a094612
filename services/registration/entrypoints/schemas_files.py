"""Bodies of the file endpoints: multipart uploads, the CSV import report, stored documents."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from services.registration.entrypoints.schemas import ErrorOut

Str, Int, Bool = fields.String, fields.Integer, fields.Boolean


class FileIn(Schema):
    file = Upload(required=True, metadata={"description": "The file (multipart field `file`)"})


class ImportQuery(Schema):
    dry_run = Bool(load_default=False, metadata={"description": "Check only, import nothing"})


class ImportedRow(Schema):
    row = Int()
    unit_id = Str()
    name = Str()


class RejectedRow(Schema):
    row = Int()
    message = Str()
    errors = fields.Dict()


class ImportOut(Schema):
    imported = Bool()
    accepted = fields.List(fields.Nested(ImportedRow))
    rejected = fields.List(fields.Nested(RejectedRow))


class ImportRefusedOut(ErrorOut):
    report = fields.Nested(ImportOut)


class DocumentOut(Schema):
    sha256 = Str()
    size = Int()
    content_type = Str()
    filename = Str()


class RequirementsOut(Schema):
    version = Str()
    registration = fields.Dict(metadata={"description": "documents, figures, not_more_than"})
    dossier = fields.Dict(metadata={"description": "documents a dossier brings"})
    file_types = fields.Dict(keys=Str(), values=Str(), metadata={"description": "MIME → name"})
    max_upload_bytes = Int()
