"""Bearer-token authentication and the per-token rate limit for /api/v1.

Session cookies are never read here: `forget_session_user` runs before any other hook of
an API request, so flask-login sees no logged-in user and the API is safe without CSRF.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import AnonymousUserMixin
from limits import parse

from app.api.models import ApiToken
from app.api.problems import API_PREFIX, ApiProblem
from app.api.tokens import find_usable, touch
from app.core.models import utcnow
from app.core.roles import Actor
from app.extensions import limiter


def forget_session_user() -> None:
    if request.path.startswith(API_PREFIX):
        g._login_user = AnonymousUserMixin()


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def _check_rate(token: ApiToken) -> None:
    item = parse(current_app.config["API_RATE_LIMIT"])
    key = ("api-token", str(token.id))
    if not limiter.limiter.hit(item, *key):
        reset, _remaining = limiter.limiter.get_window_stats(item, *key)
        wait = max(1, int(reset - utcnow().timestamp()))
        raise ApiProblem(
            429,
            f"Rate limit of {item} exceeded for this token. Retry after {wait} s.",
            type_="rate-limited",
            headers={"Retry-After": str(wait)},
        )


def authenticate() -> None:
    """Set g.api_token and g.api_actor from the bearer token, or answer 401/429."""
    secret = _bearer_secret()
    if secret is None:
        raise ApiProblem(401, "Send 'Authorization: Bearer <token>'.", type_="unauthenticated")
    now = utcnow()
    token = find_usable(secret, now)
    if token is None:
        raise ApiProblem(401, "The token is unknown, revoked or expired.", type_="unauthenticated")
    _check_rate(token)
    touch(token, now)
    g.api_token = token
    g.api_actor = token.user.actor


def api_actor() -> Actor:
    return g.api_actor


def require_roles(*roles: str) -> Actor:
    actor = api_actor()
    if actor.role not in roles:
        raise ApiProblem(403, "The token's user may not use this resource.", type_="forbidden")
    return actor
