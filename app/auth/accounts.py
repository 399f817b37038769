"""Kader login accounts: created in bulk for a Posyandu, initial PIN, supervisor reset.

The PIN is shown once, on the printed sheet; only its hash is stored, and the kader must
choose a new one at first login.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from app.auth.models import User
from app.auth.passwords import password_problems
from app.auth.services import create_user
from app.core import audit
from app.extensions import db
from app.rosters.models import Kader


@dataclass(frozen=True)
class IssuedPin:
    kader_name: str
    username: str
    pin: str


def new_pin() -> str:
    while True:
        pin = f"{secrets.randbelow(1_000_000):06d}"
        if not password_problems(pin, "", "kader"):
            return pin


def _username_for(kader: Kader, taken: set[str]) -> str:
    for candidate in (kader.phone, kader.nik):
        if candidate and candidate.lower() not in taken:
            return candidate.lower()
    return f"{kader.nik}-{kader.id}"


def create_accounts(kaders: list[Kader], *, created_by: int) -> list[IssuedPin]:
    """Accounts for the kader that have none yet (others are skipped)."""
    have = set(db.session.scalars(select(User.kader_id).where(User.kader_id.in_([k.id for k in kaders]))))
    wanted = [k for k in kaders if k.id not in have]
    candidates = {c.lower() for k in wanted for c in (k.phone, k.nik) if c}
    taken = (
        set(db.session.scalars(select(User.username).where(User.username.in_(candidates))))
        if candidates
        else set()
    )
    issued: list[IssuedPin] = []
    for kader in wanted:
        username = _username_for(kader, taken)
        taken.add(username)
        pin = new_pin()
        create_user(
            username=username,
            password=pin,
            full_name=kader.name,
            role="kader",
            kader_id=kader.id,
            must_change_password=True,
            created_by=created_by,
        )
        issued.append(IssuedPin(kader.name, username, pin))
    return issued


def reset_pin(user: User, *, reset_by: int) -> IssuedPin:
    pin = new_pin()
    user.set_password(pin)
    user.must_change_password = True
    user.end_sessions()  # whoever held the kader's phone or cookie is signed out
    audit.record(
        "account.pin_reset",
        "user",
        user.id,
        user_id=reset_by,
        kabupaten_code=user.kader.kabupaten_code if user.kader else None,
    )
    db.session.flush()
    return IssuedPin(user.full_name, user.username, pin)
