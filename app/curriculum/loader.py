"""Curriculum files -> frozen dataclasses, with full validation. Pure: no flask, no sqlalchemy.

`load_curriculum(path)` reads the whole tree and either returns a `Curriculum` or raises
`CurriculumError` listing every problem as (file, message), so an author fixes them in one go.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.curriculum import pictures as pics
from app.curriculum.basis import BasisEntry, parse_basis
from app.curriculum.item_rules import ItemRules, parse_item_rules
from app.progress.rules import Level, Requirement, parse_levels

SKILL_CODE = re.compile(r"K\d{2}")
DIFFICULTIES = ("mudah", "sedang", "sulit")
# recall: remembers a fact; scenario: decides in a concrete situation; calculation: reads or
# computes a number. Scenario and calculation items are what show a kader can apply a skill.
KINDS = ("recall", "scenario", "calculation")
CONFIDENCE = ("C2", "C1", "R")
OPTIONS_PER_ITEM = 4
MIN_STEPS = 6


@dataclass(frozen=True)
class Area:
    code: str
    order: int
    title_id: str
    title_en: str


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool


@dataclass(frozen=True)
class Picture:
    """An SVG from a skill's folder, named by the SHA-256 of its bytes (stored once)."""

    sha256: str
    alt: str


@dataclass(frozen=True)
class Item:
    id: str
    difficulty: str
    question: str
    options: tuple[Option, ...]
    explanation: str
    kind: str = "recall"
    source: str = ""
    picture: Picture | None = None

    @property
    def correct_index(self) -> int:
        return next(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True)
class ChecklistStep:
    id: str
    text: str
    critical: bool


@dataclass(frozen=True)
class Skill:
    code: str
    area: str
    title_id: str
    title_en: str
    confidence: str
    sources: tuple[str, ...]
    objectives: tuple[str, ...]
    material: str
    pass_mark: int
    items_per_attempt: int
    time_limit_minutes: int | None
    checklist: tuple[ChecklistStep, ...]
    items: tuple[Item, ...]
    folder: str
    # Material pictures: the path written in materi.md -> its SHA-256.
    material_pictures: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Settings:
    """Rules a ministry may change: mastery order and the practical threshold."""

    quiz_before_practical: bool = False
    practical_min_share: float = 0.75
    item_rules: ItemRules = field(default_factory=ItemRules)


@dataclass(frozen=True)
class Curriculum:
    version: str
    title: str
    settings: Settings
    areas: tuple[Area, ...]
    skills: tuple[Skill, ...]
    levels: tuple[Level, ...]
    basis: tuple[BasisEntry, ...] = ()
    # SHA-256 -> SVG bytes of every picture the items and material use (not hashed twice).
    pictures: dict[str, bytes] = field(default_factory=dict, compare=False, hash=False)

    def skills_by_area(self) -> dict[str, tuple[str, ...]]:
        return {a.code: tuple(s.code for s in self.skills if s.area == a.code) for a in self.areas}

    @property
    def item_count(self) -> int:
        return sum(len(s.items) for s in self.skills)

    @property
    def step_count(self) -> int:
        return sum(len(s.checklist) for s in self.skills)

    def content_hash(self) -> str:
        """Stable fingerprint of everything loaded; equal hashes mean nothing to sync."""
        data = asdict(self)
        data.pop("pictures")  # named by their hashes inside the skills already
        payload = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Problem:
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class CurriculumError(Exception):
    def __init__(self, problems: list[Problem], partial: Curriculum | None = None) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        # What did load, so that a checker can still judge the sound parts in the same run.
        self.partial = partial


@dataclass
class _Collector:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    pictures: dict[str, bytes] = field(default_factory=dict)

    def add(self, path: Path, message: str) -> None:
        try:
            shown = str(path.relative_to(self.root))
        except ValueError:
            shown = str(path)
        self.problems.append(Problem(shown, message))

    def read_yaml(self, path: Path) -> Any:
        if not path.is_file():
            self.add(path, "file is missing")
            return None
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self.add(path, "not valid UTF-8")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark else ""
            self.add(path, f"invalid YAML{where}: {getattr(exc, 'problem', exc)}")
        return None

    def picture(self, folder: Path, relative: str, alt: object, where: Path, label: str) -> Picture | None:
        if not isinstance(alt, str) or not alt.strip():
            self.add(where, f"{label}picture {relative} needs alt text")
            return None
        data, problem = pics.read_picture(folder, relative)
        if data is None:
            self.add(where, f"{label}{problem}")
            return None
        digest = pics.sha256(data)
        self.pictures[digest] = data
        return Picture(digest, alt.strip())


