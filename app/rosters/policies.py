"""Who may see what of a roster record (pure checks on the actor)."""

from __future__ import annotations

from app.core.roles import Actor


def sees_full_nik(actor: Actor) -> bool:
    """Dinkes and admin keep the registers (exports, NIK prefix search, the edit form); a
    fasilitator sees NIKs masked everywhere. Pages show them masked to every role."""
    return actor.role in ("dinkes", "admin")
