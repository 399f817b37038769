"""Curriculum files -> frozen dataclasses, with full validation. Pure: no flask, no sqlalchemy.

`load_curriculum(path)` reads the whole tree and either returns a `Curriculum` or raises
`CurriculumError` listing every problem as (file, message), so an author fixes them in one go.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.curriculum import pictures as pics
from app.curriculum.basis import parse_basis
from app.curriculum.collector import Collector
from app.curriculum.definitions import (
    Area,
    ChecklistStep,
    Curriculum,
    CurriculumError,
    Item,
    Option,
    Picture,
    Problem,
    Settings,
    Skill,
)
from app.curriculum.item_rules import ItemRules, parse_item_rules
from app.curriculum.levels import Level, Requirement, parse_levels

SKILL_CODE = re.compile(r"K\d{2}")
DIFFICULTIES = ("mudah", "sedang", "sulit")
# recall: remembers a fact; scenario: decides in a concrete situation; calculation: reads or
# computes a number. Scenario and calculation items are what show a kader can apply a skill.
KINDS = ("recall", "scenario", "calculation")
CONFIDENCE = ("C2", "C1", "R")
OPTIONS_PER_ITEM = 4
MIN_STEPS = 6


def _text(c: Collector, path: Path, data: dict[str, Any], key: str, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        c.add(path, f"{where}missing or empty field '{key}'")
        return ""
    return value.strip()


def _load_areas(c: Collector) -> tuple[Area, ...]:
    path = c.root / "areas.yaml"
    data = c.read_yaml(path)
    if data is None:
        return ()
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        c.add(path, "expected a list under 'areas'")
        return ()
    areas: list[Area] = []
    for n, raw in enumerate(data["areas"], start=1):
        if not isinstance(raw, dict):
            c.add(path, f"area {n}: expected a mapping")
            continue
        title = raw.get("title") or {}
        code = _text(c, path, raw, "code", f"area {n}: ")
        if code in {a.code for a in areas}:
            c.add(path, f"duplicate area code {code}")
            continue
        areas.append(
            Area(
                code=code,
                order=n,
                title_id=_text(c, path, title, "id", f"area {code}: title ")
                if isinstance(title, dict)
                else "",
                title_en=_text(c, path, title, "en", f"area {code}: title ")
                if isinstance(title, dict)
                else "",
            )
        )
    return tuple(areas)


def _load_options(c: Collector, path: Path, raw_options: Any, where: str) -> list[Option] | None:
    """The item's options, with every problem of their number, key and duplicates reported;
    None when they cannot make an item."""
    if not isinstance(raw_options, list):
        c.add(path, f"{where}missing options")
        return None
    options: list[Option] = []
    for o in raw_options:
        if not isinstance(o, dict) or not isinstance(o.get("text"), str) or not o["text"].strip():
            c.add(path, f"{where}every option needs a text")
            return None
        if set(o) - {"text", "correct"}:
            c.add(path, f"{where}unknown option field(s) {sorted(set(o) - {'text', 'correct'})}")
        options.append(Option(o["text"].strip(), o.get("correct") is True))
    if len(options) != OPTIONS_PER_ITEM:
        c.add(path, f"{where}needs exactly {OPTIONS_PER_ITEM} options, has {len(options)}")
    correct = sum(o.correct for o in options)
    if correct != 1:
        c.add(path, f"{where}needs exactly one correct option, has {correct}")
    normalised = [" ".join(o.text.lower().split()) for o in options]
    if len(set(normalised)) != len(normalised):
        c.add(path, f"{where}has duplicate options")
    return options if correct == 1 and len(options) == OPTIONS_PER_ITEM else []


def _item_picture(c: Collector, path: Path, raw: dict[str, Any], where: str) -> Picture | None:
    if raw.get("image") is None:
        if raw.get("image_alt") is not None:
            c.add(path, f"{where}image_alt without an image")
        return None
    if not isinstance(raw["image"], str):
        c.add(path, f"{where}image must name an SVG file in the skill's gambar/ folder")
        return None
    return c.picture(path.parent, raw["image"], raw.get("image_alt"), path, where)


def _load_item(c: Collector, path: Path, raw: Any, n: int, code: str) -> Item | None:
    if not isinstance(raw, dict):
        c.add(path, f"item {n}: expected a mapping")
        return None
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not re.fullmatch(rf"{code}-Q\d{{2,3}}", item_id):
        c.add(path, f"item {n}: id must look like {code}-Q01")
        return None
    where = f"item {item_id}: "
    question = _text(c, path, raw, "question", where)
    explanation = _text(c, path, raw, "explanation", where)
    difficulty = raw.get("difficulty")
    if difficulty not in DIFFICULTIES:
        c.add(path, f"{where}difficulty must be one of {', '.join(DIFFICULTIES)}")
    options = _load_options(c, path, raw.get("options"), where)
    if options is None:
        return None
    kind = raw.get("kind")
    if kind not in KINDS:
        c.add(path, f"{where}kind must be one of {', '.join(KINDS)}")
    source = _text(c, path, raw, "source", where)
    picture = _item_picture(c, path, raw, where)
    if not options:  # the problems are reported; the item cannot be used
        return None
    return Item(item_id, str(difficulty), question, tuple(options), explanation, str(kind), source, picture)


def _load_checklist(c: Collector, path: Path, raw: Any, code: str) -> tuple[ChecklistStep, ...]:
    if not isinstance(raw, list):
        c.add(path, "missing checklist")
        return ()
    steps: list[ChecklistStep] = []
    for n, s in enumerate(raw, start=1):
        if not isinstance(s, dict):
            c.add(path, f"checklist step {n}: expected a mapping")
            continue
        step_id = s.get("id")
        if not isinstance(step_id, str) or not re.fullmatch(rf"{code}-S\d{{2}}", step_id):
            c.add(path, f"checklist step {n}: id must look like {code}-S01")
            continue
        if step_id in {x.id for x in steps}:
            c.add(path, f"duplicate checklist step id {step_id}")
            continue
        steps.append(
            ChecklistStep(step_id, _text(c, path, s, "text", f"step {step_id}: "), s.get("critical") is True)
        )
    if len(steps) < MIN_STEPS:
        c.add(path, f"checklist needs at least {MIN_STEPS} steps, has {len(steps)}")
    if steps and not any(s.critical for s in steps):
        c.add(path, "checklist needs at least one critical step")
    return tuple(steps)


def _int(
    c: Collector, path: Path, data: dict[str, Any], key: str, default: int | None, lo: int, hi: int
) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        c.add(path, f"quiz.{key} must be a whole number from {lo} to {hi}")
        return default
    return value


def _texts(c: Collector, path: Path, data: dict[str, Any], key: str) -> tuple[str, ...]:
    """A non-empty list of non-empty texts (sources, objectives), stripped."""
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        c.add(path, f"{key} must be a non-empty list of texts")
        return ()
    return tuple(v.strip() for v in value)


def _load_material(
    c: Collector, folder: Path, path: Path, name: Any
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The skill's Markdown material and the pictures it shows (path written -> SHA-256)."""
    material = ""
    if not isinstance(name, str) or "/" in name or "\\" in name:
        c.add(path, "material must name a Markdown file in the skill folder")
    elif not (folder / name).is_file():
        c.add(folder / name, "material file is missing")
    else:
        try:
            material = (folder / name).read_text(encoding="utf-8").strip()
        except UnicodeDecodeError:
            c.add(folder / name, "not valid UTF-8")
        if name and not material:
            c.add(folder / name, "material is empty")
    pictures: list[tuple[str, str]] = []
    for alt, relative in pics.material_pictures(material):
        picture = c.picture(folder, relative, alt, folder / str(name), "")
        if picture is not None:
            pictures.append((relative, picture.sha256))
    return material, tuple(pictures)


