"""Level rules for Tanda Kecakapan Kader, as data, and a pure engine to evaluate them.

Pure: no flask, no sqlalchemy. A level is reached when all its requirements hold:
  all_of_area: PP                              every skill of the area is mastered
  complete_areas: {at_least: N, from: [..]}    at least N of those areas are complete
  min_skills: {at_least: N, from: [..]}        at least N skills (of the list, or any)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Requirement:
    kind: str  # "all_of_area" | "complete_areas" | "min_skills"
    areas: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    at_least: int = 0


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    requirements: tuple[Requirement, ...]


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


def parse_levels(
    data: Any, area_codes: set[str], skill_codes: set[str]
) -> tuple[tuple[Level, ...], list[str]]:
    """Parse a levels file's content; problems are returned, not raised, to be listed together."""
    problems: list[str] = []
    raw_levels = data.get("levels") if isinstance(data, dict) else None
    if not isinstance(raw_levels, list) or not raw_levels:
        return (), ["expected a non-empty list under 'levels'"]
    levels: list[Level] = []
    for n, raw in enumerate(raw_levels, start=1):
        if not isinstance(raw, dict) or not raw.get("code") or not raw.get("name"):
            problems.append(f"level {n}: needs code and name")
            continue
        code = str(raw["code"])
        if code in {lv.code for lv in levels}:
            problems.append(f"duplicate level code {code}")
        reqs: list[Requirement] = []
        for m, r in enumerate(raw.get("requires") or [], start=1):
            req, errs = _parse_requirement(r, area_codes, skill_codes)
            problems.extend(f"level {code}, requirement {m}: {e}" for e in errs)
            if req is not None:
                reqs.append(req)
        if not raw.get("requires"):
            problems.append(f"level {code}: no requirements")
        levels.append(Level(code, str(raw["name"]), tuple(reqs)))
    return tuple(levels), problems


def _parse_requirement(
    raw: Any, area_codes: set[str], skill_codes: set[str]
) -> tuple[Requirement | None, list[str]]:
    if not isinstance(raw, dict) or len(raw) != 1:
        return None, ["expected one of all_of_area, complete_areas, min_skills"]
    kind, value = next(iter(raw.items()))
    if kind == "all_of_area":
        if value not in area_codes:
            return None, [f"unknown area {value!r}"]
        return Requirement("all_of_area", areas=(value,)), []
    if kind in ("complete_areas", "min_skills"):
        if not isinstance(value, dict):
            return None, [f"{kind} needs at_least (and from)"]
        at_least = value.get("at_least")
        pool = value.get("from")
        errors: list[str] = []
        if not isinstance(at_least, int) or isinstance(at_least, bool) or at_least < 1:
            errors.append("at_least must be a whole number of at least 1")
            at_least = 1
        if kind == "complete_areas":
            if not isinstance(pool, list) or not pool:
                return None, ["complete_areas needs a list under 'from'"]
            unknown = [a for a in pool if a not in area_codes]
            if unknown:
                errors.append(f"unknown area(s) {', '.join(map(str, unknown))}")
            if at_least > len(pool):
                errors.append(f"at_least {at_least} is more than the {len(pool)} areas listed")
            return Requirement("complete_areas", areas=tuple(pool), at_least=at_least), errors
        skills = tuple(pool) if pool is not None else ()
        if pool is not None and (not isinstance(pool, list) or not pool):
            errors.append("min_skills 'from' must be a non-empty list")
        unknown = [s for s in skills if s not in skill_codes]
        if unknown:
            errors.append(f"unknown skill(s) {', '.join(map(str, unknown))}")
        limit = len(skills) if skills else len(skill_codes)
        if at_least > limit:
            errors.append(f"at_least {at_least} is more than the {limit} skills available")
        return Requirement("min_skills", skills=skills, at_least=at_least), errors
    return None, [f"unknown requirement {kind!r}"]


def _shortfall(
    req: Requirement, skills_by_area: Mapping[str, Iterable[str]], mastered: frozenset[str]
) -> Shortfall | None:
    if req.kind == "all_of_area":
        missing = tuple(sorted(s for s in skills_by_area.get(req.areas[0], ()) if s not in mastered))
        return Shortfall(req, missing, req.areas) if missing else None
    if req.kind == "complete_areas":
        gaps = {
            a: tuple(sorted(s for s in skills_by_area.get(a, ()) if s not in mastered)) for a in req.areas
        }
        complete = [a for a, g in gaps.items() if not g]
        need = req.at_least - len(complete)
        if need <= 0:
            return None
        # Shortest route: complete the areas that lack the fewest skills (ties: listed order).
        order = {a: i for i, a in enumerate(req.areas)}
        route = sorted((a for a, g in gaps.items() if g), key=lambda a: (len(gaps[a]), order[a]))[:need]
        return Shortfall(req, tuple(sorted(s for a in route for s in gaps[a])), tuple(route))
    pool = req.skills or tuple(s for group in skills_by_area.values() for s in group)
    have = sum(1 for s in pool if s in mastered)
    if have >= req.at_least:
        return None
    remaining = tuple(sorted(s for s in pool if s not in mastered))
    more = req.at_least - have
    if more == len(remaining):
        return Shortfall(req, remaining)
    return Shortfall(req, remaining, more_skills=more)


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
        if all(_shortfall(r, skills_by_area, done) is None for r in level.requirements):
            current, current_index = level, i
    if current_index + 1 >= len(levels):
        return LevelStatus(current, None, ())
    nxt = levels[current_index + 1]
    shortfalls = tuple(
        s for s in (_shortfall(r, skills_by_area, done) for r in nxt.requirements) if s is not None
    )
    return LevelStatus(current, nxt, shortfalls)


def describe_missing(status: LevelStatus) -> str:
    """A short Indonesian summary, e.g. 'Madya: kurang K14, K15, K16'."""
    if status.next is None:
        return ""
    parts: list[str] = []
    exact = status.missing_skills
    if exact:
        parts.append(", ".join(exact))
    for s in status.shortfalls:
        if s.more_skills:
            parts.append(f"{s.more_skills} keterampilan lagi dari {', '.join(s.skills)}")
    return f"{status.next.name}: kurang {'; '.join(parts)}"


def levels_to_data(levels: tuple[Level, ...]) -> list[dict[str, Any]]:
    return [
        {
            "code": lv.code,
            "name": lv.name,
            "requirements": [
                {"kind": r.kind, "areas": list(r.areas), "skills": list(r.skills), "at_least": r.at_least}
                for r in lv.requirements
            ],
        }
        for lv in levels
    ]


def levels_from_data(data: list[dict[str, Any]]) -> tuple[Level, ...]:
    return tuple(
        Level(
            lv["code"],
            lv["name"],
            tuple(
                Requirement(r["kind"], tuple(r["areas"]), tuple(r["skills"]), int(r["at_least"]))
                for r in lv["requirements"]
            ),
        )
        for lv in data
    )
