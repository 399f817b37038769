"""Skill achievements: a mastered skill with links to the evidence that earned it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import Base, utcnow
from app.curriculum.models import Skill


class SkillAchievement(Base):
    __tablename__ = "skill_achievement"
    __table_args__ = (UniqueConstraint("kader_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kader_id: Mapped[int] = mapped_column(ForeignKey("kader.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    achieved_at: Mapped[datetime]
    quiz_attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_attempt.id", ondelete="SET NULL"), index=True
    )
    practical_result_id: Mapped[int | None] = mapped_column(
        ForeignKey("practical_result.id", ondelete="SET NULL"), index=True
    )
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    skill: Mapped[Skill] = relationship()


class KaderLevel(Base):
    """Each kader's current level, derived from SkillAchievement by the level rules.

    A summary kept in step by progress.services (every achievement change, every new
    curriculum version): dashboards count levels across a district or the whole country
    in one GROUP BY instead of evaluating the rules for millions of kader per request.
    """

    __tablename__ = "kader_level"
    __table_args__ = (CheckConstraint("mastered >= 0", name="mastered_not_negative"),)

    kader_id: Mapped[int] = mapped_column(ForeignKey("kader.id", ondelete="CASCADE"), primary_key=True)
    level_code: Mapped[str | None] = mapped_column(String(10), index=True)
    mastered: Mapped[int] = mapped_column(default=0)
    curriculum_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("curriculum_version.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class KaderSkillQuiz(Base):
    """Each kader's finished quiz attempts on one skill, summed: the dashboards' quiz figures.

    A summary kept in step with quiz_attempt by progress.quiz_summary (every attempt the
    session adds, finishes, changes or deletes), as KaderLevel is with achievements: a
    district's pass rates and pre/post gain become one GROUP BY over a row per kader and
    skill instead of two over every attempt. A row exists once an attempt is finished.
    """

    __tablename__ = "kader_skill_quiz"
    # Keyed skill first and, on SQLite, stored in key order (WITHOUT ROWID): the per-skill
    # GROUP BY then reads the rows in order instead of sorting them (twice as fast there).
    __table_args__ = (
        CheckConstraint("passed >= 0 AND attempts >= passed", name="counts_consistent"),
        {"sqlite_with_rowid": False},
    )

    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)
    kader_id: Mapped[int] = mapped_column(
        ForeignKey("kader.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)  # finished attempts that were not pre-tests
    passed: Mapped[int] = mapped_column(default=0)  # of those, passed
    pre_percent: Mapped[float | None]  # best pre-test score, 100 * correct / total
    post_percent: Mapped[float | None]  # best score of the later attempts
