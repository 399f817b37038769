"""Wrong-password lockout for one account *from one address*, counted in the rate limiter's
storage (Redis in production), so every worker counts together.

Locking the account itself would let anyone lock out anyone, `admin` included, by typing a
known username eight times. Locking the pair stops guessing from that address while the real
user, elsewhere, still signs in; the per-address login rate limit bounds guessing spread over
many usernames.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, request
from limits import RateLimitItemPerMinute

from app.extensions import limiter


def _item() -> RateLimitItemPerMinute:
    return RateLimitItemPerMinute(
        current_app.config["LOGIN_LOCKOUT_THRESHOLD"], current_app.config["LOGIN_LOCKOUT_MINUTES"]
    )


def _key(username: str) -> tuple[str, str, str]:
    return ("login-failures", username.strip().lower(), request.remote_addr or "-")


def locked_until(username: str) -> datetime | None:
    """When this address may try this account again, if it is locked out now."""
    item = _item()
    if limiter.limiter.test(item, *_key(username)):
        return None
    reset, _ = limiter.limiter.get_window_stats(item, *_key(username))
    return datetime.fromtimestamp(reset, UTC)


def record_failure(username: str) -> bool:
    """Count a wrong password; True when this failure locks the pair."""
    limiter.limiter.hit(_item(), *_key(username))
    return locked_until(username) is not None


def clear(username: str) -> None:
    limiter.limiter.clear(_item(), *_key(username))
