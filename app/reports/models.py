"""Summaries the dashboards read instead of scanning whole evidence tables per request."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base


class SessionResultCount(Base):
    """Confirmed practical results per assessment session (a row only while there is one).

    Kept in step with practical_result by app/reports/session_counts.py: the practicals per
    fasilitator and month then sum a row per session instead of joining every result.
    """

    __tablename__ = "session_result_count"
    __table_args__ = (CheckConstraint("confirmed > 0", name="confirmed_positive"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_session.id", ondelete="CASCADE"), primary_key=True
    )
    confirmed: Mapped[int]
