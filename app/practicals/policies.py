"""Who may change a practical result. Pure: no flask, no sqlalchemy."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.core.roles import Actor


def can_assess(actor: Actor, session_puskesmas_id: int) -> bool:
    """Fasilitator of the Puskesmas whose area the session's Posyandu is in."""
    return actor.role == "fasilitator" and actor.puskesmas_id == session_puskesmas_id


def correction_refusal(
    actor: Actor, assessor_id: int, confirmed_at: datetime | None, now: datetime, window_days: int
) -> str | None:
    """None when the actor may change this result now; otherwise why not."""
    if confirmed_at is None:
        return None if actor.role == "fasilitator" else "not_assessor"
    if actor.user_id != assessor_id:
        return "not_assessor"
    if now - confirmed_at > timedelta(days=window_days):
        return "window_closed"
    return None
