"""One write about a kader at a time, where parallel requests would otherwise race."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.rosters.models import Kader


def lock_kader(kader_id: int) -> None:
    """Row lock on the kader until the transaction ends (PostgreSQL; SQLite already runs one
    write transaction at a time). Callers lock the kader before anything else they lock, so
    the order is always the same and two requests cannot deadlock."""
    db.session.execute(select(Kader.id).where(Kader.id == kader_id).with_for_update())
