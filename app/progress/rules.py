"""The level engine: which level a kader has reached and exactly what the next one needs.

Pure: no flask, no sqlalchemy. The levels themselves are curriculum data (app/curriculum/levels.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.curriculum.levels import Level, Requirement


@dataclass(frozen=True)
class Shortfall:
    """What one requirement still needs: `skills` to master, chosen as the shortest route."""

    requirement: Requirement
    skills: tuple[str, ...]
    areas: tuple[str, ...] = ()  # for complete_areas: the areas the suggested route completes
    more_skills: int = 0  # for min_skills: how many more skills (any of `skills`)


@dataclass(frozen=True)
class LevelStatus:
    current: Level | None
    next: Level | None
    shortfalls: tuple[Shortfall, ...]

    @property
    def missing_skills(self) -> tuple[str, ...]:
        out: list[str] = []
        for s in self.shortfalls:
            if s.more_skills == 0:
                out.extend(x for x in s.skills if x not in out)
        return tuple(sorted(out))


SkillsByArea = Mapping[str, Iterable[str]]


def _gap(skills_by_area: SkillsByArea, area: str, mastered: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(s for s in skills_by_area.get(area, ()) if s not in mastered))


def _all_of_area(
    req: Requirement, skills_by_area: SkillsByArea, mastered: frozenset[str]
) -> Shortfall | None:
    missing = _gap(skills_by_area, req.areas[0], mastered)
    return Shortfall(req, missing, req.areas) if missing else None


def _complete_areas(
    req: Requirement, skills_by_area: SkillsByArea, mastered: frozenset[str]
) -> Shortfall | None:
    gaps = {a: _gap(skills_by_area, a, mastered) for a in req.areas}
    need = req.at_least - sum(1 for g in gaps.values() if not g)
    if need <= 0:
        return None
    # Shortest route: complete the areas that lack the fewest skills (ties: listed order).
    order = {a: i for i, a in enumerate(req.areas)}
    route = sorted((a for a, g in gaps.items() if g), key=lambda a: (len(gaps[a]), order[a]))[:need]
    return Shortfall(req, tuple(sorted(s for a in route for s in gaps[a])), tuple(route))


def _min_skills(req: Requirement, skills_by_area: SkillsByArea, mastered: frozenset[str]) -> Shortfall | None:
    pool = req.skills or tuple(s for group in skills_by_area.values() for s in group)
    have = sum(1 for s in pool if s in mastered)
    if have >= req.at_least:
        return None
    remaining = tuple(sorted(s for s in pool if s not in mastered))
    more = req.at_least - have
    return Shortfall(req, remaining, more_skills=0 if more == len(remaining) else more)


_SHORTFALLS = {"all_of_area": _all_of_area, "complete_areas": _complete_areas, "min_skills": _min_skills}


def _shortfall(req: Requirement, skills_by_area: SkillsByArea, mastered: frozenset[str]) -> Shortfall | None:
    return _SHORTFALLS[req.kind](req, skills_by_area, mastered)


def level_reached(level: Level, skills_by_area: Mapping[str, Iterable[str]], mastered: Iterable[str]) -> bool:
    done = frozenset(mastered)
    return all(_shortfall(r, skills_by_area, done) is None for r in level.requirements)


def evaluate(
    levels: tuple[Level, ...], skills_by_area: Mapping[str, Iterable[str]], mastered: Iterable[str]
) -> LevelStatus:
    """The highest level reached and, for the level after it, exactly what is missing."""
    done = frozenset(mastered)
    current: Level | None = None
    current_index = -1
    for i, level in enumerate(levels):
        if level_reached(level, skills_by_area, done):
            current, current_index = level, i
    if current_index + 1 >= len(levels):
        return LevelStatus(current, None, ())
    nxt = levels[current_index + 1]
    shortfalls = tuple(
        s for s in (_shortfall(r, skills_by_area, done) for r in nxt.requirements) if s is not None
    )
    return LevelStatus(current, nxt, shortfalls)