def _text(c: _Collector, path: Path, data: dict[str, Any], key: str, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        c.add(path, f"{where}missing or empty field '{key}'")
        return ""
    return value.strip()


def _load_areas(c: _Collector) -> tuple[Area, ...]:
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


def _load_item(c: _Collector, path: Path, raw: Any, n: int, code: str) -> Item | None:
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
    raw_options = raw.get("options")
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
    kind = raw.get("kind")
    if kind not in KINDS:
        c.add(path, f"{where}kind must be one of {', '.join(KINDS)}")
    source = _text(c, path, raw, "source", where)
    picture = None
    if raw.get("image") is not None:
        if not isinstance(raw["image"], str):
            c.add(path, f"{where}image must name an SVG file in the skill's gambar/ folder")
        else:
            picture = c.picture(path.parent, raw["image"], raw.get("image_alt"), path, where)
    elif raw.get("image_alt") is not None:
        c.add(path, f"{where}image_alt without an image")
    if correct != 1 or len(options) != OPTIONS_PER_ITEM:
        return None
    return Item(item_id, str(difficulty), question, tuple(options), explanation, str(kind), source, picture)


def _load_checklist(c: _Collector, path: Path, raw: Any, code: str) -> tuple[ChecklistStep, ...]:
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
    c: _Collector, path: Path, data: dict[str, Any], key: str, default: int | None, lo: int, hi: int
) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        c.add(path, f"quiz.{key} must be a whole number from {lo} to {hi}")
        return default
    return value


def _load_skill(c: _Collector, folder: Path, area_codes: set[str]) -> Skill | None:
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
    sources = data.get("sources")
    if (
        not isinstance(sources, list)
        or not sources
        or not all(isinstance(s, str) and s.strip() for s in sources)
    ):
        c.add(path, "sources must be a non-empty list of texts")
        sources = []
    objectives = data.get("objectives")
    if not isinstance(objectives, list) or not objectives or not all(isinstance(o, str) for o in objectives):
        c.add(path, "objectives must be a non-empty list of texts")
        objectives = []
    material = ""
    material_name = data.get("material")
    if not isinstance(material_name, str) or "/" in material_name or "\\" in material_name:
        c.add(path, "material must name a Markdown file in the skill folder")
    elif not (folder / material_name).is_file():
        c.add(folder / material_name, "material file is missing")
    else:
        try:
            material = (folder / material_name).read_text(encoding="utf-8").strip()
        except UnicodeDecodeError:
            c.add(folder / material_name, "not valid UTF-8")
        if material_name and not material:
            c.add(folder / material_name, "material is empty")
    material_pictures: list[tuple[str, str]] = []
    for alt, relative in pics.material_pictures(material):
        picture = c.picture(folder, relative, alt, folder / str(material_name), "")
        if picture is not None:
            material_pictures.append((relative, picture.sha256))
    quiz = data.get("quiz") if isinstance(data.get("quiz"), dict) else {}
    pass_mark = _int(c, path, quiz, "pass_mark", 80, 1, 100) or 80
    per_attempt = _int(c, path, quiz, "items_per_attempt", 10, 1, 100) or 10
    time_limit = _int(c, path, quiz, "time_limit_minutes", None, 1, 600)
    checklist = _load_checklist(c, path, data.get("checklist"), code)

    items_path = folder / "items.yaml"
    items_data = c.read_yaml(items_path)
    items: list[Item] = []
    if isinstance(items_data, dict) and isinstance(items_data.get("items"), list):
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
    elif items_data is not None:
        c.add(items_path, "expected a list under 'items'")
    return Skill(
        code=code,
        area=str(area),
        title_id=title_id,
        title_en=title_en,
        confidence=str(confidence),
        sources=tuple(s.strip() for s in sources),
        objectives=tuple(o.strip() for o in objectives),
        material=material,
        pass_mark=pass_mark,
        items_per_attempt=per_attempt,
        time_limit_minutes=time_limit,
        checklist=checklist,
        items=tuple(items),
        folder=folder.name,
        material_pictures=tuple(material_pictures),
    )


def _load_settings(c: _Collector, path: Path, data: dict[str, Any]) -> Settings:
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


def load_curriculum(root: str | Path, levels_file: str = "levels.yaml") -> Curriculum:
    """Load and validate a curriculum tree; raise CurriculumError with every problem found."""
    root = Path(root)
    c = _Collector(root)
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

    skills: list[Skill] = []
    skills_dir = root / "skills"
    folders = sorted(p for p in skills_dir.iterdir() if p.is_dir()) if skills_dir.is_dir() else []
    if not folders:
        c.add(skills_dir, "no skill folders found")
    seen: dict[str, str] = {}
    item_owner: dict[str, str] = {}
    for folder in folders:
        skill = _load_skill(c, folder, area_codes)
        if skill is None:
            continue
        if skill.code in seen:
            c.add(folder / "skill.yaml", f"duplicate skill code {skill.code} (also in {seen[skill.code]})")
            continue
        seen[skill.code] = folder.name
        for item in skill.items:
            item_owner[item.id] = skill.code
        skills.append(skill)
    skills.sort(key=lambda s: s.code)
    for area in areas:
        if not any(s.area == area.code for s in skills):
            c.add(root / "areas.yaml", f"area {area.code} has no skills")

    levels: tuple[Level, ...] = ()
    levels_path = root / levels_file
    levels_data = c.read_yaml(levels_path)
    if levels_data is not None:
        levels, level_problems = parse_levels(levels_data, area_codes, {s.code for s in skills})
        for message in level_problems:
            c.add(levels_path, message)

    cur = Curriculum(
        version=version,
        title=str(meta.get("title") or ""),
        settings=settings,
        areas=areas,
        skills=tuple(skills),
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
