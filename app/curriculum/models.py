"""Curriculum as stored: versions, areas, skills, items with immutable revisions, checklist steps.

Item and step rows keep stable identities (their curriculum ids, e.g. K05-Q03); an edited
item gets a new ItemRevision and past quiz attempts keep pointing at the revision they showed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import Base, utcnow


class CurriculumVersion(Base):
    __tablename__ = "curriculum_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)
    # Level rules and settings as loaded: progress is always judged by the active version.
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class Area(Base):
    __tablename__ = "area"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    position: Mapped[int]
    title_id: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str] = mapped_column(String(120))


class Skill(Base):
    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    confidence: Mapped[str] = mapped_column(String(2))
    sources: Mapped[list[str]] = mapped_column(JSON)
    objectives: Mapped[list[str]] = mapped_column(JSON)
    material_md: Mapped[str] = mapped_column(Text)
    material_html: Mapped[str] = mapped_column(Text)  # rendered and sanitised once, at sync
    pass_mark: Mapped[int]
    items_per_attempt: Mapped[int]
    time_limit_minutes: Mapped[int | None]
    content_hash: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(ForeignKey("curriculum_version.id"))
    active: Mapped[bool] = mapped_column(default=True)
    area: Mapped[Area] = relationship()
    steps: Mapped[list[ChecklistStep]] = relationship(
        order_by="ChecklistStep.position",
        primaryjoin="and_(Skill.id == ChecklistStep.skill_id, ChecklistStep.active)",
        viewonly=True,
    )


class Item(Base):
    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(12), unique=True)  # K05-Q03
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("item_revision.id", use_alter=True, name="fk_item_current_revision_id_item_revision")
    )
    active: Mapped[bool] = mapped_column(default=True)
    current_revision: Mapped[ItemRevision | None] = relationship(foreign_keys=[current_revision_id])


class ItemRevision(Base):
    """One immutable wording of an item: never updated, only superseded."""

    __tablename__ = "item_revision"
    __table_args__ = (UniqueConstraint("item_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    number: Mapped[int]
    difficulty: Mapped[str] = mapped_column(String(10))
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)  # texts in authored order
    correct_index: Mapped[int]
    explanation: Mapped[str] = mapped_column(Text)
    # recall | scenario | calculation; the document the keyed fact comes from; an optional
    # picture (by hash, so an attempt shows exactly the picture it showed then) and its alt text.
    kind: Mapped[str | None] = mapped_column(String(12))
    source: Mapped[str | None] = mapped_column(Text)
    picture_sha256: Mapped[str | None] = mapped_column(ForeignKey("curriculum_picture.sha256"))
    picture_alt: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(ForeignKey("curriculum_version.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CurriculumPicture(Base):
    """An SVG used by an item or a material page, stored once and named by its SHA-256."""

    __tablename__ = "curriculum_picture"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChecklistStep(Base):
    __tablename__ = "checklist_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(12), unique=True)  # K05-S02
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    critical: Mapped[bool]
    active: Mapped[bool] = mapped_column(default=True)


class MaterialView(Base):
    """When a kader first opened a skill's material (a quiz before it is a pre-test)."""

    __tablename__ = "material_view"
    __table_args__ = (UniqueConstraint("kader_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kader_id: Mapped[int] = mapped_column(ForeignKey("kader.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"))
    first_opened_at: Mapped[datetime] = mapped_column(default=utcnow)
