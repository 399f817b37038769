"""Quiz attempts and the exact items (revisions) and option order each attempt showed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import Base, utcnow
from app.curriculum.models import ItemRevision, Skill


class QuizAttempt(Base):
    __tablename__ = "quiz_attempt"
    __table_args__ = (
        Index("ix_quiz_attempt_kader_skill", "kader_id", "skill_id"),
        CheckConstraint(
            "finish_reason IS NULL OR finish_reason IN ('submitted', 'expired')", name="finish_reason_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kader_id: Mapped[int] = mapped_column(ForeignKey("kader.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    finish_reason: Mapped[str | None] = mapped_column(String(10))
    correct: Mapped[int | None]
    total: Mapped[int]
    pass_mark: Mapped[int]
    passed: Mapped[bool | None]
    is_pretest: Mapped[bool] = mapped_column(default=False)
    skill: Mapped[Skill] = relationship()
    items: Mapped[list[QuizAttemptItem]] = relationship(
        order_by="QuizAttemptItem.position", back_populates="attempt"
    )

    @property
    def percent(self) -> int:
        return round(100 * (self.correct or 0) / self.total) if self.total else 0


class QuizAttemptItem(Base):
    __tablename__ = "quiz_attempt_item"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    item_revision_id: Mapped[int] = mapped_column(ForeignKey("item_revision.id"), index=True)
    option_order: Mapped[list[int]] = mapped_column(JSON)  # authored indexes in displayed order
    chosen: Mapped[int | None]  # authored index
    answered_at: Mapped[datetime | None]
    attempt: Mapped[QuizAttempt] = relationship(back_populates="items")
    revision: Mapped[ItemRevision] = relationship()
