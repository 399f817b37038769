"""Read-only curriculum queries."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.curriculum.models import (
    Area,
    ChecklistStep,
    CurriculumPicture,
    CurriculumVersion,
    Item,
    MaterialView,
    Skill,
)
from app.extensions import db


def areas_with_skills() -> list[tuple[Area, list[Skill]]]:
    areas = db.session.scalars(select(Area).order_by(Area.position)).all()
    skills = db.session.scalars(select(Skill).where(Skill.active).order_by(Skill.code)).all()
    return [(a, [s for s in skills if s.area_code == a.code]) for a in areas]


def skill_by_code(code: str) -> Skill | None:
    return db.session.scalar(
        select(Skill)
        .where(Skill.code == code, Skill.active)
        .options(selectinload(Skill.steps), selectinload(Skill.area))
    )


def area_titles_en() -> dict[str, str]:
    return dict(db.session.execute(select(Area.code, Area.title_en)).all())


def picture_data(sha256: str) -> bytes | None:
    return db.session.scalar(select(CurriculumPicture.data).where(CurriculumPicture.sha256 == sha256))


def opened_skill_ids(kader_id: int) -> set[int]:
    return set(db.session.scalars(select(MaterialView.skill_id).where(MaterialView.kader_id == kader_id)))


def versions() -> list[CurriculumVersion]:
    return list(db.session.scalars(select(CurriculumVersion).order_by(CurriculumVersion.id.desc()).limit(50)))


def active_counts() -> dict[str, int]:
    return {
        "skills": db.session.scalar(select(func.count()).select_from(Skill).where(Skill.active)) or 0,
        "items": db.session.scalar(select(func.count()).select_from(Item).where(Item.active)) or 0,
        "steps": db.session.scalar(
            select(func.count()).select_from(ChecklistStep).where(ChecklistStep.active)
        )
        or 0,
    }
