"""Token service: create (the secret is returned once), find by secret, list, revoke.

A token is `kc_` + 43 URL-safe characters (256 random bits): a SHA-256 of it is a safe
stored form (no salt or slow hash is needed for a secret nobody chose or can guess).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.api.models import ApiToken
from app.auth.models import User
from app.core import audit
from app.core.models import utc, utcnow
from app.extensions import db

TOKEN_PREFIX = "kc_"
SHOWN_CHARS = 8  # after the "kc_": enough to tell tokens apart, far too few to guess the rest
MAX_NAME = 80
MAX_EXPIRY_DAYS = 3650
LAST_USED_RESOLUTION = timedelta(minutes=1)  # no write on every call of a busy system


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user: User, name: str, expires_days: int | None, *, created_by: int | None) -> IssuedToken:
    """Add a token for `user` to the session (the caller commits) and audit it."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        name=(name.strip() or "API")[:MAX_NAME],
        prefix=secret[: len(TOKEN_PREFIX) + SHOWN_CHARS],
        token_hash=hash_secret(secret),
        created_at=now,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api.token_created",
        "api_token",
        token.id,
        user_id=created_by,
        kabupaten_code=user.actor.kabupaten_code,
        after={
            "user": user.username,
            "name": token.name,
            "prefix": token.prefix,
            "expires": token.expires_at,
        },
    )
    return IssuedToken(token, secret)


def find_usable(secret: str, now: datetime) -> ApiToken | None:
    """The token this secret belongs to, if it is neither revoked nor expired and its user is active."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or not token.usable(now) or not token.user.active:
        return None
    return token


def touch(token: ApiToken, now: datetime) -> None:
    if token.last_used_at is None or now - utc(token.last_used_at) >= LAST_USED_RESOLUTION:
        token.last_used_at = now


def tokens_of(user_id: int) -> list[ApiToken]:
    return list(
        db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc()))
    )


def revoke_token(token: ApiToken, *, revoked_by: int | None) -> bool:
    """Revoke once (the caller commits); False when it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record(
        "api.token_revoked",
        "api_token",
        token.id,
        user_id=revoked_by,
        kabupaten_code=token.user.actor.kabupaten_code,
        before={"name": token.name, "prefix": token.prefix},
    )
    return True
