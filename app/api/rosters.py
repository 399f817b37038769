"""Roster push: the same validation, preview and all-or-nothing commit as the CSV/XLSX
import pages (app.rosters.roster_import), with row problems as JSON.

POST a JSON list of rows (or a CSV/XLSX body): the table is checked and kept as a preview;
nothing changes until `commit`, which validates again against the database as it is then
and applies every row or none.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from flask import request
from marshmallow import ValidationError

from app.api.auth import require_roles
from app.api.problems import ApiProblem
from app.api.registry import load_query, operation
from app.api.schemas import RosterImportSchema, RosterPushQuery, RosterPushSchema
from app.core import audit
from app.core.models import utc
from app.core.scope import get_scoped_or_404
from app.rosters.import_messages import issue_text
from app.rosters.models import RosterImport
from app.rosters.roster_file import COLUMNS, Issue, RosterFileError, read_table
from app.rosters.roster_import import (
    ImportResult,
    commit_stored,
    max_rows,
    prepare_table,
    store_upload,
    validate_stored,
)

ROLES = ("dinkes",)  # as the import pages: the district keeps its registers
JSON_TYPE = "application/json"
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PUSH_BODY = {
    "required": True,
    "content": {
        JSON_TYPE: {"schema": RosterPushSchema},
        CSV_TYPE: {"schema": {"type": "string"}},
        XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
    },
}


def _issue_json(row: int, severity: str, issue: Issue) -> dict[str, Any]:
    params = json.loads(json.dumps(dict(issue.params), default=str))
    return {
        "row": row,
        "severity": severity,
        "code": issue.code,
        "params": params,
        "message": issue_text(issue),
    }


def problems_of(result: ImportResult) -> list[dict[str, Any]]:
    out = []
    for row in result.rows:
        out.extend(_issue_json(row.number, "error", i) for i in row.errors)
        out.extend(_issue_json(row.number, "warning", i) for i in row.warnings)
    return out


def import_json(record: RosterImport, result: ImportResult | None) -> dict[str, Any]:
    plans = [
        {
            "row": p.row.number,
            "action": p.action,
            "nik": p.row.values["nik"],
            "name": p.row.values["name"],
            "membership": p.membership,
            "changes": sorted(p.changes),
        }
        for p in (result.plans if result else [])
    ]
    return {
        "id": record.id,
        "status": record.status,
        "filename": record.filename,
        "created_at": utc(record.created_at).isoformat(),
        "committed_at": utc(record.committed_at).isoformat() if record.committed_at else None,
        "counts": result.counts if result else dict(record.counts or {}),
        "problems": problems_of(result) if result else [],
        "plans": plans,
    }


def _file_problem(exc: RosterFileError) -> ApiProblem:
    issue = exc.issue
    return ApiProblem(
        422,
        issue_text(issue),
        type_="roster-file",
        code=issue.code,
        params=json.loads(json.dumps(dict(issue.params), default=str)),
    )


def _json_table() -> tuple[list[str], list[list[Any]]]:
    payload = request.get_json(silent=True)
    if payload is None:
        raise ApiProblem(400, "The body is not valid JSON.", type_="invalid-json")
    try:
        rows = RosterPushSchema().load(payload)["rows"]
    except ValidationError as exc:
        raise ApiProblem(
            422, "The body does not match the roster schema.", type_="invalid-body", errors=exc.messages
        ) from None
    if len(rows) > max_rows():
        raise RosterFileError("too_many_rows", max=max_rows())
    # Only the columns some row names: an omitted column means what it means in a CSV file.
    header = [c for c in COLUMNS if any(c in row for row in rows)]
    return header, [[row.get(c) for c in header] for row in rows]


def _read_body(filename: str | None) -> tuple[list[str], list[list[Any]], str]:
    mimetype = request.mimetype
    if mimetype == JSON_TYPE:
        header, body = _json_table()
        return header, body, filename or "api.json"
    if mimetype in (CSV_TYPE, XLSX_TYPE):
        name = filename or ("api.csv" if mimetype == CSV_TYPE else "api.xlsx")
        header, body = read_table(request.get_data(), name, max_rows=max_rows())
        return header, body, name
    raise ApiProblem(415, f"Send {JSON_TYPE}, {CSV_TYPE} or {XLSX_TYPE}.", type_="unsupported-media-type")


@operation(
    "/roster-imports", "POST", "Push a kader roster (preview)", tag="rosters", roles=ROLES,
    query=RosterPushQuery, body=PUSH_BODY, response=RosterImportSchema, status=201, errors=(413, 415, 422),
)  # fmt: skip
def push_roster() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Checks every row as the CSV/XLSX import does and keeps the table as a preview: the
    answer lists row problems (`row` counts as in a spreadsheet, the first data row is 2)
    and the planned creates and updates. Nothing changes until the import is committed."""
    actor = require_roles(*ROLES)
    args = load_query(RosterPushQuery)
    data = request.get_data()
    try:
        header, body, filename = _read_body(args.get("filename"))
        digest = hashlib.sha256(data).hexdigest()
        result = prepare_table(header, body, actor.kabupaten_code or "", today=date.today(), sha256=digest)
    except RosterFileError as exc:
        raise _file_problem(exc) from None
    record = store_upload(
        actor.kabupaten_code or "", filename, data, header, body, result, user_id=actor.user_id
    )
    audit.record(
        "api.roster_pushed",
        "roster_import",
        record.id,
        user_id=actor.user_id,
        kabupaten_code=actor.kabupaten_code,
        after={"file": filename, "via": "api", **result.counts},
    )
    return import_json(record, result), 201, {"Location": f"/api/v1/roster-imports/{record.id}"}


