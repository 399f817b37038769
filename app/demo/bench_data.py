"""`flask bench-data`: realistic synthetic kader, learning activity and certificates, quickly.

For benchmarking dashboards at district (10,000 kader) and national (1.5 million) scale.
Everything generated is marked synthetic: provinsi 99 "SINTETIS (data uji kinerja)" (more
than 99 kabupaten continue in 98, 97, 90, ... because a kabupaten code has two digits in
NIKs, certificate numbers and wilayah codes), names containing "Sintetis", Posyandu codes
"SYN-", accounts "syn.*" and `extra.synthetic` in certificate snapshots.

Speed: primary keys are assigned here, rows are built as tuples and written per table in
large batches (COPY on PostgreSQL, Core executemany on SQLite), never through the ORM unit
of work. Each kabupaten is generated, written and committed on its own, so memory stays
bounded and a failure never leaves half a kabupaten.
"""

from __future__ import annotations

import random
import secrets
import sys
import threading
import time
from bisect import bisect, insort
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from queue import Full, Queue
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Connection, Engine, bindparam, func, select, text
from werkzeug.security import generate_password_hash

from app.certificates.document import certificate_number
from app.certificates.services import CODE_ALPHABET, format_code
from app.core.models import Base
from app.curriculum.models import Area, ChecklistStep, CurriculumVersion, Item, ItemRevision, Skill
from app.extensions import db
from app.progress.mastery import StepTick, suggest_kompeten
from app.progress.rules import Level, evaluate, levels_from_data
from app.rosters.models import Kader, Wilayah
from app.rosters.nik import mask_nik

# Kemendagri leaves these province codes unused; 99 first. Each holds up to 99 kabupaten.
SYNTHETIC_PROVINCES = ("99", "98", "97", "90", "89", "88", "87", "86", "85", "84")
KAB_PER_PROVINCE = 99
MAX_KABUPATEN = KAB_PER_PROVINCE * len(SYNTHETIC_PROVINCES)
PROVINCE_NAME = "SINTETIS (data uji kinerja)"
ANSWERS_DEFAULT_LIMIT = 20_000  # above this, item answers and ticks would be tens of millions of rows
KADER_PER_POSYANDU = 5.3  # Brebes: 8,017 kader in 1,849 Posyandu
WINDOW_DAYS = 548  # activity spread over the last ~18 months
FLUSH_ROWS = 200_000

FEMALE_FIRST = (
    "Siti", "Sri", "Dwi", "Tri", "Nur", "Ratna", "Eka", "Yuli", "Susi", "Rina", "Dewi", "Endang",
    "Umi", "Lilis", "Titin", "Nining", "Ani", "Rini", "Tuti", "Euis", "Neneng", "Cut", "Nurul",
    "Fitri", "Rahma", "Mega", "Putri", "Indah", "Heni", "Yeni", "Ni Made", "Ni Luh", "Wahyu",
    "Kartini", "Murni", "Rosmala",
)  # fmt: skip
FEMALE_LAST = (
    "Aminah", "Wahyuni", "Lestari", "Rahayu", "Handayani", "Nurhayati", "Fatimah", "Maryam",
    "Khasanah", "Mulyani", "Suryani", "Purwati", "Setyowati", "Hidayah", "Kurniasih", "Susanti",
    "Rahmawati", "Hartati", "Yulianti", "Sulastri", "Marlina", "Safitri", "Anggraini", "Wulandari",
    "Puspitasari", "Astuti", "Siregar", "Nasution", "Lubis", "Simanjuntak", "Sari", "Yanti",
)  # fmt: skip
MALE_FIRST = ("Ahmad", "Budi", "Slamet", "Agus", "Joko", "Eko", "Hendra", "Rudi", "Dedi", "Muhammad", "Yusuf")
MALE_LAST = ("Santoso", "Hidayat", "Saputra", "Prasetyo", "Nugroho", "Setiawan", "Kurniawan", "Siregar")
KECAMATAN_STEMS = (
    "Karangsari", "Sukadana", "Kedungjati", "Wanasari", "Tanjungrejo", "Bulakrejo", "Margasari",
    "Sindangjaya", "Pakuwon", "Gunungtua", "Lemahabang", "Sumberjaya", "Kalibening", "Banyuurip",
    "Jatinegara", "Cikalong", "Tegalsari", "Rawamerta", "Pancur", "Kutawaru",
)  # fmt: skip
DESA_STEMS = (
    "Sukamaju", "Sukamulya", "Sidomulyo", "Karanganyar", "Sumberrejo", "Tegalrejo", "Mekarsari",
    "Margamulya", "Kalirejo", "Wonosari", "Banjarsari", "Sindangsari", "Sukajaya", "Jatisari",
    "Pasirjaya", "Tanjungsari", "Harjosari", "Purwodadi", "Sukorejo", "Kedungrejo", "Ngadirejo",
    "Gunungsari", "Rejosari", "Sumbersari", "Bojongsari",
)  # fmt: skip
POSYANDU_NAMES = (
    "Melati", "Mawar", "Anggrek", "Dahlia", "Kenanga", "Flamboyan", "Cempaka", "Teratai", "Seruni",
    "Bougenville", "Nusa Indah", "Kemuning", "Asoka", "Kasih Ibu", "Bina Sehat", "Harapan Bunda",
)  # fmt: skip
DUSUN = ("Krajan", "Karanganyar", "Sidamulya", "Pesantren", "Kaliwadas", "Cikuya", "Baroh", "Tunong")
PHONE_PREFIXES = ("11", "12", "13", "21", "22", "23", "52", "53", "57", "58", "77", "78", "81", "95", "96")
EDUCATION = ("tidak_sekolah", "sd", "smp", "sma", "d3", "s1")
EDUCATION_CUMULATIVE = tuple(accumulate((1, 15, 25, 45, 6, 8)))
BORN_FROM, BORN_TO = date(1960, 1, 1).toordinal(), date(2004, 12, 31).toordinal()
MOVE_REASONS = ("Pindah domisili", "Pindah ke Posyandu lain", "Menikah, ikut suami")

# What a kader has done: nothing, opened a quiz or two, learning, or working towards a level.
PROFILE_NONE, PROFILE_DABBLER, PROFILE_LEARNER = 0.22, 0.16, 0.35  # the rest: a target level
CERTIFIED_SHARE = 0.70
SIGNATORY, SIGNATORY_NIP = "dr. Penanda Tangan Sintetis", "197001011998032001"
REISSUED_SHARE = 0.01

