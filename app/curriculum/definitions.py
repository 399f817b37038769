"""The loaded curriculum as frozen dataclasses, and the problems a load reports. Pure.

`app.curriculum.loader` builds these from the files; sync, the checks and the pages read them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from app.curriculum.basis import BasisEntry
from app.curriculum.item_rules import ItemRules
from app.curriculum.levels import Level


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