def _load(import_id: int) -> RosterImport:
    return get_scoped_or_404(RosterImport, import_id, require_roles(*ROLES))


@operation(
    "/roster-imports/<int:import_id>", "GET", "A pushed roster and its preview", tag="rosters",
    roles=ROLES, response=RosterImportSchema, errors=(422,),
)  # fmt: skip
def get_roster_import(import_id: int) -> dict[str, Any]:
    """While in preview, checked again against the database as it is now."""
    record = _load(import_id)
    if record.status != "preview":
        return import_json(record, None)
    try:
        return import_json(record, validate_stored(record, date.today()))
    except RosterFileError as exc:
        raise _file_problem(exc) from None


@operation(
    "/roster-imports/<int:import_id>/commit", "POST", "Apply a pushed roster, all or nothing",
    tag="rosters", roles=ROLES, response=RosterImportSchema, errors=(409, 422),
)  # fmt: skip
def commit_roster_import(import_id: int) -> dict[str, Any]:
    """Validates again; with any row error nothing is written (422 with the rows). Twice, or
    after a discard: 409."""
    actor = require_roles(*ROLES)
    record = _load(import_id)
    try:
        result = commit_stored(record, user_id=actor.user_id, today=date.today())
    except RosterFileError as exc:
        raise _file_problem(exc) from None
    if result is None:  # of two simultaneous commits only one claims the import
        raise ApiProblem(409, "This import was already committed or discarded.", type_="import-closed")
    if result.errors:
        raise ApiProblem(
            422,
            "Some rows have errors; nothing was imported.",
            type_="roster-rows",
            errors=problems_of(result),
        )
    return import_json(record, result)


@operation(
    "/roster-imports/<int:import_id>/discard", "POST", "Discard a pushed roster", tag="rosters",
    roles=ROLES, response=RosterImportSchema, errors=(409,),
)  # fmt: skip
def discard_roster_import(import_id: int) -> dict[str, Any]:
    """Only an import still in preview can be discarded."""
    record = _load(import_id)
    if record.status != "preview":
        raise ApiProblem(409, "This import was already committed or discarded.", type_="import-closed")
    record.status = "discarded"
    return import_json(record, None)
