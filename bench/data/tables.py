"""Rows as the models' metadata has them, and the fast ways to write them.

A generator names only the columns it has values for (`FIELDS`); every other column of the
table comes from the model's metadata: its scalar or callable default, the database's server
default, or NULL when nullable. A new required column without a default stops the generator
with its name, instead of an insert failing half-way through a district.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from queue import Full, Queue
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, func, select, text

import app.models  # noqa: F401 - every model on the metadata
from app.core.models import Base
from app.extensions import db

# Per table, the columns the generator fills, in the order it builds each row tuple.
FIELDS: dict[str, tuple[str, ...]] = {
    "wilayah": ("code", "name", "level", "parent_code"),
    "puskesmas": ("id", "code", "name", "kecamatan_code", "kabupaten_code", "created_at", "updated_at"),
    "puskesmas_desa": ("puskesmas_id", "desa_code"),
    "pustu": ("id", "name", "desa_code", "puskesmas_id", "created_at", "updated_at"),
    "posyandu": (
        "id", "code", "name", "desa_code", "dusun_rw", "puskesmas_id", "kabupaten_code", "created_at",
        "updated_at",
    ),
    "user": (
        "id", "username", "password_hash", "full_name", "role", "kabupaten_code", "puskesmas_id",
        "created_at", "updated_at",
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
        "id", "posyandu_id", "puskesmas_id", "kabupaten_code", "assessor_id", "session_date", "created_at",
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

_OMIT = object()  # the database fills the column (server default)


class SchemaChanged(Exception):
    """The models no longer match what the generator fills (message says which column)."""


def _default(column: Column[Any]) -> Any:
    """The value an ORM insert would give a column the generator does not fill."""
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        return default.arg  # type: ignore[attr-defined]
    if default is not None and getattr(default, "is_callable", False):
        return default.arg(None)  # type: ignore[attr-defined]  # SQLAlchemy wraps it to take a context
    if column.server_default is not None:
        return _OMIT
    if column.nullable:
        return None
    raise SchemaChanged(f"{column.table.name}.{column.name} is required and has no default")


@dataclass(frozen=True)
class Shape:
    """One table's columns in writing order: the generated fields, then the defaulted rest."""

    table: Table
    columns: tuple[str, ...]
    suffix: tuple[Any, ...]  # appended to every generated row

    @classmethod
    def of(cls, name: str, fields: tuple[str, ...]) -> Shape:
        table = Base.metadata.tables.get(name)
        if table is None:
            raise SchemaChanged(f"table {name} is gone from the models")
        unknown = [f for f in fields if f not in table.c]
        if unknown:
            raise SchemaChanged(f"{name} has no column {', '.join(unknown)}")
        rest = [(c.name, _default(c)) for c in table.columns if c.name not in fields]
        kept = [(n, v) for n, v in rest if v is not _OMIT]
        return cls(table, fields + tuple(n for n, _ in kept), tuple(v for _, v in kept))

    def complete(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        suffix = self.suffix
        return [r + suffix for r in rows] if suffix else rows


def shapes() -> dict[str, Shape]:
    """Every generated table, parents before children (the metadata's dependency order)."""
    made = {name: Shape.of(name, fields) for name, fields in FIELDS.items()}
    return {t.name: made[t.name] for t in Base.metadata.sorted_tables if t.name in made}


def id_tables() -> tuple[str, ...]:
    """Generated tables whose primary key is a single integer `id` that the generator assigns."""
    return tuple(
        name
        for name in FIELDS
        if [c.name for c in Base.metadata.tables[name].primary_key.columns] == ["id"] and "id" in FIELDS[name]
    )


class Writer:
    """Writes row tuples into one table: binary COPY on PostgreSQL, Core executemany on SQLite."""

    def __init__(self, conn: Connection, tables: dict[str, Shape]) -> None:
        self.conn = conn
        self.shapes = tables
        self.postgres = conn.dialect.name == "postgresql"
        self.types: dict[str, list[str]] = {}

    def write(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        shape = self.shapes[name]
        rows = shape.complete(rows)
        if self.postgres:
            self._copy(name, shape.columns, rows)
            return
        columns = shape.columns
        for i in range(0, len(rows), 50_000):
            self.conn.execute(
                shape.table.insert(), [dict(zip(columns, r, strict=True)) for r in rows[i : i + 50_000]]
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
            query = "SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = :t"
            found = dict(self.conn.execute(text(query), {"t": table}).all())
            # varchar takes text's binary form; json values are dumped from Python objects.
            self.types[table] = ["text" if found[c] == "varchar" else found[c] for c in columns]
        return self.types[table]


@dataclass
class Rows:
    """Row buffers per table; handed to the writer, which writes parents first."""

    order: tuple[str, ...]
    tables: dict[str, list[tuple[Any, ...]]] = field(init=False)
    written: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.tables = {t: [] for t in self.order}
        self.written = dict.fromkeys(self.order, 0)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.tables[table].append(row)

    def pending(self) -> int:
        return sum(len(r) for r in self.tables.values())

    def take(self) -> dict[str, list[tuple[Any, ...]]]:
        """The buffered rows, handed over for writing; the buffers start empty again."""
        batch, self.tables = self.tables, {t: [] for t in self.order}
        for table, rows in batch.items():
            self.written[table] += len(rows)
        return batch


class Ids:
    """Primary keys handed out here, above the current maximum of each table."""

    def __init__(self, tables: tuple[str, ...]) -> None:
        self.next = {
            t: (db.session.scalar(select(func.max(Base.metadata.tables[t].c.id))) or 0) + 1 for t in tables
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

    def __init__(
        self, engine: Engine, tables: dict[str, Shape], echo: Callable[[str], None], started: float
    ) -> None:
        self.engine, self.shapes, self.echo, self.started = engine, tables, echo, started
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
        writer = Writer(conn, self.shapes)
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
                for table in self.shapes:
                    writer.write(table, payload[table])
                continue
            next_ids, line = payload
            if writer.postgres:
                advance_sequences(conn, next_ids)
            conn.commit()
            fresh = True
            self.committed += 1
            self.echo(f"{line} ({time.monotonic() - self.started:.1f} s)")