# Columns written per table, in the order rows are built (explicit, so a new nullable column
# elsewhere does not shift anything).
COLUMNS: dict[str, tuple[str, ...]] = {
    "wilayah": ("code", "name", "level", "parent_code"),
    "puskesmas": ("id", "code", "name", "kecamatan_code", "kabupaten_code", "created_at", "updated_at"),
    "puskesmas_desa": ("puskesmas_id", "desa_code"),
    "pustu": ("id", "name", "desa_code", "puskesmas_id", "created_at", "updated_at"),
    "posyandu": (
        "id", "code", "name", "desa_code", "dusun_rw", "puskesmas_id", "kabupaten_code", "active",
        "created_at", "updated_at",
    ),
    "user": (
        "id", "username", "password_hash", "full_name", "role", "kabupaten_code", "puskesmas_id",
        "active", "must_change_password", "created_at", "updated_at",
    ),
    "district_settings": (
        "kabupaten_code", "office_name", "signatory_name", "signatory_title", "signatory_nip", "place",
        "updated_at",
    ),
    "kader": (
        "id", "nik", "name", "sex", "birth_date", "phone", "education", "start_year", "kabupaten_code",
        "created_at", "updated_at",
    ),
    "roster_membership": (
        "id", "kader_id", "posyandu_id", "role", "start_date", "end_date", "end_reason", "created_at",
        "updated_at",
    ),
    "quiz_attempt": (
        "id", "kader_id", "skill_id", "started_at", "deadline", "submitted_at", "finish_reason", "correct",
        "total", "pass_mark", "passed", "is_pretest",
    ),
    "quiz_attempt_item": (
        "id", "attempt_id", "position", "item_revision_id", "option_order", "chosen", "answered_at",
    ),
    "kader_skill_quiz": ("kader_id", "skill_id", "attempts", "passed", "pre_percent", "post_percent"),
    "assessment_session": (
        "id", "posyandu_id", "puskesmas_id", "kabupaten_code", "assessor_id", "session_date", "note",
        "created_at",
    ),
    "assessment_session_skill": ("session_id", "skill_id"),
    "assessment_session_kader": ("session_id", "kader_id"),
    "session_result_count": ("session_id", "confirmed"),
    "practical_result": (
        "id", "session_id", "kader_id", "skill_id", "assessor_id", "result", "suggested", "confirmed_at",
        "created_at",
    ),
    "step_result": ("id", "result_id", "step_id", "step_text", "critical", "done", "updated_at"),
    "skill_achievement": (
        "id", "kader_id", "skill_id", "achieved_at", "quiz_attempt_id", "practical_result_id", "assessor_id",
        "recorded_at",
    ),
    "kader_level": ("kader_id", "level_code", "mastered", "curriculum_version_id", "updated_at"),
    "certificate": (
        "id", "number", "verification_code", "kabupaten_code", "year", "sequence", "kader_id", "level_code",
        "issued_on", "snapshot", "status", "revoked_at", "revoked_reason", "revoked_by", "replaces_id",
        "issued_by", "created_at",
    ),
    "certificate_counter": ("kabupaten_code", "year", "last_sequence"),
}  # fmt: skip
TABLE_ORDER = tuple(COLUMNS)  # parents before children
ID_TABLES = tuple(t for t, cols in COLUMNS.items() if cols[0] == "id")


# ----------------------------------------------------------------------------- curriculum


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


NOT_SYNCED = "the curriculum is not synced: run `flask --app wsgi curriculum sync` first"


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
    """Per level, a few dozen mastered-skill sets that reach exactly that level.

    Built with the rules' own shortfalls (the shortest route), from small random head
    starts so that routes differ (e.g. which third area completes Purwa).
    """
    codes = sorted(s.code for s in cur.skills)
    order = {lv.code: i for i, lv in enumerate(cur.levels)}
    routes: list[list[tuple[str, ...]]] = []
    for target in range(len(cur.levels)):
        found: set[tuple[str, ...]] = set()
        for _ in range(300):
            done = set(rng.sample(codes, rng.randint(0, 5)))
            status = evaluate(cur.levels, cur.by_area, done)
            while status.next is not None and (status.current is None or order[status.current.code] < target):
                for short in status.shortfalls:
                    pool = sorted(short.skills)
                    done.update(rng.sample(pool, short.more_skills) if short.more_skills else pool)
                status = evaluate(cur.levels, cur.by_area, done)
            if status.current is not None and order[status.current.code] == target:
                found.add(tuple(sorted(done)))
            if len(found) >= 40:
                break
        routes.append(sorted(found))
    return routes


# ----------------------------------------------------------------------------- writing


