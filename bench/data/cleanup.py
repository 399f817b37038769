"""Finding and deleting earlier synthetic data, with the statements derived from the models' metadata.

A row is synthetic when its table has a `kabupaten_code` under a synthetic province, or when
a foreign key leads to a synthetic row. Tables are emptied children first (the metadata's
dependency order), so a new table that refers to kader, accounts or Posyandu is cleaned up
without a change here. Each statement has one `IN (subquery)` condition: PostgreSQL turns that
into a hash semi-join, while an OR of two such conditions becomes a subplan scanned once per
row once it outgrows work_mem.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

import click
from sqlalchemy import ForeignKeyConstraint, Table, bindparam, func, select, text

from app.core.models import Base
from app.extensions import db
from app.rosters.models import Kader, Wilayah
from bench.data.run import SYNTHETIC_PROVINCES

# Wilayah refers to itself: desa, then kecamatan, kabupaten and the provinces (:kab and :prov
# are the synthetic kabupaten and province codes).
WILAYAH = (
    "level = 'desa' AND substr(code, 1, 5) IN :kab",
    "level = 'kecamatan' AND substr(code, 1, 5) IN :kab",
    "level = 'kabupaten' AND parent_code IN :prov",
    "code IN :prov",
)
WILAYAH_ROWS = "substr(code, 1, 5) IN :kab"  # every synthetic desa and kecamatan (and kabupaten)


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


def _set_null(fk: ForeignKeyConstraint) -> bool:
    return (fk.ondelete or "").upper() == "SET NULL"


@cache
def conditions(name: str, path: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """SQL conditions, each selecting some synthetic rows of the table (together: all of them).

    `path`: the tables already on the way here; a reference back to one of them (e.g. an
    account's kader, the kader's account) adds no rows that the other references miss.
    """
    if name == "wilayah":
        return (WILAYAH_ROWS,)
    table = Base.metadata.tables[name]
    path = path | {name}
    found: list[str] = []
    district = table.c.get("kabupaten_code")
    if district is not None:
        found.append("kabupaten_code IN :kab")
        if not district.nullable:
            return tuple(found)  # every row belongs to a district: nothing else to follow
    for fk in sorted(table.foreign_key_constraints, key=lambda f: f.elements[0].parent.name):
        parent = fk.referred_table
        if fk.elements[0].parent is district:
            continue
        if parent.name in path or _set_null(fk) or len(fk.elements) != 1:
            continue  # SET NULL references are detached instead (see `detach`)
        column, target = fk.elements[0].parent.name, fk.elements[0].column.name
        for condition in conditions(parent.name, path):
            found.append(f'"{column}" IN (SELECT "{target}" FROM "{parent.name}" WHERE {condition})')
    return tuple(dict.fromkeys(found))


def plan() -> list[tuple[str, str]]:
    """(table, condition) deletes and ("UPDATE", statement) detaches, in a safe order."""
    statements: list[tuple[str, str]] = []
    for table in reversed(Base.metadata.sorted_tables):
        statements.extend(detach(table))
        if table.name == "wilayah":
            statements.extend(("wilayah", c) for c in WILAYAH)
        else:
            statements.extend((table.name, c) for c in conditions(table.name))
    return statements


def detach(parent: Table) -> list[tuple[str, str]]:
    """SET NULL, as the foreign keys say, where a row left standing names a synthetic row of `parent`.

    Done by hand because a superuser's load and delete skip the foreign-key triggers.
    """
    out = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            if fk.referred_table is not parent or not _set_null(fk) or len(fk.elements) != 1:
                continue
            column, target = fk.elements[0].parent.name, fk.elements[0].column.name
            for condition in conditions(parent.name):
                rows = f'SELECT "{target}" FROM "{parent.name}" WHERE {condition}'
                out.append(
                    ("UPDATE", f'UPDATE "{table.name}" SET "{column}" = NULL WHERE "{column}" IN ({rows})')
                )
    return out


def delete_synthetic(provinces: list[str]) -> dict[str, int]:
    """Delete everything under the synthetic provinces, children first; returns rows per table.

    On PostgreSQL a superuser skips the per-row foreign-key triggers: several referencing
    columns have no index (e.g. skill_achievement.quiz_attempt_id), so each deleted parent
    row would scan a child table still full of dead rows. The order (and the detaches for
    SET NULL references) keeps every reference valid without them.
    """
    kab = list(db.session.scalars(select(Wilayah.code).where(Wilayah.parent_code.in_(provinces))))
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL work_mem = '256MB'"))  # hash the id sets in memory
        if db.session.scalar(text("SHOW is_superuser")) == "on":
            db.session.execute(text("SET LOCAL session_replication_role = replica"))
    deleted: dict[str, int] = defaultdict(int)
    for table, condition in plan():
        if table == "UPDATE":
            run_with_codes(condition, kab, provinces)
        else:
            deleted[table] += run_with_codes(f'DELETE FROM "{table}" WHERE {condition}', kab, provinces)
    return dict(deleted)


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
