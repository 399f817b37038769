"""Security headers on every response: a strict CSP (no inline code), no framing, no sniffing."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_babel import gettext as _

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",  # the offline service worker, /sw.js
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def register_security_headers(app: Flask) -> None:
    production = app.config.get("ENV_NAME") == "production"

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def _carries_nul() -> bool:
    if "\x00" in request.path:
        return True
    for source in (request.args, request.form):
        for values in source.listvalues():
            if any("\x00" in value for value in values):
                return True
    return False


def register_input_guard(app: Flask) -> None:
    """Refuse NUL bytes in the path, query or form at the door.

    No person types one, PostgreSQL cannot store one in text, and SQLite would keep a
    truncated-looking value: rejecting the request early beats a 500 deep in a query.
    """
    from app.core.errors import render_error

    @app.before_request
    def _reject_nul() -> tuple[object, int] | None:
        if _carries_nul():
            return render_error(400, _("Data yang dikirim berisi karakter yang tidak sah."))
        return None
