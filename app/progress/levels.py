"""Each kader's level: evaluated live from achievements, and kept in the KaderLevel summary.

`reached_levels` is the authority (certificates are issued against it). `refresh_levels`
writes its answer into KaderLevel so that reports can count levels in the database; it
runs wherever achievements change and, through `recompute_all_levels`, whenever a new
curriculum version may have changed the rules.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import get_locale
from sqlalchemy import delete, select

from app.core.batching import batched
from app.curriculum.levels import Level, levels_from_data
from app.curriculum.models import Skill
from app.curriculum.sync import active_version
from app.extensions import db
from app.progress.models import KaderLevel, SkillAchievement
from app.progress.rules import evaluate
from app.rosters.models import Kader


def mastered_codes(kader_ids: list[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for chunk in batched(kader_ids):
        for kader_id, code in db.session.execute(
            select(SkillAchievement.kader_id, Skill.code)
            .join(Skill, Skill.id == SkillAchievement.skill_id)
            .where(SkillAchievement.kader_id.in_(chunk), Skill.active)
        ):
            out[kader_id].add(code)
    return out


def active_levels() -> tuple[Level, ...]:
    """The levels of the curriculum in force, lowest first (a level's rank is its index)."""
    version = active_version()
    return levels_from_data(version.levels) if version else ()


def level_label(level: Level | None) -> str:
    """The level's name in the page's language ("" for no level)."""
    return level.label(str(get_locale() or "id")) if level else ""


def levels_and_areas() -> tuple[tuple[Level, ...], dict[str, tuple[str, ...]]]:
    levels = active_levels()
    skills = db.session.execute(
        select(Skill.area_code, Skill.code).where(Skill.active).order_by(Skill.code)
    ).all()
    by_area: dict[str, list[str]] = defaultdict(list)
    for area, code in skills:
        by_area[area].append(code)
    return levels, {a: tuple(c) for a, c in by_area.items()}


def reached_levels(kader_ids: list[int]) -> dict[int, Level | None]:
    levels, by_area = levels_and_areas()
    mastered = mastered_codes(kader_ids)
    return {k: evaluate(levels, by_area, mastered.get(k, set())).current for k in kader_ids}


def refresh_levels(kader_ids: list[int]) -> None:
    """Write the live level of these kader into KaderLevel (insert, update or leave alone)."""
    if not kader_ids:
        return
    version = active_version()
    levels, by_area = levels_and_areas()
    for chunk in batched(sorted(set(kader_ids))):
        mastered = mastered_codes(chunk)
        existing = {
            row.kader_id: row
            for row in db.session.scalars(select(KaderLevel).where(KaderLevel.kader_id.in_(chunk)))
        }
        for kader_id in chunk:
            done = mastered.get(kader_id, set())
            reached = evaluate(levels, by_area, done).current
            code = reached.code if reached else None
            row = existing.get(kader_id)
            if row is None:
                row = KaderLevel(kader_id=kader_id)
                db.session.add(row)
            if (row.level_code, row.mastered) != (code, len(done)) or row.curriculum_version_id is None:
                row.level_code, row.mastered = code, len(done)
                row.curriculum_version_id = version.id if version else None
    db.session.flush()


def recompute_all_levels() -> int:
    """Re-evaluate every kader with achievements, and clear levels of kader without any.

    Streams in batches so a national database needs bounded memory. Returns the number of
    kader evaluated.
    """
    with_achievements = select(SkillAchievement.kader_id).distinct()
    db.session.execute(
        delete(KaderLevel).where(KaderLevel.kader_id.not_in(with_achievements)),
        execution_options={"synchronize_session": False},
    )
    ids = list(db.session.scalars(select(Kader.id).where(Kader.id.in_(with_achievements)).order_by(Kader.id)))
    for chunk in batched(ids):
        refresh_levels(chunk)
        db.session.expunge_all()
    return len(ids)
