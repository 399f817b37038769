"""The /api/v1 blueprint, its hooks, and the operation declarations the OpenAPI document
is generated from: every route is added through `operation`, so none can go undocumented."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, request
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import HTTPException

from app.api.auth import authenticate
from app.api.problems import DETAILS, ApiProblem, problem_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_ENDPOINTS = frozenset({"api.openapi_document", "api.docs_page"})


@dataclass(frozen=True)
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    description: str
    tag: str
    roles: tuple[str, ...]
    query: type[Schema] | None = None
    response: Any = None  # a schema class, or an OpenAPI schema dict naming schema classes
    status: int = 200
    body: dict[str, Any] | None = None
    errors: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def openapi_path(self) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", bp.url_prefix + self.rule)  # type: ignore[operator]

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"<int:(\w+)>", self.rule)


OPERATIONS: list[Operation] = []


def list_of(schema: type[Schema]) -> dict[str, Any]:
    """The list envelope: {"items": [...], "next": cursor or null}."""
    return {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": schema},
            "next": {"type": ["string", "null"], "description": "Cursor of the next page; null at the end."},
        },
    }


def operation(
    rule: str, method: str, summary: str, *, tag: str, roles: tuple[str, ...], **kwargs: Any
) -> Callable:
    def decorate(view: Callable) -> Callable:
        doc = (view.__doc__ or "").strip()
        OPERATIONS.append(Operation(rule, method, f"api.{view.__name__}", summary, doc, tag, roles, **kwargs))
        return bp.route(rule, methods=[method])(view)

    return decorate


def load_query(schema: type[Schema]) -> dict[str, Any]:
    """The query string as the schema reads it, or a 400 problem naming each bad parameter."""
    try:
        return schema().load(request.args.to_dict(flat=True))
    except ValidationError as exc:
        raise ApiProblem(
            400, "Some query parameters are not valid.", type_="invalid-parameters", errors=exc.messages
        ) from None


@bp.before_request
def _authenticate() -> None:
    if request.endpoint not in PUBLIC_ENDPOINTS:
        authenticate()


@bp.errorhandler(ApiProblem)
def _problem(exc: ApiProblem) -> Any:
    return exc.get_response()


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> Any:
    status = exc.code or 500
    headers = {"Allow": ", ".join(exc.valid_methods)} if getattr(exc, "valid_methods", None) else {}
    return problem_response(status, DETAILS.get(status), headers=headers)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Any:
    current_app.logger.exception("unhandled API error on %s %s", request.method, request.path)
    return problem_response(500, DETAILS[500])