def _load_items(c: Collector, folder: Path, path: Path, code: str, per_attempt: int) -> tuple[Item, ...]:
    items_path = folder / "items.yaml"
    items_data = c.read_yaml(items_path)
    if not (isinstance(items_data, dict) and isinstance(items_data.get("items"), list)):
        if items_data is not None:
            c.add(items_path, "expected a list under 'items'")
        return ()
    items: list[Item] = []
    for n, raw in enumerate(items_data["items"], start=1):
        item = _load_item(c, items_path, raw, n, code)
        if item is None:
            continue
        if item.id in {i.id for i in items}:
            c.add(items_path, f"duplicate item id {item.id}")
            continue
        items.append(item)
    if per_attempt > len(items_data["items"]):
        c.add(path, f"quiz.items_per_attempt ({per_attempt}) exceeds the item bank ({len(items)})")
    return tuple(items)


def _load_skill(c: Collector, folder: Path, area_codes: set[str]) -> Skill | None:
    path = folder / "skill.yaml"
    data = c.read_yaml(path)
    if not isinstance(data, dict):
        if data is not None:
            c.add(path, "expected a mapping")
        return None
    code = data.get("code")
    if not isinstance(code, str) or not SKILL_CODE.fullmatch(code):
        c.add(path, "code must look like K01")
        return None
    if not folder.name.startswith(f"{code}-") and folder.name != code:
        c.add(path, f"folder name should start with {code}-")
    area = data.get("area")
    if area not in area_codes:
        c.add(path, f"unknown area {area!r}")
    title = data.get("title") if isinstance(data.get("title"), dict) else {}
    title_id = _text(c, path, title, "id", "title: ")
    title_en = _text(c, path, title, "en", "title: ")
    confidence = data.get("confidence")
    if confidence not in CONFIDENCE:
        c.add(path, f"confidence must be one of {', '.join(CONFIDENCE)}")
    sources = _texts(c, path, data, "sources")
    objectives = _texts(c, path, data, "objectives")
    material, material_pictures = _load_material(c, folder, path, data.get("material"))
    quiz = data.get("quiz") if isinstance(data.get("quiz"), dict) else {}
    pass_mark = _int(c, path, quiz, "pass_mark", 80, 1, 100) or 80
    per_attempt = _int(c, path, quiz, "items_per_attempt", 10, 1, 100) or 10
    time_limit = _int(c, path, quiz, "time_limit_minutes", None, 1, 600)
    checklist = _load_checklist(c, path, data.get("checklist"), code)

    items = _load_items(c, folder, path, code, per_attempt)
    return Skill(
        code=code,
        area=str(area),
        title_id=title_id,
        title_en=title_en,
        confidence=str(confidence),
        sources=sources,
        objectives=objectives,
        material=material,
        pass_mark=pass_mark,
        items_per_attempt=per_attempt,
        time_limit_minutes=time_limit,
        checklist=checklist,
        items=items,
        folder=folder.name,
        material_pictures=material_pictures,
    )


