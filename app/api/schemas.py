"""Marshmallow schemas: the query parameters each list accepts and the JSON each resource
answers. The OpenAPI document is generated from these, and the views validate with them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import INCLUDE, RAISE, Schema, ValidationError, fields, validate

from app.core.models import utc
from app.core.numbers import MAX_ID

CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,200}$"
WILAYAH_CODE = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
LEVEL_CODE = {"type": "string", "pattern": r"^[a-z_]{1,10}$"}


class QuerySchema(Schema):
    class Meta:
        unknown = RAISE  # a misspelt parameter is an error, not a silently wider answer


class PageQuery(QuerySchema):
    cursor = fields.String(
        validate=validate.Regexp(CURSOR_PATTERN),
        metadata={"description": "The `next` value of the previous page; omit for the first page."},
    )
    limit = fields.Integer(
        load_default=50, validate=validate.Range(1, 200), metadata={"description": "Items per page."}
    )


class SyncQuery(PageQuery):
    updated_since = fields.AwareDateTime(
        default_timezone=UTC,
        metadata={"description": "Only items created or changed after this moment (ISO 8601)."},
    )


class WilayahQuery(PageQuery):
    level = fields.String(validate=validate.OneOf(("provinsi", "kabupaten", "kecamatan", "desa")))
    parent = fields.String(validate=validate.Regexp(WILAYAH_CODE), metadata={"description": "Parent code."})


class KaderQuery(SyncQuery):
    posyandu_id = fields.Integer(
        validate=validate.Range(1, MAX_ID), metadata={"description": "Kader serving there now."}
    )


class CertificateQuery(SyncQuery):
    status = fields.String(validate=validate.OneOf(("valid", "revoked")))
    kader_id = fields.Integer(validate=validate.Range(1, MAX_ID))


class SummaryQuery(PageQuery):
    wilayah = fields.String(
        validate=validate.Regexp(WILAYAH_CODE),
        metadata={"description": "Kecamatan, desa or kabupaten code; omit for the token's own area."},
    )


class RosterPushQuery(QuerySchema):
    filename = fields.String(
        validate=validate.Length(1, 200), metadata={"description": "Name recorded for a CSV/XLSX body."}
    )


class UtcDateTime(fields.AwareDateTime):
    """A stored moment (UTC; SQLite hands it back without its zone), answered with its offset."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else utc(value).isoformat()


class WilayahSchema(Schema):
    id = fields.String(required=True, attribute="code", metadata={"description": "The Kemendagri code."})
    name = fields.String(required=True)
    level = fields.String(required=True)
    parent = fields.String(required=True, allow_none=True, attribute="parent_code")