class Writer:
    """Writes row tuples into one table: binary COPY on PostgreSQL, Core executemany on SQLite."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.types: dict[str, list[str]] = {}

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = COLUMNS[table]
        if self.postgres:
            self._copy(table, columns, rows)
            return
        target = Base.metadata.tables[table]
        for i in range(0, len(rows), 50_000):
            self.conn.execute(
                target.insert(), [dict(zip(columns, r, strict=True)) for r in rows[i : i + 50_000]]
            )

    def _copy(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        # Binary COPY is ~4x cheaper on the client than text: no per-value string formatting.
        names = ", ".join(f'"{c}"' for c in columns)
        types = self._types(table, columns)  # before the COPY: it holds the connection
        raw = self.conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN (FORMAT BINARY)') as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    def _types(self, table: str, columns: tuple[str, ...]) -> list[str]:
        """Column types as the database has them (binary COPY needs them exact)."""
        if table not in self.types:
            found = dict(
                self.conn.execute(
                    text(
                        "SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = :t"
                    ),
                    {"t": table},
                ).all()
            )
            # varchar takes text's binary form; json values are dumped from Python objects.
            self.types[table] = ["text" if found[c] == "varchar" else found[c] for c in columns]
        return self.types[table]


@dataclass
class Rows:
    """Row buffers per table; flushed parents first."""

    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t: [] for t in TABLE_ORDER})
    written: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLE_ORDER, 0))

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.tables[table].append(row)

    def pending(self) -> int:
        return sum(len(r) for r in self.tables.values())

    def take(self) -> dict[str, list[tuple[Any, ...]]]:
        """The buffered rows, handed over for writing; the buffers start empty again."""
        batch, self.tables = self.tables, {t: [] for t in TABLE_ORDER}
        for table, rows in batch.items():
            self.written[table] += len(rows)
        return batch


class Ids:
    """Primary keys handed out here, above the current maximum of each table."""

    def __init__(self) -> None:
        self.next = {
            t: (db.session.scalar(select(func.max(Base.metadata.tables[t].c.id))) or 0) + 1 for t in ID_TABLES
        }

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value

    def take_many(self, table: str, count: int) -> int:
        """The first of `count` consecutive ids."""
        value = self.next[table]
        self.next[table] = value + count
        return value


def advance_sequences(conn: Connection, next_ids: dict[str, int]) -> None:
    """PostgreSQL sequences do not see explicit ids: move each past the ids used."""
    for table, value in next_ids.items():
        if value > 1:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                {"t": f'"{table}"', "v": value - 1},
            )


class WriterFailed(Exception):
    """The writer thread stopped on an error (kept in BackgroundWriter.error)."""


class BackgroundWriter:
    """Writes and commits on its own connection while the main thread generates the next kabupaten.

    The database works on the other core meanwhile; this thread waits for it without holding
    the GIL. Each kabupaten is one transaction: its row batches, then a "commit" message. A
    failure, or closing before the commit, rolls the open kabupaten back.
    """

    def __init__(self, engine: Engine, echo: Callable[[str], None], started: float) -> None:
        self.engine, self.echo, self.started = engine, echo, started
        self.queue: Queue[tuple[str, Any] | None] = Queue(maxsize=2)  # bounds memory
        self.error: BaseException | None = None
        self.committed = 0
        self.thread = threading.Thread(target=self._run, name="bench-data-writer", daemon=True)
        self.thread.start()

    def put(self, item: tuple[str, Any] | None) -> None:
        while self.error is None:
            try:
                self.queue.put(item, timeout=0.2)
                return
            except Full:
                continue
        raise WriterFailed from self.error

    def close(self) -> None:
        if self.error is None and self.thread.is_alive():
            self.put(None)
        self.thread.join()

    def _run(self) -> None:
        try:
            with self.engine.connect() as conn:
                self._serve(conn)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
            self.error = exc

    def _serve(self, conn: Connection) -> None:
        writer = Writer(conn)
        # Foreign keys are checked by one trigger call per inserted row, which doubles the load
        # time. The rows reference each other by construction (the tests check every reference),
        # so a superuser skips those checks, in these transactions only.
        skip_fk_triggers = writer.postgres and conn.scalar(text("SHOW is_superuser")) == "on"
        fresh = True
        while (item := self.queue.get()) is not None:
            kind, payload = item
            if fresh and skip_fk_triggers:
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            fresh = False
            if kind == "rows":
                for table in TABLE_ORDER:
                    writer.write(table, payload[table])
                continue
            next_ids, line = payload
            if writer.postgres:
                advance_sequences(conn, next_ids)
            conn.commit()
            fresh = True
            self.committed += 1
            self.echo(f"{line} ({time.monotonic() - self.started:.1f} s)")


# ----------------------------------------------------------------------------- generation


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
    ids: Ids
    rows: Rows
    routes: list[list[tuple[str, ...]]]
    password_hash: str
    used_codes: set[str] = field(default_factory=set)
    kader_seen: int = 0  # kader generated so far in this run: phone numbers derive from it
    level_cache: dict[frozenset[str], Level | None] = field(default_factory=dict)
    areas_cache: dict[frozenset[str], list[dict[str, Any]]] = field(default_factory=dict)
    window_start: datetime = field(init=False)
    route_weights: list[float] = field(init=False)  # cumulative; higher levels are rarer
    orderings: list[tuple[SkillFacts, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.window_start = midnight(self.plan.today - timedelta(days=WINDOW_DAYS))
        weights = [0.55**i if r else 0.0 for i, r in enumerate(self.routes)]
        self.route_weights = list(accumulate(weights)) if any(weights) else []
        self.orderings = skill_orderings(self.cur.skills, random.Random(f"{self.plan.seed}:orderings"))

    def level_of(self, mastered: frozenset[str]) -> Level | None:
        if mastered not in self.level_cache:
            self.level_cache[mastered] = evaluate(self.cur.levels, self.cur.by_area, mastered).current
        return self.level_cache[mastered]


PRACTICAL_OUTCOMES = {1: (True,), 2: (False,), 3: (False, True)}  # kompeten per result, by plan


def learner_practical(roll: float) -> int:
    """A learner's practical plan for one skill: none 35%, kompeten 49%, belum 6%, belum then kompeten 10%."""
    return 0 if roll < 0.35 else 1 if roll < 0.84 else 2 if roll < 0.90 else 3


def skill_orderings(skills: tuple[SkillFacts, ...], rng: random.Random) -> list[tuple[SkillFacts, ...]]:
    """Weighted random orders of the skills, earlier ones first more often; a kader takes a prefix.

    Efraimidis-Spirakis (sort by u ** (1 / weight)), done once for a pool instead of per kader.
    """
    orderings = []
    for _ in range(1024):
        keyed = sorted(range(len(skills)), key=lambda i: rng.random() ** (1.0 + i / 6), reverse=True)
        orderings.append(tuple(skills[i] for i in keyed))
    return orderings


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


