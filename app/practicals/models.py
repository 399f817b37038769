"""Assessment sessions, practical results per kader and skill, and each step's tick."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import Base, utcnow
from app.curriculum.models import ChecklistStep, Skill
from app.rosters.models import Kader, Posyandu

session_skill = Table(
    "assessment_session_skill",
    Base.metadata,
    Column("session_id", ForeignKey("assessment_session.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id"), primary_key=True),
)
session_kader = Table(
    "assessment_session_kader",
    Base.metadata,
    Column("session_id", ForeignKey("assessment_session.id", ondelete="CASCADE"), primary_key=True),
    Column("kader_id", ForeignKey("kader.id"), primary_key=True, index=True),
)


class AssessmentSession(Base):
    """A fasilitator's visit to a Posyandu to observe kader practise chosen skills."""

    __tablename__ = "assessment_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id"), index=True)
    puskesmas_id: Mapped[int] = mapped_column(ForeignKey("puskesmas.id"), index=True)
    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    session_date: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    posyandu: Mapped[Posyandu] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=session_skill, order_by="Skill.code")
    kaders: Mapped[list[Kader]] = relationship(secondary=session_kader, order_by="Kader.name")


class PracticalResult(Base):
    """One kader observed on one skill in one session. `result` is set when the assessor confirms."""

    __tablename__ = "practical_result"
    __table_args__ = (
        UniqueConstraint("session_id", "kader_id", "skill_id"),
        CheckConstraint("result IS NULL OR result IN ('kompeten', 'belum_kompeten')", name="result_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_session.id", ondelete="CASCADE"), index=True
    )
    kader_id: Mapped[int] = mapped_column(ForeignKey("kader.id"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    result: Mapped[str | None] = mapped_column(String(16))
    suggested: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    session: Mapped[AssessmentSession] = relationship()
    kader: Mapped[Kader] = relationship()
    skill: Mapped[Skill] = relationship()
    ticks: Mapped[list[StepResult]] = relationship(back_populates="result", cascade="all, delete-orphan")


class StepResult(Base):
    """Done / not done for one checklist step, with the wording the assessor saw."""

    __tablename__ = "step_result"
    __table_args__ = (UniqueConstraint("result_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("practical_result.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("checklist_step.id"))
    step_text: Mapped[str] = mapped_column(Text)
    critical: Mapped[bool]
    done: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    result: Mapped[PracticalResult] = relationship(back_populates="ticks")
    step: Mapped[ChecklistStep] = relationship()


class ReplayKey(Base):
    """A write the phone sent with this key was applied once; a resend changes nothing."""

    __tablename__ = "offline_replay_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("practical_result.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
