"""Account services: authentication with lock-out per account and address, password changes, account creation.

Services change data and flush; the view commits once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, request
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth import lockout
from app.auth.models import User
from app.core import audit
from app.core.models import utcnow
from app.extensions import db


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    status: str  # "ok" | "invalid" | "locked"
    locked_until: datetime | None = None


_DUMMY_HASHES: dict[str, str] = {}


def _spend_a_password_check(password: str) -> None:
    """The same hashing work as a real check, so the answer's timing does not tell whether
    a username exists (115-158 ms against 6-8 ms before)."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def authenticate(username: str, password: str) -> LoginResult:
    until = lockout.locked_until(username)
    if until is not None:
        return LoginResult(None, "locked", until)
    user = find_user(username)
    if user is None or not user.active:
        _spend_a_password_check(password)
        lockout.record_failure(username)
        return LoginResult(None, "invalid")
    if not user.check_password(password):
        if lockout.record_failure(username):
            until = lockout.locked_until(username)
            audit.record(  # the alert: someone is guessing this account's password
                "account.locked",
                "user",
                user.id,
                user_id=None,
                kabupaten_code=user.actor.kabupaten_code,
                after={"address": request.remote_addr, "locked_until": until},
            )
            db.session.flush()
            return LoginResult(None, "locked", until)
        return LoginResult(None, "invalid")
    lockout.clear(username)
    user.last_login_at = utcnow()
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
