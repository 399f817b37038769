"""Account services: authentication with lock-out, password changes, account creation.

Services change data and flush; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.core import audit
from app.core.models import utcnow
from app.extensions import db


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    status: str  # "ok" | "invalid" | "locked"
    locked_until: datetime | None = None


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def authenticate(username: str, password: str, *, threshold: int, lock_minutes: int) -> LoginResult:
    user = find_user(username)
    now = utcnow()
    if user is None or not user.active:
        return LoginResult(None, "invalid")
    locked_until = _aware(user.locked_until)
    if locked_until and locked_until > now:
        return LoginResult(None, "locked", locked_until)
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= threshold:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
            audit.record(
                "account.locked",
                "user",
                user.id,
                user_id=None,
                kabupaten_code=user.actor.kabupaten_code,
                after={"locked_until": user.locked_until},
            )
            db.session.flush()
            return LoginResult(None, "locked", user.locked_until)
        db.session.flush()
        return LoginResult(None, "invalid")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return LoginResult(user, "ok")


def change_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.end_sessions()  # a copied cookie dies with the old password
    audit.record(
        "account.password_changed", "user", user.id, user_id=user.id, kabupaten_code=user.actor.kabupaten_code
    )
    db.session.flush()


def create_user(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    kabupaten_code: str | None = None,
    puskesmas_id: int | None = None,
    kader_id: int | None = None,
    must_change_password: bool = False,
    created_by: int | None = None,
) -> User:
    user = User(
        username=username.strip().lower(),
        full_name=full_name,
        role=role,
        kabupaten_code=kabupaten_code,
        puskesmas_id=puskesmas_id,
        kader_id=kader_id,
        must_change_password=must_change_password,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "account.created",
        "user",
        user.id,
        user_id=created_by,
        kabupaten_code=user.actor.kabupaten_code,
        after={"username": user.username, "role": role},
    )
    return user
