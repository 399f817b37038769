"""What the generator needs from the synced curriculum, read once: skills, items, steps, levels.

Levels, areas and their order come from the active curriculum version (the levels file), so a
curriculum with other level codes or a fourth level generates data for those.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

import click
from sqlalchemy import select

from app.curriculum.levels import Level, levels_from_data
from app.curriculum.models import Area, ChecklistStep, CurriculumVersion, Item, ItemRevision, Skill
from app.extensions import db
from app.progress.rules import evaluate

NOT_SYNCED = "the curriculum is not synced: run `flask --app wsgi curriculum sync` first"


@dataclass(frozen=True)
class SkillFacts:
    id: int
    code: str
    area: str
    title: str
    pass_mark: int
    total: int  # items per attempt actually drawn (the bank may be smaller)
    need: int  # fewest correct answers that pass
    time_limit: int | None
    revisions: tuple[tuple[int, int, int], ...]  # (revision id, option count, correct index)
    steps: tuple[tuple[int, str, bool], ...]  # (step id, text, critical)


@dataclass(frozen=True)
class CurriculumFacts:
    version_id: int
    label: str
    levels: tuple[Level, ...]
    by_area: dict[str, tuple[str, ...]]
    areas: tuple[tuple[str, str], ...]  # (code, Indonesian title) in display order
    skills: tuple[SkillFacts, ...]
    min_share: float


def load_curriculum_facts() -> CurriculumFacts:
    version = db.session.scalar(
        select(CurriculumVersion).where(CurriculumVersion.active).order_by(CurriculumVersion.id.desc())
    )
    if version is None:
        raise click.ClickException(NOT_SYNCED)
    revisions: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for skill_id, rev_id, options, correct in db.session.execute(
        select(Item.skill_id, ItemRevision.id, ItemRevision.options, ItemRevision.correct_index)
        .join(Item, Item.current_revision_id == ItemRevision.id)
        .where(Item.active)
        .order_by(ItemRevision.id)
    ):
        revisions[skill_id].append((rev_id, len(options), correct))
    steps: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for step in db.session.scalars(
        select(ChecklistStep).where(ChecklistStep.active).order_by(ChecklistStep.position)
    ):
        steps[step.skill_id].append((step.id, step.text, step.critical))
    skills = tuple(
        _skill_facts(s, revisions[s.id], steps[s.id])
        for s in db.session.scalars(select(Skill).where(Skill.active).order_by(Skill.code))
    )
    if not skills or any(not s.revisions or not s.steps for s in skills):
        raise click.ClickException(NOT_SYNCED)
    by_area: dict[str, list[str]] = defaultdict(list)
    for s in skills:
        by_area[s.area].append(s.code)
    areas = tuple(
        (c, t) for c, t in db.session.execute(select(Area.code, Area.title_id).order_by(Area.position))
    )
    return CurriculumFacts(
        version_id=version.id,
        label=version.label,
        levels=levels_from_data(version.levels),
        by_area={a: tuple(c) for a, c in by_area.items()},
        areas=areas,
        skills=skills,
        min_share=float(version.settings.get("practical_min_share", 0.75)),
    )


def _skill_facts(
    skill: Skill, revisions: list[tuple[int, int, int]], steps: list[tuple[int, str, bool]]
) -> SkillFacts:
    total = min(skill.items_per_attempt, len(revisions))
    need = -(-skill.pass_mark * total // 100)  # ceil: correct * 100 >= pass_mark * total
    return SkillFacts(
        id=skill.id,
        code=skill.code,
        area=skill.area_code,
        title=skill.title_id,
        pass_mark=skill.pass_mark,
        total=total,
        need=max(1, need),
        time_limit=skill.time_limit_minutes,
        revisions=tuple(revisions),
        steps=tuple(steps),
    )


def level_routes(cur: CurriculumFacts, rng: random.Random) -> list[list[tuple[str, ...]]]:
    """Per level (by rank), a few dozen mastered-skill sets that reach exactly that level.

    Built with the rules' own shortfalls (the shortest route), from small random head
    starts so that routes differ (e.g. which third area completes the first level).
    """
    codes = sorted(s.code for s in cur.skills)
    rank = {lv.code: i for i, lv in enumerate(cur.levels)}
    routes: list[list[tuple[str, ...]]] = []
    for target in range(len(cur.levels)):
        found: set[tuple[str, ...]] = set()
        for _ in range(300):
            done = set(rng.sample(codes, min(len(codes), rng.randint(0, 5))))
            status = evaluate(cur.levels, cur.by_area, done)
            while status.next is not None and (status.current is None or rank[status.current.code] < target):
                for short in status.shortfalls:
                    pool = sorted(short.skills)
                    done.update(rng.sample(pool, short.more_skills) if short.more_skills else pool)
                status = evaluate(cur.levels, cur.by_area, done)
            if status.current is not None and rank[status.current.code] == target:
                found.add(tuple(sorted(done)))
            if len(found) >= 40:
                break
        routes.append(sorted(found))
    return routes