class KabupatenBuilder:
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
        province = SYNTHETIC_PROVINCES[(index - 1) // KAB_PER_PROVINCE]
        self.province = province
        self.code = f"{province}.{(index - 1) % KAB_PER_PROVINCE + 1:02d}"
        self.name = f"Kab. Sintetis {index:03d}"
        self.kader_total = kader_total
        self.created = run.window_start - timedelta(days=self.rng.randint(30, 120))
        self.nik_serial: dict[str, int] = defaultdict(int)
        self.holders: list[Holder] = []
        self.skills_by_code = {s.code: s for s in self.cur.skills}
        self.days = WINDOW_DAYS  # sessions on days 0 .. days-1 of the window (never today)

    # -- areas, facilities, accounts

    def build(self, writer: BackgroundWriter) -> None:
        self.writer = writer
        self.dinkes_id = self._dinkes()
        posyandu_total = max(1, round(self.kader_total / KADER_PER_POSYANDU))
        n_kec = max(1, min(self.rng.randint(15, 20), posyandu_total // 4))
        per_kec = split(posyandu_total, n_kec, self.rng, 0.4)
        kader_per_posyandu = split(self.kader_total, posyandu_total, self.rng, 0.5)
        kec_names = self.rng.sample(KECAMATAN_STEMS, n_kec)
        self.rows.add("wilayah", (self.code, self.name, "kabupaten", self.province))
        places: list[Place] = []
        for j, (n_pos, stem) in enumerate(zip(per_kec, kec_names, strict=True), start=1):
            places.extend(self._kecamatan(j, stem, n_pos))
        sizes = iter(kader_per_posyandu)
        for place in places:
            self._fill_posyandu(place, next(sizes))
            if self.rows.pending() > FLUSH_ROWS:
                self._flush()
        self._certificates()
        self._flush()

    def _flush(self) -> None:
        self.writer.put(("rows", self.rows.take()))
        self.quiz_rows = self.rows.tables["quiz_attempt"]

    def _dinkes(self) -> int:
        user_id = self.ids.take("user")
        self.rows.add(
            "district_settings",
            (
                self.code,
                f"Dinas Kesehatan {self.name}",
                SIGNATORY,
                f"Kepala Dinas Kesehatan {self.name}",
                SIGNATORY_NIP,
                f"Sintetis {self.index:03d}",
                self.created,
            ),
        )
        self._user(user_id, f"syn.dinkes.{self.code.replace('.', '')}", f"Dinkes {self.name}", "dinkes", None)
        return user_id

    def _user(self, user_id: int, username: str, full_name: str, role: str, puskesmas_id: int | None) -> None:
        kabupaten = self.code if role == "dinkes" else None
        self.rows.add(
            "user",
            (
                user_id,
                username,
                self.run.password_hash,
                full_name,
                role,
                kabupaten,
                puskesmas_id,
                True,
                False,
                self.created,
                self.created,
            ),
        )

    def _kecamatan(self, j: int, stem: str, n_posyandu: int) -> list[Place]:
        rng = self.rng
        code = f"{self.code}.{j:02d}"
        name = f"{stem} Sintetis"
        self.rows.add("wilayah", (code, name, "kecamatan", self.code))
        n_desa = min(rng.randint(12, 20), n_posyandu)
        desa = [
            (f"{code}.{2000 + m}", f"{s} Sintetis") for m, s in enumerate(rng.sample(DESA_STEMS, n_desa), 1)
        ]
        for d_code, d_name in desa:
            self.rows.add("wilayah", (d_code, d_name, "desa", code))
        pkm_id = self.ids.take("puskesmas")
        pkm_code = f"SYN-P{code.replace('.', '')}"
        self.rows.add(
            "puskesmas", (pkm_id, pkm_code, f"Puskesmas {name}", code, self.code, self.created, self.created)
        )
        for d_code, _ in desa:
            self.rows.add("puskesmas_desa", (pkm_id, d_code))
        for d_code, d_name in rng.sample(desa[1:], min(len(desa) - 1, rng.randint(1, 3))):
            self.rows.add(
                "pustu",
                (self.ids.take("pustu"), f"Pustu {d_name}", d_code, pkm_id, self.created, self.created),
            )
        assessor = self.ids.take("user")
        self._user(assessor, f"syn.fas.{pkm_code.lower()}", f"Bidan Sintetis {stem}", "fasilitator", pkm_id)
        places: list[Place] = []
        for (d_code, d_name), count in zip(desa, split(n_posyandu, n_desa, rng, 0.5), strict=True):
            for n in range(1, count + 1):
                pos_id = self.ids.take("posyandu")
                pos_name = f"Posyandu {rng.choice(POSYANDU_NAMES)} {n}"
                self.rows.add(
                    "posyandu",
                    (
                        pos_id,
                        f"SYN-{d_code.replace('.', '')}-{n:02d}",
                        pos_name,
                        d_code,
                        f"Dusun {rng.choice(DUSUN)} RW {n:02d}",
                        pkm_id,
                        self.code,
                        True,
                        self.created,
                        self.created,
                    ),
                )
                places.append(Place(pos_id, pos_name, code.replace(".", ""), d_name, name, pkm_id, assessor))
        neighbours = [p.id for p in places]
        for p in places:
            p.neighbours = neighbours
        return places

    # -- kader and rosters

    def _fill_posyandu(self, place: Place, size: int) -> None:
        self._plan_sessions(place)
        roles = ("ketua", "sekretaris", "bendahara")
        for n in range(size):
            kader_id, name, nik, joined = self._kader(place, roles[n] if n < len(roles) else "anggota")
            self._activity(place, kader_id, name, nik, joined)
        self._emit_practicals(place)

    def _kader(self, place: Place, role: str) -> tuple[int, str, str, date]:
        rng, today, pick = self.rng, self.plan.today, self._pick
        female = rng.random() < 0.94
        if female:
            name = f"{pick(FEMALE_FIRST)} {pick(FEMALE_LAST)}"
        else:
            name = f"{pick(MALE_FIRST)} {pick(MALE_LAST)}"
        born = date.fromordinal(self._between(BORN_FROM, BORN_TO))
        birth = f"{born.day + (40 if female else 0):02d}{born.month:02d}{born.year % 100:02d}"
        key = place.kecamatan_digits + birth
        self.nik_serial[key] += 1
        nik = f"{key}{self.nik_serial[key]:04d}"
        latest = today - timedelta(days=60)
        first_year = min(max(2005, born.year + 17), latest.year)
        first = date.fromordinal(
            rng.randint(date(first_year, 1, 1).toordinal(), min(date(first_year, 12, 31), latest).toordinal())
        )
        kader_id = self.ids.take("kader")
        created = max(self.created, midnight(first))
        phone = self._phone() if rng.random() < 0.9 else None
        education = EDUCATION[bisect(EDUCATION_CUMULATIVE, rng.random() * EDUCATION_CUMULATIVE[-1])]
        self.rows.add(
            "kader",
            (
                kader_id,
                nik,
                name,
                "P" if female else "L",
                born,
                phone,
                education,
                first.year,
                self.code,
                created,
                created,
            ),
        )
        joined = self._memberships(place, kader_id, role, first, created)
        return kader_id, name, nik, joined

    def _phone(self) -> str:
        # A bijection of the run's kader counter modulo 10^9: unique, but not sequential-looking.
        self.run.kader_seen += 1
        x = (self.run.kader_seen * 385_934_279 + self.plan.seed * 7_919) % 1_000_000_000
        return f"08{PHONE_PREFIXES[x % len(PHONE_PREFIXES)]}{x:09d}"

    def _memberships(self, place: Place, kader_id: int, role: str, first: date, created: datetime) -> date:
        """The open membership, and for ~10% an older closed one; returns when the open one began."""
        rng, latest = self.rng, self.plan.today - timedelta(days=60)
        start = first
        if rng.random() < 0.10:
            end = first + timedelta(days=rng.randint(365, 5 * 365))
            if end <= latest - timedelta(days=60):
                # Moved here from another Posyandu of the kecamatan (or left and came back).
                before = rng.choice([i for i in place.neighbours if i != place.id] or [place.id])
                self.rows.add(
                    "roster_membership",
                    (
                        self.ids.take("roster_membership"),
                        kader_id,
                        before,
                        "anggota",
                        first,
                        end,
                        rng.choice(MOVE_REASONS),
                        created,
                        created,
                    ),
                )
                start = end + timedelta(days=rng.randint(7, 45))
        self.rows.add(
            "roster_membership",
            (
                self.ids.take("roster_membership"),
                kader_id,
                place.id,
                role,
                start,
                None,
                None,
                created,
                created,
            ),
        )
        return start

    # -- practical sessions

    def _plan_sessions(self, place: Place) -> None:
        """Five to eight visits over the window, each observing a few skills; every skill at least once."""
        rng = self.rng
        skills = [s.id for s in self.cur.skills]
        rng.shuffle(skills)
        n = rng.randint(5, 8)
        days = sorted(rng.sample(range(self.days), n))
        chunk = -(-len(skills) // n) + 2
        for i, day in enumerate(days):
            planned = {skills[(i * (chunk - 2) + k) % len(skills)] for k in range(chunk)}
            self._add_session(place, day, planned)

    def _add_session(self, place: Place, day: int, planned: set[int]) -> int:
        index = len(place.sessions)
        place.sessions.append((day, planned))
        for skill_id in sorted(planned):
            insort(place.cover.setdefault(skill_id, []), (day, index))
        return index

    def _sessions_for(self, place: Place, skill_id: int, from_day: int, count: int) -> list[tuple[int, int]]:
        """`count` sessions (or fewer) observing the skill on or after `from_day`, earliest first."""
        options = [c for c in place.cover.get(skill_id, ()) if c[0] >= from_day]
        if not options:
            day = self.rng.randint(from_day, self.days - 1)
            options = [(day, self._add_session(place, day, {skill_id}))]
        if count == 1 or len(options) == 1:
            return [self.rng.choice(options)]
        return sorted(self.rng.sample(options, 2))

    def _emit_practicals(self, place: Place) -> None:
        """Sessions that got results, with the skills and kader observed, then the results."""
        used: dict[int, tuple[set[int], set[int]]] = {}
        for r in place.results:
            skills, kaders = used.setdefault(r[1], (set(), set()))
            skills.add(r[3])
            kaders.add(r[2])
        session_ids: dict[int, int] = {}
        start = self.run.window_start
        for index in sorted(used, key=lambda i: place.sessions[i][0]):
            session_id = session_ids[index] = self.ids.take("assessment_session")
            day = place.sessions[index][0]
            self.rows.add(
                "assessment_session",
                (
                    session_id,
                    place.id,
                    place.puskesmas_id,
                    self.code,
                    place.assessor_id,
                    (start + timedelta(days=day)).date(),
                    None,
                    start + timedelta(days=day, hours=1),
                ),
            )
            skills, kaders = used[index]
            for skill_id in sorted(skills):
                self.rows.add("assessment_session_skill", (session_id, skill_id))
            for kader_id in sorted(kaders):
                self.rows.add("assessment_session_kader", (session_id, kader_id))
        tables = self.rows.tables
        tables["practical_result"].extend((r[0], session_ids[r[1]], *r[2:]) for r in place.results)
        confirmed: dict[int, int] = defaultdict(int)  # the session_result_count the app keeps
        for r in place.results:
            if r[5] is not None:
                confirmed[session_ids[r[1]]] += 1
        tables["session_result_count"].extend(sorted(confirmed.items()))
        tables["step_result"].extend(place.ticks)
        tables["skill_achievement"].extend(place.achievements)

    # -- learning activity

    def _pick(self, options: tuple[str, ...]) -> str:
        return options[int(self.rand() * len(options))]

    def _between(self, low: int, high: int) -> int:
        """rng.randint without its overhead (this runs tens of millions of times nationally)."""
        return low + int(self.rand() * (high - low + 1))

    def _at(self, seconds: int) -> datetime:
        """A moment given in seconds since the window start (integers are cheap to compare and shift)."""
        return self.start + timedelta(seconds=seconds)

    def _engagement(self) -> list[tuple[SkillFacts, bool, int]]:
        """(skill, quiz passed, practical plan) per skill the kader touched.

        Practical plan: 0 none, 1 kompeten, 2 belum kompeten, 3 belum kompeten then kompeten.
        """
        rand = self.rand
        roll = rand()
        if roll < PROFILE_NONE:
            return []
        if roll < PROFILE_NONE + PROFILE_DABBLER:
            return [(s, rand() < 0.55, 0) for s in self._some_skills(self._between(1, 3))]
        if roll < PROFILE_NONE + PROFILE_DABBLER + PROFILE_LEARNER or not self.run.route_weights:
            return [
                (s, rand() < 0.75, learner_practical(rand())) for s in self._some_skills(self._between(2, 12))
            ]
        level = bisect(self.run.route_weights, rand() * self.run.route_weights[-1])
        routes = self.run.routes[level]
        route = routes[int(rand() * len(routes))]
        plan = [(self.skills_by_code[c], True, 3 if rand() < 0.15 else 1) for c in route]
        extra = [s for s in self._some_skills(self._between(0, 3)) if s.code not in route]
        return plan + [(s, rand() < 0.7, int(rand() * 3)) for s in extra]

    def _some_skills(self, n: int) -> list[SkillFacts]:
        """n skills, the core of Posyandu work (earlier areas and skills) more often than the rest."""
        orderings = self.run.orderings
        return sorted(orderings[int(self.rand() * len(orderings))][:n], key=lambda s: s.code)

    def _activity(self, place: Place, kader_id: int, name: str, nik: str, joined: date) -> None:
        from_day = max(0, (joined - self.start.date()).days)
        if from_day >= self.days - 7:
            return  # joined too recently to have done anything
        mastered: list[tuple[str, int]] = []
        pretest = self.rand() < 0.5
        for skill, quiz_pass, practical in self._engagement():
            results = self._practicals(place, kader_id, skill, practical, from_day) if practical else []
            first_result = results[0][1] if results else None
            passing = self._quizzes(kader_id, skill, quiz_pass, pretest, from_day, first_result)
            kompeten = next((r for r in results if r[2]), None)
            if passing and kompeten:
                achieved = self._at(max(passing[1], kompeten[1]))
                place.achievements.append(
                    (
                        self.ids.take("skill_achievement"),
                        kader_id,
                        skill.id,
                        achieved,
                        passing[0],
                        kompeten[0],
                        place.assessor_id,
                        achieved,
                    ),
                )
                mastered.append((skill.code, max(passing[1], kompeten[1])))
        if mastered:
            self._level(place, kader_id, name, nik, mastered)

    def _practicals(
        self, place: Place, kader_id: int, skill: SkillFacts, plan: int, from_day: int
    ) -> list[tuple[int, int, bool]]:
        """Practical results (id, confirmed at in window seconds, kompeten), earliest first."""
        sessions = self._sessions_for(place, skill.id, from_day, 2 if plan == 3 else 1)
        # With a single session available, "belum then kompeten" becomes kompeten at once.
        outcomes = PRACTICAL_OUTCOMES[plan][-len(sessions) :]
        rand, start = self.rand, self.start
        first_id = self.ids.take_many("practical_result", len(sessions))
        out: list[tuple[int, int, bool]] = []
        for n, ((day, index), kompeten) in enumerate(zip(sessions, outcomes, strict=True)):
            confirmed = day * 86400 + 7200 + int(rand() * 25200)  # 09:00-16:00 WIB
            verdict = "kompeten" if kompeten else "belum_kompeten"
            at = start + timedelta(seconds=confirmed)
            place.results.append(
                [
                    first_id + n,
                    index,
                    kader_id,
                    skill.id,
                    place.assessor_id,
                    verdict,
                    verdict,
                    at,
                    at - timedelta(seconds=300 + int(rand() * 2100)),
                ]
            )
            if self.plan.answers:
                self._ticks(place, first_id + n, skill, kompeten, at)
            out.append((first_id + n, confirmed, kompeten))
        return out

    def _ticks(self, place: Place, result_id: int, skill: SkillFacts, kompeten: bool, at: datetime) -> None:
        """Checklist ticks whose suggestion (the pure rule) agrees with the confirmed result."""
        rng, steps = self.rng, skill.steps
        if kompeten:
            done = [critical or rng.random() < 0.9 for _, _, critical in steps]
        else:
            done = [rng.random() < 0.8 for _ in steps]
            critical_at = [i for i, step in enumerate(steps) if step[2]]
            done[rng.choice(critical_at) if critical_at else rng.randrange(len(steps))] = False
        while (
            suggest_kompeten(
                (StepTick(s[2], d) for s, d in zip(steps, done, strict=True)), self.cur.min_share
            )
            != kompeten
        ):
            # Too few steps done for kompeten (or, without critical steps, too many for belum).
            done[rng.choice([i for i, d in enumerate(done) if d != kompeten])] = kompeten
        for (step_id, step_text, critical), d in zip(steps, done, strict=True):
            place.ticks.append((self.ids.take("step_result"), result_id, step_id, step_text, critical, d, at))

    def _quizzes(
        self,
        kader_id: int,
        skill: SkillFacts,
        passes: bool,
        pretest: bool,
        from_day: int,
        before: int | None,
    ) -> tuple[int, int] | None:
        """Attempts on one skill, scores improving; returns the passing attempt (id, submitted at).

        Times are seconds since the window start. The last attempt comes before the first
        practical, so the quiz-before-practical setting is satisfied either way.
        """
        between = self._between
        scores = self._scores(skill, passes, pretest)
        earliest = from_day * 86400
        if before is not None:
            last = min(max(earliest, before - between(3600, 40 * 86400)), before - 3600)
        else:
            last = earliest + between(0, (self.days - from_day) * 86400 - 3600)
        moments = [last]
        for _ in scores[1:]:
            moments.append(moments[-1] - between(3600, 10 * 86400))
        moments.reverse()
        limit = skill.time_limit * 60 if skill.time_limit else 0
        start, first_id = self.start, self.ids.take_many("quiz_attempt", len(scores))
        passing = None
        add = self.quiz_rows.append
        rand = self.rand
        self._quiz_summary(kader_id, skill, scores, pretest)
        for n, (correct, moment) in enumerate(zip(scores, moments, strict=True)):
            took = 240 + int(rand() * 960)  # 4-20 minutes
            if limit:
                took = min(took, limit)
            started = start + timedelta(seconds=moment)
            passed = correct >= skill.need
            add(
                (
                    first_id + n,
                    kader_id,
                    skill.id,
                    started,
                    start + timedelta(seconds=moment + limit) if limit else None,
                    start + timedelta(seconds=moment + took),
                    "submitted",
                    correct,
                    skill.total,
                    skill.pass_mark,
                    passed,
                    pretest and n == 0,
                ),
            )
            if self.plan.answers:
                self._answers(first_id + n, skill, correct, started)
            if passed:
                passing = (first_id + n, moment + took)
        return passing

    def _quiz_summary(self, kader_id: int, skill: SkillFacts, scores: list[int], pretest: bool) -> None:
        """The kader_skill_quiz row the app would keep for these attempts (the first may be a pre-test).

        Percentages as the database computes them: 100.0 * correct / total in double precision.
        """
        pre, post = (scores[:1], scores[1:]) if pretest else ([], scores)
        self.rows.add(
            "kader_skill_quiz",
            (
                kader_id,
                skill.id,
                len(post),
                sum(1 for c in post if c >= skill.need),
                100.0 * pre[0] / skill.total if pre else None,
                max(100.0 * c / skill.total for c in post) if post else None,
            ),
        )

    def _scores(self, skill: SkillFacts, passes: bool, pretest: bool) -> list[int]:
        """Correct answers per attempt, never decreasing; only the last may pass."""
        rand, need, total = self.rand, skill.need, skill.total
        if pretest and passes and rand() < 0.1:
            return [self._between(need, total)]  # knew it already: the pre-test passes
        roll = rand()
        fails = int(pretest) + (0 if roll < 0.6 else 1 if roll < 0.9 else 2) + (0 if passes else 1)
        low = max(0, need - 5)
        scores = sorted(low + int(rand() * (need - low)) for _ in range(fails))
        if passes:
            scores.append(self._between(need, total))
        return scores

    def _answers(self, attempt_id: int, skill: SkillFacts, correct: int, started: datetime) -> None:
        rng = self.rng
        shown = rng.sample(skill.revisions, skill.total)
        right = set(rng.sample(range(skill.total), correct))
        moment = started
        for position, (rev_id, n_options, answer) in enumerate(shown, start=1):
            order = list(range(n_options))
            rng.shuffle(order)
            moment += timedelta(seconds=rng.randint(20, 90))
            if position - 1 in right:
                chosen: int | None = answer
            elif rng.random() < 0.03:
                chosen = None  # left unanswered
            else:
                chosen = rng.choice([o for o in order if o != answer])
            self.rows.add(
                "quiz_attempt_item",
                (
                    self.ids.take("quiz_attempt_item"),
                    attempt_id,
                    position,
                    rev_id,
                    order,
                    chosen,
                    moment if chosen is not None else None,
                ),
            )

    # -- levels and certificates

    def _level(
        self, place: Place, kader_id: int, name: str, nik: str, mastered: list[tuple[str, int]]
    ) -> None:
        codes = frozenset(c for c, _ in mastered)
        level = self.run.level_of(codes)
        since = self._at(max(at for _, at in mastered))
        self.rows.add(
            "kader_level", (kader_id, level.code if level else None, len(codes), self.cur.version_id, since)
        )
        if level is not None and self.rng.random() < CERTIFIED_SHARE:
            self.holders.append(Holder(kader_id, name, nik, place, level, codes, since))

    def _certificates(self) -> None:
        """Numbered in order of issue, gap-free per year; a few revoked and re-issued."""
        rng, last_day = self.rng, self.plan.today - timedelta(days=1)
        events: list[tuple[date, int, bool, Holder]] = []  # (issued on, kader id, is re-issue, holder)
        for h in self.holders:
            issued = min(h.since.date() + timedelta(days=rng.randint(3, 90)), last_day)
            events.append((issued, h.kader_id, False, h))
            if rng.random() < REISSUED_SHARE:
                events.append(
                    (min(issued + timedelta(days=rng.randint(10, 60)), last_day), h.kader_id, True, h)
                )
        events.sort(key=lambda e: e[:3])
        sequences: dict[int, int] = defaultdict(int)
        first: dict[int, list[Any]] = {}
        certificates: list[list[Any]] = []
        for issued, kader_id, reissue, holder in events:
            sequences[issued.year] += 1
            replaced = first.get(kader_id) if reissue else None
            row = self._certificate(holder, issued, sequences[issued.year], replaced)
            if replaced is not None:
                # Revoked before the re-issue is written: one valid certificate per kader and level.
                replaced[10:14] = [
                    "revoked",
                    midnight(issued) + timedelta(hours=4),
                    "Perbaikan penulisan nama (data sintetis)",
                    self.dinkes_id,
                ]
            else:
                first[kader_id] = row
            certificates.append(row)
        for row in certificates:
            self.rows.add("certificate", tuple(row))
        for year, last in sorted(sequences.items()):
            self.rows.add("certificate_counter", (self.code, year, last))

    def _certificate(self, h: Holder, issued: date, sequence: int, replaces: list[Any] | None) -> list[Any]:
        """A certificate row (a list: a later re-issue may still revoke it)."""
        number = certificate_number(h.level.code, self.code, issued.year, sequence)
        code = self._verification_code()
        snapshot = {
            "number": number,
            "verification_code": format_code(code),
            "level_code": h.level.code,
            "level_name": h.level.name,
            "kader_name": h.name,
            "nik_masked": mask_nik(h.nik),
            "posyandu": h.place.name,
            "desa": h.place.desa,
            "kecamatan": h.place.kecamatan,
            "kabupaten": self.name,
            "provinsi": province_name(self.province),
            "issued_on": issued.isoformat(),
            "areas": self._snapshot_areas(h.mastered),
            "signatory": {
                "office": f"Dinas Kesehatan {self.name}",
                "name": SIGNATORY,
                "title": f"Kepala Dinas Kesehatan {self.name}",
                "nip": SIGNATORY_NIP,
                "place": f"Sintetis {self.index:03d}",
                "logo_sha256": None,  # synthetic districts have no images
                "signature_sha256": None,
            },
            "curriculum_version": self.cur.label,
            "replaces": replaces[1] if replaces else None,
            "extra": {"synthetic": True},
        }
        created = midnight(issued) + timedelta(hours=5 if replaces else 3)
        return [
            self.ids.take("certificate"),
            number,
            code,
            self.code,
            issued.year,
            sequence,
            h.kader_id,
            h.level.code,
            issued,
            snapshot,
            "valid",
            None,
            None,
            None,
            replaces[0] if replaces else None,
            self.dinkes_id,
            created,
        ]

    def _snapshot_areas(self, mastered: frozenset[str]) -> list[dict[str, Any]]:
        if mastered not in self.run.areas_cache:
            self.run.areas_cache[mastered] = self._areas_of(mastered)
        return self.run.areas_cache[mastered]

    def _areas_of(self, mastered: frozenset[str]) -> list[dict[str, Any]]:
        return [
            {
                "code": area,
                "title": title,
                "skills": [
                    {"code": c, "title": self.skills_by_code[c].title}
                    for c in self.cur.by_area.get(area, ())
                    if c in mastered
                ],
            }
            for area, title in self.cur.areas
        ]

    def _verification_code(self) -> str:
        while True:
            code = "".join(self.rng.choices(CODE_ALPHABET, k=16))
            if code not in self.run.used_codes:
                self.run.used_codes.add(code)
                return code


def province_name(code: str) -> str:
    n = SYNTHETIC_PROVINCES.index(code) + 1
    return PROVINCE_NAME if n == 1 else f"SINTETIS {n} (data uji kinerja)"


# ----------------------------------------------------------------------------- existing data


def synthetic_provinces() -> list[str]:
    """Synthetic province codes present; a real area under one of our codes is refused."""
    found = []
    for code, name in db.session.execute(
        select(Wilayah.code, Wilayah.name).where(Wilayah.code.in_(SYNTHETIC_PROVINCES))
    ):
        if not name.startswith("SINTETIS"):
            raise click.ClickException(f"province code {code} is used by {name!r}, which is not synthetic")
        found.append(code)
    return sorted(found)


def describe_existing(provinces: list[str]) -> str:
    kab = db.session.scalar(
        select(func.count()).select_from(Wilayah).where(Wilayah.parent_code.in_(provinces))
    )
    kader = db.session.scalar(
        select(func.count()).select_from(Kader).where(func.substr(Kader.kabupaten_code, 1, 2).in_(provinces))
    )
    return f"provinsi {', '.join(provinces)} with {kab} kabupaten and {kader} kader"


# Statements in an order that never deletes a row something else still points at. Each has
# one `IN (subquery)` condition: PostgreSQL turns that into a hash semi-join, while an OR of
# two such conditions becomes a subplan scanned once per row once it outgrows work_mem.
# :kab is the list of synthetic kabupaten codes, :prov the synthetic province codes.
KADER = "SELECT id FROM kader WHERE kabupaten_code IN :kab"
SESSIONS = "SELECT id FROM assessment_session WHERE kabupaten_code IN :kab"
PUSKESMAS = "SELECT id FROM puskesmas WHERE kabupaten_code IN :kab"
POSYANDU = "SELECT id FROM posyandu WHERE kabupaten_code IN :kab"
DESA = "SELECT code FROM wilayah WHERE level = 'desa' AND substr(code, 1, 5) IN :kab"
ACCOUNTS = ("kabupaten_code IN :kab", f"puskesmas_id IN ({PUSKESMAS})", f"kader_id IN ({KADER})")
DELETES: tuple[tuple[str, str], ...] = (
    ("step_result", f"result_id IN (SELECT id FROM practical_result WHERE kader_id IN ({KADER}))"),
    ("step_result", f"result_id IN (SELECT id FROM practical_result WHERE session_id IN ({SESSIONS}))"),
    ("skill_achievement", f"kader_id IN ({KADER})"),
    ("practical_result", f"kader_id IN ({KADER})"),
    ("practical_result", f"session_id IN ({SESSIONS})"),
    ("assessment_session_kader", f"kader_id IN ({KADER})"),
    ("assessment_session_kader", f"session_id IN ({SESSIONS})"),
    ("assessment_session_skill", f"session_id IN ({SESSIONS})"),
    ("session_result_count", f"session_id IN ({SESSIONS})"),
    ("assessment_session", "kabupaten_code IN :kab"),
    ("kader_level", f"kader_id IN ({KADER})"),
    ("kader_skill_quiz", f"kader_id IN ({KADER})"),
    ("quiz_attempt_item", f"attempt_id IN (SELECT id FROM quiz_attempt WHERE kader_id IN ({KADER}))"),
    ("quiz_attempt", f"kader_id IN ({KADER})"),
    ("material_view", f"kader_id IN ({KADER})"),
    ("certificate", f"kader_id IN ({KADER})"),
    ("certificate", "kabupaten_code IN :kab"),
    ("certificate_counter", "kabupaten_code IN :kab"),
    ("district_settings", "kabupaten_code IN :kab"),
    ("issuer_key", "kabupaten_code IN :kab"),
    ("roster_import", "kabupaten_code IN :kab"),
    ("audit_log", "kabupaten_code IN :kab"),
    ("roster_membership", f"kader_id IN ({KADER})"),
    ("roster_membership", f"posyandu_id IN ({POSYANDU})"),
    *(("user", scope) for scope in ACCOUNTS),
    ("pustu", f"puskesmas_id IN ({PUSKESMAS})"),
    ("pustu", f"desa_code IN ({DESA})"),
    ("posyandu", "kabupaten_code IN :kab"),
    ("puskesmas_desa", f"puskesmas_id IN ({PUSKESMAS})"),
    ("puskesmas_desa", f"desa_code IN ({DESA})"),
    ("puskesmas", "kabupaten_code IN :kab"),
    ("kader", "kabupaten_code IN :kab"),
    ("wilayah", f"code IN ({DESA})"),
    ("wilayah", "level = 'kecamatan' AND substr(code, 1, 5) IN :kab"),
    ("wilayah", "level = 'kabupaten' AND parent_code IN :prov"),
    ("wilayah", "code IN :prov"),
)
# Rows that stay but name a synthetic account (ON DELETE SET NULL): detached just before the
# accounts are deleted, when only real rows are left to update.
DETACH = (
    ("audit_log", "user_id"),
    ("roster_import", "user_id"),
    ("certificate", "issued_by"),
    ("certificate", "revoked_by"),
    ("skill_achievement", "assessor_id"),
)


def delete_synthetic(provinces: list[str]) -> dict[str, int]:
    """Delete everything under the synthetic provinces, children first; returns rows per table.

    On PostgreSQL a superuser skips the per-row foreign-key triggers: several referencing
    columns have no index (e.g. skill_achievement.quiz_attempt_id), so each deleted parent
    row would scan a child table still full of dead rows. The explicit order (and DETACH for
    SET NULL references) keeps every reference valid without them.
    """
    kab = list(db.session.scalars(select(Wilayah.code).where(Wilayah.parent_code.in_(provinces))))
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL work_mem = '256MB'"))  # hash the id sets in memory
        if superuser():
            db.session.execute(text("SET LOCAL session_replication_role = replica"))
    deleted: dict[str, int] = defaultdict(int)
    detached = False
    for table, condition in DELETES:
        if table == "user" and not detached:
            detach_accounts(kab, provinces)
            detached = True
        deleted[table] += run_with_codes(f'DELETE FROM "{table}" WHERE {condition}', kab, provinces)
    return dict(deleted)


def detach_accounts(kab: list[str], provinces: list[str]) -> None:
    """SET NULL, as the foreign keys say, where a remaining row names a synthetic account."""
    for table, column in DETACH:
        for scope in ACCOUNTS:
            accounts = f'SELECT id FROM "user" WHERE {scope}'
            run_with_codes(
                f'UPDATE "{table}" SET "{column}" = NULL WHERE "{column}" IN ({accounts})', kab, provinces
            )


def run_with_codes(sql: str, kab: list[str], provinces: list[str]) -> int:
    stmt = text(sql)
    params: dict[str, Any] = {}
    if ":kab" in sql:
        stmt = stmt.bindparams(bindparam("kab", expanding=True))
        params["kab"] = kab or ["-"]
    if ":prov" in sql:
        stmt = stmt.bindparams(bindparam("prov", expanding=True))
        params["prov"] = provinces
    return db.session.execute(stmt, params).rowcount or 0


def superuser() -> bool:
    return db.session.scalar(text("SHOW is_superuser")) == "on"


# ----------------------------------------------------------------------------- command


def reference_day(year: int | None) -> date:
    today = date.today()
    if year is None or year == today.year:
        return today
    if year > today.year:
        raise click.BadParameter("cannot be in the future", param_hint="--year")
    return date(year, 12, 31)


def run_generation(plan: Plan, cur: CurriculumFacts, echo: Callable[[str], None]) -> Rows:
    engine = db.session.get_bind()
    rows = Rows()
    run = Run(
        plan=plan,
        cur=cur,
        ids=Ids(),
        rows=rows,
        routes=level_routes(cur, random.Random(plan.seed)),
        # Accounts nobody can log in to: the password is random and never shown.
        password_hash=generate_password_hash(secrets.token_urlsafe(24), method="pbkdf2:sha256:1000"),
    )
    db.session.commit()  # hold nothing open: the writer thread has its own connection
    sizes = split(plan.kader, plan.kabupaten, random.Random(f"{plan.seed}:sizes"), 0.6)
    writer = BackgroundWriter(engine, echo, time.monotonic())
    index, code = 0, ""
    # The writer thread needs the GIL only in short bursts; hand it over sooner than every 5 ms.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        for index, size in enumerate(sizes, start=1):
            builder = KabupatenBuilder(run, index, size)
            code = builder.code
            if (index - 1) % KAB_PER_PROVINCE == 0:  # the first kabupaten of a province
                rows.add("wilayah", (builder.province, province_name(builder.province), "provinsi", None))
            builder.build(writer)
            line = (
                f"[{index}/{plan.kabupaten}] {builder.code} {builder.name}: {size} kader, "
                f"{len(builder.holders)} certificates; total {rows.written['kader']} kader, "
                f"{rows.written['quiz_attempt']} quiz attempts"
            )
            writer.put(("commit", (dict(run.ids.next), line)))
    except WriterFailed:
        pass  # reported below
    finally:
        writer.close()
        sys.setswitchinterval(switch_interval)
    if writer.error is not None:
        echo(
            f"failed at or after {code}: {writer.committed} kabupaten were committed (remove with --replace)"
        )
        raise click.ClickException(f"writing failed: {writer.error}") from writer.error
    if engine.dialect.name == "postgresql":
        analyze(rows.written)
    return rows


def analyze(written: dict[str, int]) -> None:
    """Fresh planner statistics: right after a bulk load PostgreSQL still assumes empty tables."""
    tables = ", ".join(f'"{t}"' for t, n in written.items() if n)
    if tables:
        db.session.execute(text(f"ANALYZE {tables}"))
        db.session.commit()


def summary(written: dict[str, int], elapsed: float) -> Iterable[str]:
    width = max(len(t) for t in written)
    for table in TABLE_ORDER:
        yield f"  {table:<{width}}  {written[table]:>12,}"
    yield f"  {'total':<{width}}  {sum(written.values()):>12,}"
    yield f"elapsed {elapsed:.1f} s"


@click.command("bench-data")
@click.option(
    "--kabupaten", type=click.IntRange(1, MAX_KABUPATEN), required=True, help="Districts to generate."
)
@click.option(
    "--kader", type=click.IntRange(1), required=True, help="Total kader, spread over the districts."
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option(
    "--answers/--no-answers",
    default=None,
    help=f"Per-item quiz answers and checklist ticks (default: on up to {ANSWERS_DEFAULT_LIMIT:,} kader).",
)
@click.option(
    "--year", type=int, default=None, help="Activity ends on 31 December of this year (default: today)."
)
@click.option("--replace", is_flag=True, help="Delete previous synthetic data first.")
@with_appcontext
def bench_data_command(
    kabupaten: int, kader: int, seed: int, answers: bool | None, year: int | None, replace: bool
) -> None:
    """Generate synthetic, clearly marked kader data for benchmarks. Refused in production."""
    if not current_app.config.get("SEED_DEMO_ALLOWED", False):
        raise click.ClickException("bench-data is refused under the production configuration")
    if kader < kabupaten:
        raise click.BadParameter("needs at least one kader per kabupaten", param_hint="--kader")
    today = reference_day(year)
    started = time.monotonic()
    cur = load_curriculum_facts()
    existing = synthetic_provinces()
    if existing and not replace:
        raise click.ClickException(
            f"synthetic data already present ({describe_existing(existing)}): nothing changed; "
            "run again with --replace to delete it first"
        )
    if existing:
        click.echo(f"deleting synthetic data ({describe_existing(existing)}) ...")
        deleted = delete_synthetic(existing)
        db.session.commit()
        click.echo("deleted: " + ", ".join(f"{n} {t}" for t, n in deleted.items() if n))
    plan = Plan(
        kabupaten=kabupaten,
        kader=kader,
        seed=seed,
        answers=kader <= ANSWERS_DEFAULT_LIMIT if answers is None else answers,
        today=today,
    )
    click.echo(
        f"generating {kader:,} kader in {kabupaten} synthetic kabupaten (seed {seed}, activity up to "
        f"{today.isoformat()}, answers {'on' if plan.answers else 'off'})"
    )
    rows = run_generation(plan, cur, click.echo)
    click.echo("synthetic data written (rows per table):")
    for line in summary(rows.written, time.monotonic() - started):
        click.echo(line)
