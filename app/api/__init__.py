"""The integration API under /api/v1: bearer tokens, JSON resources, an OpenAPI document."""

from __future__ import annotations

from flask import Flask


def init_api(app: Flask) -> None:
    """Register the API blueprint, its token pages, CLI and the hooks that keep /api/v1
    cookie-free and its errors problem details. Call before the other blueprints, so that
    no hook of theirs (e.g. the forced password change) sees a session user on the API."""
    from app.api import areas, certificates, kader, rosters, spec  # noqa: F401 - they add the routes
    from app.api.auth import forget_session_user
    from app.api.cli import api_cli
    from app.api.problems import register_problem_rewriter
    from app.api.registry import bp
    from app.api.token_views import bp as tokens_bp
    from app.extensions import csrf

    app.before_request_funcs.setdefault(None, []).insert(0, forget_session_user)
    csrf.exempt(bp)  # token auth only, never cookies: no CSRF to forge
    app.register_blueprint(bp)
    app.register_blueprint(tokens_bp)
    register_problem_rewriter(app)
    app.cli.add_command(api_cli)
