"""Tokens for the two-district world: one per kind of user, as a system would hold them."""

from __future__ import annotations

import pytest

from app.api.tokens import create_token
from app.extensions import db

ROLE_USERS = {
    "admin": "admin",
    "dinkes": "dinkes",
    "other": "dinkes_other",
    "fasil": "fasilitator",
    "kader": "kader",
}


@pytest.fixture
def tokens(world) -> dict[str, str]:
    """role -> a bearer header value for that role's user."""
    out = {
        role: create_token(world.users[key], f"uji {role}", None, created_by=None).secret
        for role, key in ROLE_USERS.items()
    }
    db.session.commit()
    return out


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
