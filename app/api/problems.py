"""RFC 9457 problem details for every error under /api/v1, whoever raised it.

Views raise `ApiProblem`; errors raised elsewhere (routing 404/405, a body over the size
limit, the rate limiter, an unexpected exception) are rendered by the app's handlers and
then rewritten here, so a client never sees an HTML page or another JSON shape.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/v1"
PROBLEM_MIMETYPE = "application/problem+json"
TYPE_BASE = API_PREFIX + "/docs#problem-"  # a relative URI: the docs page lists each type


class ApiProblem(HTTPException):
    """An error answer with a machine-readable type and optional extension members."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type_: str | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.code = status
        self.detail = detail
        self.type_ = type_
        self.extra_headers = headers or {}
        self.extensions = extensions

    def get_response(self, environ: Any = None, scope: Any = None) -> Response:  # type: ignore[override]
        return problem_response(
            self.code or 500, self.detail, type_=self.type_, headers=self.extra_headers, **self.extensions
        )


def title_of(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    type_: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_BASE + type_ if type_ else "about:blank",
        "title": title_of(status),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update(extensions)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kadercakap"'
    return response


DETAILS = {
    400: "The request is malformed.",
    401: "A valid API token is required: send 'Authorization: Bearer <token>'.",
    403: "The token's user may not use this resource.",
    404: "No such resource, or it is outside the token's area.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    415: "Unsupported content type.",
    429: "Too many requests for this token. Wait and try again.",
    500: "The server could not answer. The error has been logged.",
}


def _allowed_methods() -> str | None:
    try:
        adapter = current_app.url_map.bind_to_environ(request.environ)
        methods = adapter.allowed_methods(request.path)
    except HTTPException:
        return None
    return ", ".join(sorted(methods)) if methods else None


def register_problem_rewriter(app: Flask) -> None:
    @app.after_request
    def _as_problem(response: Response) -> Response:
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.mimetype == PROBLEM_MIMETYPE:
            return response
        status = response.status_code
        headers = {
            k: v for k, v in response.headers.items() if k in ("Retry-After",) or k.startswith("X-RateLimit")
        }
        if status == 405:
            allow = _allowed_methods()
            if allow:
                headers["Allow"] = allow
        return problem_response(status, DETAILS.get(status), headers=headers)
