"""Idempotency keys of checklist writes replayed from a phone's queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, utcnow


class ReplayKey(Base):
    """A write the phone sent with this key was applied once; a resend changes nothing."""

    __tablename__ = "offline_replay_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("practical_result.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
