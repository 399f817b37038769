"""The plan of one generation run and the state shared by its districts.

Everything generated is marked synthetic: provinsi 99 "SINTETIS (data uji kinerja)" (more
than 99 kabupaten continue in 98, 97, 90, ... because a kabupaten code has two digits in
NIKs, certificate numbers and wilayah codes), names containing "Sintetis", Posyandu codes
"SYN-", accounts "syn.*" and `extra.synthetic` in certificate snapshots.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from app.certificates.document import AreaSkills
from app.curriculum.levels import Level, level_rank
from app.progress.rules import evaluate
from bench.data.facts import CurriculumFacts, SkillFacts
from bench.data.tables import Ids, Rows, Shape

# Kemendagri leaves these province codes unused; 99 first. Each holds up to 99 kabupaten.
SYNTHETIC_PROVINCES = ("99", "98", "97", "90", "89", "88", "87", "86", "85", "84")
KAB_PER_PROVINCE = 99
MAX_KABUPATEN = KAB_PER_PROVINCE * len(SYNTHETIC_PROVINCES)
PROVINCE_NAME = "SINTETIS (data uji kinerja)"
ANSWERS_DEFAULT_LIMIT = 20_000  # above this, item answers and ticks would be tens of millions of rows
KADER_PER_POSYANDU = 5.3  # Brebes: 8,017 kader in 1,849 Posyandu
WINDOW_DAYS = 548  # activity spread over the last ~18 months
FLUSH_ROWS = 200_000


def province_name(code: str) -> str:
    n = SYNTHETIC_PROVINCES.index(code) + 1
    return PROVINCE_NAME if n == 1 else f"SINTETIS {n} (data uji kinerja)"


def midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC)


def split(total: int, parts: int, rng: random.Random, spread: float) -> list[int]:
    """`total` into `parts` positive whole numbers (total >= parts), unevenly by up to ±spread."""
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    diff = total - sum(sizes)
    while diff:
        j = rng.randrange(parts)
        if diff > 0:
            sizes[j] += 1
            diff -= 1
        elif sizes[j] > 1:
            sizes[j] -= 1
            diff += 1
    return sizes


def skill_orderings(skills: tuple[SkillFacts, ...], rng: random.Random) -> list[tuple[SkillFacts, ...]]:
    """Weighted random orders of the skills, earlier ones first more often; a kader takes a prefix.

    Efraimidis-Spirakis (sort by u ** (1 / weight)), done once for a pool instead of per kader.
    """
    orderings = []
    for _ in range(1024):
        keyed = sorted(range(len(skills)), key=lambda i: rng.random() ** (1.0 + i / 6), reverse=True)
        orderings.append(tuple(skills[i] for i in keyed))
    return orderings


@dataclass(frozen=True)
class Plan:
    kabupaten: int
    kader: int
    seed: int
    answers: bool
    today: date  # the activity window ends the day before; nothing is dated later


@dataclass
class Run:
    plan: Plan
    cur: CurriculumFacts
    shapes: dict[str, Shape]
    ids: Ids
    rows: Rows
    routes: list[list[tuple[str, ...]]]
    password_hash: str
    used_codes: set[str] = field(default_factory=set)
    kader_seen: int = 0  # kader generated so far in this run: phone numbers derive from it
    level_cache: dict[frozenset[str], Level | None] = field(default_factory=dict)
    areas_cache: dict[frozenset[str], tuple[AreaSkills, ...]] = field(default_factory=dict)
    window_start: datetime = field(init=False)
    route_weights: list[float] = field(init=False)  # cumulative; higher levels are rarer
    orderings: list[tuple[SkillFacts, ...]] = field(init=False)
    level_rank: dict[str, int] = field(init=False)  # level code -> rank, from the curriculum

    def __post_init__(self) -> None:
        self.level_rank = level_rank(self.cur.levels)
        self.window_start = midnight(self.plan.today - timedelta(days=WINDOW_DAYS))
        weights = [0.55**i if r else 0.0 for i, r in enumerate(self.routes)]
        self.route_weights = list(accumulate(weights)) if any(weights) else []
        self.orderings = skill_orderings(self.cur.skills, random.Random(f"{self.plan.seed}:orderings"))

    def level_of(self, mastered: frozenset[str]) -> Level | None:
        if mastered not in self.level_cache:
            self.level_cache[mastered] = evaluate(self.cur.levels, self.cur.by_area, mastered).current
        return self.level_cache[mastered]


@dataclass
class Place:
    """A Posyandu being filled, with its names for certificate snapshots and its sessions."""

    id: int
    name: str
    kecamatan_digits: str
    desa: str
    kecamatan: str
    puskesmas_id: int
    assessor_id: int
    sessions: list[tuple[int, set[int]]] = field(default_factory=list)  # (day, planned skill ids)
    cover: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # skill -> [(day, session)]
    results: list[list[Any]] = field(default_factory=list)  # practical rows awaiting session ids
    ticks: list[tuple[Any, ...]] = field(default_factory=list)
    achievements: list[tuple[Any, ...]] = field(default_factory=list)
    neighbours: list[int] = field(default_factory=list)  # Posyandu ids of the same kecamatan


@dataclass
class Holder:
    """A kader who reached a level: a certificate candidate."""

    kader_id: int
    name: str
    nik: str
    place: Place
    level: Level
    mastered: frozenset[str]
    since: datetime


class District:
    """The state of one kabupaten being generated, shared by the builder's parts."""

    def __init__(self, run: Run, index: int, kader_total: int) -> None:
        self.run = run
        self.plan = run.plan
        self.cur = run.cur
        self.rows = run.rows
        self.ids = run.ids
        self.rng = random.Random(f"{self.plan.seed}:{index}")
        self.rand = self.rng.random
        self.start = run.window_start
        self.quiz_rows = run.rows.tables["quiz_attempt"]
        self.index = index
        self.province = SYNTHETIC_PROVINCES[(index - 1) // KAB_PER_PROVINCE]
        self.code = f"{self.province}.{(index - 1) % KAB_PER_PROVINCE + 1:02d}"
        self.name = f"Kab. Sintetis {index:03d}"
        self.kader_total = kader_total
        self.created = run.window_start - timedelta(days=self.rng.randint(30, 120))
        self.holders: list[Holder] = []
        self.skills_by_code = {s.code: s for s in self.cur.skills}
        self.days = WINDOW_DAYS  # sessions on days 0 .. days-1 of the window (never today)
        self.dinkes_id = 0  # set when the district's dinkes account is made

    def between(self, low: int, high: int) -> int:
        """rng.randint without its overhead (this runs tens of millions of times nationally)."""
        return low + int(self.rand() * (high - low + 1))

    def at(self, seconds: int) -> datetime:
        """A moment given in seconds since the window start (integers are cheap to compare and shift)."""
        return self.start + timedelta(seconds=seconds)
