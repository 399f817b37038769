"""The OpenAPI 3.1 document, generated from the operation declarations and the marshmallow
schemas, and a docs page rendered from it on the server (no CDN, no JavaScript)."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify, render_template
from markupsafe import Markup, escape
from werkzeug import Response

from app.api.problems import DETAILS, PROBLEM_MIMETYPE
from app.api.registry import OPERATIONS, Operation, bp
from app.api.schemas import ProblemSchema
from app.core.numbers import MAX_ID

COMMON_ERRORS = (400, 401, 403, 404, 405, 429)
DESCRIPTION = (
    "Read the kader roster, levels and certificates of your area and push rosters, with "
    "exactly the scope of the user the token belongs to. Send `Authorization: Bearer <token>`; "
    'lists answer `{"items": [...], "next": cursor or null}` (pass `next` as `cursor`); '
    "errors are RFC 9457 problem details (`application/problem+json`)."
)
PROBLEM_TYPES = {
    "unauthenticated": "No token, or one that is unknown, revoked or expired (401).",
    "forbidden": "The token's role may not use this resource (403).",
    "not-found": "No such object in the token's area (404).",
    "invalid-parameters": "A query parameter is not valid; `errors` names each (400).",
    "invalid-cursor": "The cursor was not given out by this API (400).",
    "invalid-json": "The body is not JSON (400).",
    "invalid-body": "The JSON does not match the schema; `errors` names each field (422).",
    "unsupported-media-type": "The body is neither JSON, CSV nor XLSX (415).",
    "roster-file": "The table cannot be read as a roster; `code` and `params` say why (422).",
    "roster-rows": "Rows have errors, nothing was imported; `errors` lists them (422).",
    "import-closed": "The import was already committed or discarded (409).",
    "rate-limited": "Too many requests for this token; see Retry-After (429).",
}


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": DETAILS.get(status, "Conflict: the resource is not in a state that allows this."),
        "content": {PROBLEM_MIMETYPE: {"schema": "Problem"}},
    }


def _operation_dict(op: Operation) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        }
        for name in op.path_params
    ]
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    responses: dict[str, Any] = {
        str(op.status): {"description": op.summary, "content": {"application/json": {"schema": op.response}}}
    }
    for status in (*COMMON_ERRORS, *op.errors):
        responses[str(status)] = _problem_response(status)
    out: dict[str, Any] = {
        "operationId": op.endpoint.removeprefix("api."),
        "summary": op.summary,
        "description": op.description + f"\n\nRoles: {', '.join(op.roles)}.",
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if op.body is not None:
        out["requestBody"] = op.body
    return out


def build_spec() -> dict[str, Any]:
    spec = APISpec(
        title="Kader Cakap API",
        version="1.0.0",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION},
        security=[{"bearerAuth": []}],
    )
    spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "An API token (kc_…)."}
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    for op in OPERATIONS:
        spec.path(path=op.openapi_path, operations={op.method.lower(): _operation_dict(op)})
    return spec.to_dict()


def cached_spec() -> dict[str, Any]:
    if "kc_api_spec" not in current_app.extensions:
        current_app.extensions["kc_api_spec"] = build_spec()
    return current_app.extensions["kc_api_spec"]


@bp.route("/openapi.json")
def openapi_document() -> Response:
    return jsonify(cached_spec())


def _type_text(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"[{_type_text(schema.get('items', {}))}]"
    kind = schema.get("type", "any")
    text = " | ".join(kind) if isinstance(kind, list) else str(kind)
    if "enum" in schema:
        text += ": " + ", ".join(str(v) for v in schema["enum"] if v is not None)
    return text


def breakable(text: str) -> Markup:
    """A long path or media type may wrap after a slash, dot or dash on a 360 px phone."""
    return Markup(re.sub(r"([/.-])", r"\1<wbr>", str(escape(text))))


@bp.route("/docs")
def docs_page() -> str:
    doc = cached_spec()
    components = doc["components"]["schemas"]
    operations = [
        (path, method.upper(), op) for path, item in doc["paths"].items() for method, op in item.items()
    ]
    return render_template(
        "api/docs.html",
        doc=doc,
        operations=operations,
        schemas=components,
        type_text=_type_text,
        breakable=breakable,
        problem_types=PROBLEM_TYPES,
    )