class SyncedSchema(Schema):
    """A facility the API lists for syncing: by id, with the moment it last changed.
    Serialises the model object itself (`attribute` names its column)."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    updated_at = UtcDateTime(required=True)


class PuskesmasSchema(SyncedSchema):
    code = fields.String(required=True)
    kecamatan = fields.String(required=True, attribute="kecamatan_code")
    kabupaten = fields.String(required=True, attribute="kabupaten_code")


class PustuSchema(SyncedSchema):
    desa = fields.String(required=True, attribute="desa_code")
    puskesmas_id = fields.Integer(required=True)


class PosyanduSchema(PustuSchema):
    code = fields.String(required=True)
    dusun_rw = fields.String(required=True, allow_none=True)
    kabupaten = fields.String(required=True, attribute="kabupaten_code")
    active = fields.Boolean(required=True)


class KaderSchema(Schema):
    id = fields.Integer(required=True)
    nik = fields.String(
        required=True, metadata={"description": "Masked (3329************) unless the role keeps registers."}
    )
    nik_masked = fields.Boolean(required=True)
    name = fields.String(required=True)
    sex = fields.String(required=True, validate=validate.OneOf(("L", "P")))
    birth_date = fields.Date(required=True)
    phone = fields.String(required=True, allow_none=True)
    education = fields.String(required=True, allow_none=True)
    start_year = fields.Integer(required=True, allow_none=True)
    kabupaten = fields.String(required=True)
    posyandu_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Serving there now."}
    )
    roster_role = fields.String(required=True, allow_none=True)
    level = fields.String(required=True, allow_none=True, metadata={"description": "Level code reached."})
    mastered_skills = fields.Integer(required=True)
    updated_at = fields.AwareDateTime(required=True)


class SkillProgressSchema(Schema):
    code = fields.String(required=True)
    area = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(("mastered", "ready", "practical_only", "not_yet"))
    )


class ProgressSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The kader's id."})
    level = fields.String(required=True, allow_none=True)
    next_level = fields.String(required=True, allow_none=True)
    missing_skills = fields.List(fields.String(), required=True)
    skills = fields.List(fields.Nested(SkillProgressSchema), required=True)


class CertificateSchema(Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    kader_id = fields.Integer(required=True)
    level = fields.String(required=True)
    kabupaten = fields.String(required=True)
    issued_on = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("valid", "revoked")))
    revoked_at = fields.AwareDateTime(required=True, allow_none=True)
    replaces_id = fields.Integer(required=True, allow_none=True)
    verification_url = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)


class LevelCountSchema(Schema):
    level = fields.String(required=True, metadata={"description": "Level code, or 'none' below the first."})
    kader = fields.Integer(required=True)


class LevelSummarySchema(Schema):
    id = fields.String(required=True, metadata={"description": "The unit: a wilayah code or a Posyandu id."})
    kind = fields.String(required=True)
    name = fields.String(required=True)
    total = fields.Integer(required=True)
    levels = fields.List(fields.Nested(LevelCountSchema), required=True)


class Cell(fields.Field):
    """A spreadsheet cell: text, a number or empty (never a list or an object)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value is None or (isinstance(value, str | int | float) and not isinstance(value, bool)):
            return value
        raise ValidationError("Must be a string, a number or null.")


def _cell(description: str = "", required: bool = False) -> Cell:
    meta: dict[str, Any] = {"type": ["string", "number", "null"]}
    if description:
        meta["description"] = description
    return Cell(required=required, allow_none=True, metadata=meta)


class RosterRowSchema(Schema):
    """One kader row, with the columns of the CSV/XLSX template (the same checks apply)."""

    nik = _cell("16 digits.", required=True)
    nama = _cell(required=True)
    jenis_kelamin = _cell("L or P.", required=True)
    tanggal_lahir = _cell("31/12/1985 or 1985-12-31.", required=True)
    no_hp = _cell()
    pendidikan = _cell("SD, SMP, SMA, D3, S1, S2 or tidak sekolah.")
    posyandu = _cell("Posyandu code or exact name.", required=True)
    peran = _cell("ketua, sekretaris, bendahara or anggota (the default).")
    tahun_mulai = _cell("Year the kader started, e.g. 2019.")


class RosterPushSchema(Schema):
    rows = fields.List(fields.Nested(RosterRowSchema), required=True, validate=validate.Length(min=1))


class RowProblemSchema(Schema):
    row = fields.Integer(
        required=True, metadata={"description": "Row number as in a spreadsheet (data from 2)."}
    )
    severity = fields.String(required=True, validate=validate.OneOf(("error", "warning")))
    code = fields.String(required=True)
    params = fields.Dict(required=True)
    message = fields.String(required=True)


class PlannedRowSchema(Schema):
    row = fields.Integer(required=True)
    action = fields.String(required=True, validate=validate.OneOf(("create", "update", "unchanged")))
    nik = fields.String(required=True)
    name = fields.String(required=True)
    membership = fields.String(required=True)
    changes = fields.List(fields.String(), required=True, metadata={"description": "Changed fields."})


class RosterImportSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("preview", "committed", "discarded")))
    filename = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    committed_at = fields.AwareDateTime(required=True, allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    problems = fields.List(fields.Nested(RowProblemSchema), required=True)
    plans = fields.List(fields.Nested(PlannedRowSchema), required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details (extension members may follow)."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.Raw(metadata={"description": "Field or row errors, when there are any."})
    code = fields.String(metadata={"description": "Roster file problem code (type roster-file)."})
    params = fields.Dict(metadata={"description": "Parameters of that problem."})
