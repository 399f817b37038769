"""Progress read side: per-skill status and level for one kader or a whole Posyandu roster."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.curriculum.levels import Level, levels_from_data
from app.curriculum.models import Area, Skill
from app.curriculum.sync import active_version
from app.extensions import db
from app.progress.evidence import practical_passes, quiz_passes
from app.progress.models import SkillAchievement
from app.progress.rules import LevelStatus, evaluate

# status of one kader on one skill
MASTERED, READY, PRACTICAL_ONLY, NOT_YET = "mastered", "ready", "practical_only", "not_yet"


@dataclass(frozen=True)
class Catalog:
    areas: list[Area]
    skills: list[Skill]
    levels: tuple[Level, ...]

    def skills_by_area(self) -> dict[str, tuple[str, ...]]:
        return {a.code: tuple(s.code for s in self.skills if s.area_code == a.code) for a in self.areas}


def catalog() -> Catalog:
    version = active_version()
    return Catalog(
        areas=list(db.session.scalars(select(Area).order_by(Area.position))),
        skills=list(db.session.scalars(select(Skill).where(Skill.active).order_by(Skill.code))),
        levels=levels_from_data(version.levels) if version else (),
    )


def statuses(kader_ids: list[int], cat: Catalog) -> dict[int, dict[str, str]]:
    """kader id -> skill code -> status, from three set-based queries (no per-kader loop in SQL)."""
    code_of = {s.id: s.code for s in cat.skills}
    mastered: dict[int, set[str]] = {k: set() for k in kader_ids}
    for kader_id, skill_id in db.session.execute(
        select(SkillAchievement.kader_id, SkillAchievement.skill_id).where(
            SkillAchievement.kader_id.in_(kader_ids)
        )
    ):
        if skill_id in code_of:
            mastered[kader_id].add(code_of[skill_id])
    quiz = quiz_passes(kader_ids)
    practical = practical_passes(kader_ids)
    out: dict[int, dict[str, str]] = {}
    for kader_id in kader_ids:
        row: dict[str, str] = {}
        for skill in cat.skills:
            if skill.code in mastered[kader_id]:
                row[skill.code] = MASTERED
            elif quiz.get((kader_id, skill.id)):
                row[skill.code] = READY
            elif practical.get((kader_id, skill.id)):
                row[skill.code] = PRACTICAL_ONLY
            else:
                row[skill.code] = NOT_YET
        out[kader_id] = row
    return out


def level_status(row: dict[str, str], cat: Catalog) -> LevelStatus:
    return evaluate(cat.levels, cat.skills_by_area(), [code for code, s in row.items() if s == MASTERED])


def achievements(kader_id: int) -> list[SkillAchievement]:
    return list(
        db.session.scalars(
            select(SkillAchievement)
            .where(SkillAchievement.kader_id == kader_id)
            .order_by(SkillAchievement.achieved_at)
        )
    )