def _load_settings(c: Collector, path: Path, data: dict[str, Any]) -> Settings:
    raw = data.get("settings") or {}
    if not isinstance(raw, dict):
        c.add(path, "settings must be a mapping")
        return Settings()
    quiz_first = raw.get("quiz_before_practical", False)
    share = raw.get("practical_min_share", 0.75)
    if not isinstance(quiz_first, bool):
        c.add(path, "settings.quiz_before_practical must be true or false")
        quiz_first = False
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        c.add(path, "settings.practical_min_share must be a number above 0 and at most 1")
        share = 0.75
    rules, problems = parse_item_rules(raw.get("item_rules"))
    for message in problems:
        c.add(path, message)
    return Settings(quiz_before_practical=quiz_first, practical_min_share=float(share), item_rules=rules)


def _load_skills(c: Collector, root: Path, area_codes: set[str]) -> tuple[Skill, ...]:
    """Every skill folder, by code; a second folder with the same code is reported and skipped."""
    skills_dir = root / "skills"
    folders = sorted(p for p in skills_dir.iterdir() if p.is_dir()) if skills_dir.is_dir() else []
    if not folders:
        c.add(skills_dir, "no skill folders found")
    seen: dict[str, str] = {}
    skills: list[Skill] = []
    for folder in folders:
        skill = _load_skill(c, folder, area_codes)
        if skill is None:
            continue
        if skill.code in seen:
            c.add(folder / "skill.yaml", f"duplicate skill code {skill.code} (also in {seen[skill.code]})")
            continue
        seen[skill.code] = folder.name
        skills.append(skill)
    return tuple(sorted(skills, key=lambda s: s.code))


def _load_levels(c: Collector, path: Path, area_codes: set[str], skill_codes: set[str]) -> tuple[Level, ...]:
    data = c.read_yaml(path)
    if data is None:
        return ()
    levels, problems = parse_levels(data, area_codes, skill_codes)
    for message in problems:
        c.add(path, message)
    return levels


def load_curriculum(root: str | Path, levels_file: str = "levels.yaml") -> Curriculum:
    """Load and validate a curriculum tree; raise CurriculumError with every problem found."""
    root = Path(root)
    c = Collector(root)
    if not root.is_dir():
        raise CurriculumError([Problem(str(root), "not a directory")])
    meta_path = root / "curriculum.yaml"
    meta = c.read_yaml(meta_path) or {}
    if not isinstance(meta, dict):
        c.add(meta_path, "expected a mapping")
        meta = {}
    version = str(meta.get("version") or "")
    if not version:
        c.add(meta_path, "missing field 'version'")
    settings = _load_settings(c, meta_path, meta)
    basis, basis_problems = parse_basis(meta.get("basis"))
    for message in basis_problems:
        c.add(meta_path, message)
    areas = _load_areas(c)
    area_codes = {a.code for a in areas}

    skills = _load_skills(c, root, area_codes)
    for area in areas:
        if not any(s.area == area.code for s in skills):
            c.add(root / "areas.yaml", f"area {area.code} has no skills")
    levels = _load_levels(c, root / levels_file, area_codes, {s.code for s in skills})

    cur = Curriculum(
        version=version,
        title=str(meta.get("title") or ""),
        settings=settings,
        areas=areas,
        skills=skills,
        levels=levels,
        basis=basis,
        pictures=c.pictures,
    )
    if c.problems:
        raise CurriculumError(c.problems, partial=cur)
    return cur


__all__ = [
    "Area",
    "ChecklistStep",
    "Curriculum",
    "CurriculumError",
    "Item",
    "ItemRules",
    "Level",
    "Option",
    "Picture",
    "Problem",
    "Requirement",
    "Settings",
    "Skill",
    "load_curriculum",
]
