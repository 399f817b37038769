"""Tanda Kecakapan Kader levels as curriculum data: their definition, parsing and storage.

Pure: no flask, no sqlalchemy. Levels are listed lowest first; a level's rank is its place in
that list. Everything the app shows of a level (code, names, colour, certificate wording)
comes from here, so a ministry renames or adds a level in the levels file alone. Requirements:
  all_of_area: PP                              every skill of the area is mastered
  complete_areas: {at_least: N, from: [..]}    at least N of those areas are complete
  min_skills: {at_least: N, from: [..]}        at least N skills (of the list, or any)
The engine that evaluates them is app/progress/rules.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# A level code goes into the certificate number (upper case) and a 10-character column.
CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,9}")
COLOUR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_COLOUR = "#0b6e4f"
DEFAULT_WORDING = "telah menguasai keterampilan dasar kader dan dinyatakan cakap pada tingkat"


@dataclass(frozen=True)
class Requirement:
    kind: str  # "all_of_area" | "complete_areas" | "min_skills"
    areas: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    at_least: int = 0


@dataclass(frozen=True)
class Level:
    code: str
    name: str  # Indonesian, as printed on the certificate
    requirements: tuple[Requirement, ...]
    name_en: str = ""  # English pages; empty: the Indonesian name
    colour: str = DEFAULT_COLOUR  # the certificate's level band, "#rrggbb"
    wording: str = DEFAULT_WORDING  # the certificate's sentence before the level name

    def label(self, language: str) -> str:
        """The name to show in an interface language ("id", "en")."""
        return self.name_en if language == "en" and self.name_en else self.name


def level_rank(levels: Iterable[Level]) -> dict[str, int]:
    """level code -> rank (0 for the lowest level)."""
    return {lv.code: i for i, lv in enumerate(levels)}


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
        if not CODE_PATTERN.fullmatch(code):
            problems.append(f"level {n}: code {code!r} must be 1-10 lower-case letters, digits or _")
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
        looks, errs = _parse_looks(raw)
        problems.extend(f"level {code}: {e}" for e in errs)
        levels.append(Level(code, str(raw["name"]), tuple(reqs), **looks))
    return tuple(levels), problems


def _parse_looks(raw: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The optional English name, colour and certificate wording of one level."""
    looks: dict[str, str] = {}
    errors: list[str] = []
    for key, field in (("name_en", "name_en"), ("certificate", "wording")):
        if key in raw:
            if isinstance(raw[key], str) and raw[key].strip():
                looks[field] = raw[key].strip()
            else:
                errors.append(f"{key} must be non-empty text")
    if "colour" in raw:
        if isinstance(raw["colour"], str) and COLOUR_PATTERN.fullmatch(raw["colour"]):
            looks["colour"] = raw["colour"].lower()
        else:
            errors.append("colour must be a hex colour like #0b6e4f")
    return looks, errors


Parsed = tuple[Requirement | None, list[str]]


def _at_least(value: dict[str, Any], errors: list[str]) -> int:
    at_least = value.get("at_least")
    if not isinstance(at_least, int) or isinstance(at_least, bool) or at_least < 1:
        errors.append("at_least must be a whole number of at least 1")
        return 1
    return at_least


def _all_of_area(value: Any, area_codes: set[str], skill_codes: set[str]) -> Parsed:
    if value not in area_codes:
        return None, [f"unknown area {value!r}"]
    return Requirement("all_of_area", areas=(value,)), []


def _complete_areas(value: dict[str, Any], area_codes: set[str], skill_codes: set[str]) -> Parsed:
    errors: list[str] = []
    at_least = _at_least(value, errors)
    pool = value.get("from")
    if not isinstance(pool, list) or not pool:
        return None, ["complete_areas needs a list under 'from'"]
    unknown = [a for a in pool if a not in area_codes]
    if unknown:
        errors.append(f"unknown area(s) {', '.join(map(str, unknown))}")
    if at_least > len(pool):
        errors.append(f"at_least {at_least} is more than the {len(pool)} areas listed")
    return Requirement("complete_areas", areas=tuple(pool), at_least=at_least), errors


def _min_skills(value: dict[str, Any], area_codes: set[str], skill_codes: set[str]) -> Parsed:
    errors: list[str] = []
    at_least = _at_least(value, errors)
    pool = value.get("from")
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


_PARSERS = {"all_of_area": _all_of_area, "complete_areas": _complete_areas, "min_skills": _min_skills}


def _parse_requirement(raw: Any, area_codes: set[str], skill_codes: set[str]) -> Parsed:
    if not isinstance(raw, dict) or len(raw) != 1:
        return None, ["expected one of all_of_area, complete_areas, min_skills"]
    kind, value = next(iter(raw.items()))
    if kind not in _PARSERS:
        return None, [f"unknown requirement {kind!r}"]
    if kind != "all_of_area" and not isinstance(value, dict):
        return None, [f"{kind} needs at_least (and from)"]
    return _PARSERS[kind](value, area_codes, skill_codes)


def levels_to_data(levels: tuple[Level, ...]) -> list[dict[str, Any]]:
    return [
        {
            "code": lv.code,
            "name": lv.name,
            "name_en": lv.name_en,
            "colour": lv.colour,
            "wording": lv.wording,
            "requirements": [
                {"kind": r.kind, "areas": list(r.areas), "skills": list(r.skills), "at_least": r.at_least}
                for r in lv.requirements
            ],
        }
        for lv in levels
    ]


def levels_from_data(data: list[dict[str, Any]]) -> tuple[Level, ...]:
    """Levels as stored with a curriculum version; versions stored before names in English,
    colours and wording were data get the defaults."""
    return tuple(
        Level(
            lv["code"],
            lv["name"],
            tuple(
                Requirement(r["kind"], tuple(r["areas"]), tuple(r["skills"]), int(r["at_least"]))
                for r in lv["requirements"]
            ),
            name_en=lv.get("name_en") or "",
            colour=lv.get("colour") or DEFAULT_COLOUR,
            wording=lv.get("wording") or DEFAULT_WORDING,
        )
        for lv in data
    )
