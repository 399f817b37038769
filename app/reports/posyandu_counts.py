"""Keep PosyanduKaderCount in step with roster_membership, kader_level and certificate, and
the kabupaten roll-ups (KabupatenLevelCount, KabupatenCoverage) in step with it and posyandu.

A flush that opens, closes or moves a membership refreshes the Posyandu on both sides; one
that changes a kader's level or certificates refreshes the Posyandu the kader serves at now;
each refreshed Posyandu rolls up into its kabupaten, as does a Posyandu added, moved or
switched active.
Every writer that goes through a session (roster import and API push, kader pages, progress,
certificates, the demo seed, tests) keeps the summary right in its own transaction. Writers
that bypass the session (`python -m bench.data`) call `refresh_all`; the migration that
created the table filled it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    select,
    true,
)
from sqlalchemy.orm import ORMExecuteState, Session, attributes

from app.certificates.models import Certificate
from app.core.batching import batched
from app.core.kept_summaries import KeptSummary, Keys, rows_before
from app.progress.models import KaderLevel
from app.reports.models import KabupatenCoverage, KabupatenLevelCount, PosyanduKaderCount
from app.rosters.models import Posyandu, RosterMembership, Wilayah

CERTIFIED_POSYANDU_MIN = 4  # "at least 4 certified kader" per Posyandu (issue brief)
BATCH = 800  # ids per statement, below SQLite's bound-parameter limit
POSYANDU, KADER, KABUPATEN = "posyandu", "kader", "kabupaten"
# Per source model: the column that names what to recount, and the columns the counts depend
# on (a change to any other column needs no refresh).
SOURCES: dict[type, tuple[str, tuple[str, ...]]] = {
    RosterMembership: ("posyandu_id", ("posyandu_id", "kader_id", "end_date")),
    KaderLevel: ("kader_id", ("kader_id", "level_code")),
    Certificate: ("kader_id", ("kader_id", "status")),
    Posyandu: ("kabupaten_code", ("kabupaten_code", "active")),
}
KIND = {"posyandu_id": POSYANDU, "kader_id": KADER, "kabupaten_code": KABUPATEN}
COLUMNS = ("posyandu_id", "level_code", "kader", "certified")


def counts_select(where: ColumnElement[bool]) -> Select[Any]:
    """Active kader per Posyandu and level, and how many of them hold a valid certificate."""
    membership = RosterMembership
    certified = exists().where(Certificate.kader_id == membership.kader_id, Certificate.status == "valid")
    return (
        select(
            membership.posyandu_id,
            KaderLevel.level_code,
            func.count(),
            func.sum(case((certified, 1), else_=0)),
        )
        .select_from(membership)
        .outerjoin(KaderLevel, KaderLevel.kader_id == membership.kader_id)
        .where(membership.end_date.is_(None), where)
        .group_by(membership.posyandu_id, KaderLevel.level_code)
    )


def _batches(ids: set[Any]) -> Iterator[list[Any]]:
    return batched(sorted(ids), BATCH)  # sorted: one lock order for every writer


def _lock_kabupaten(conn: Connection, codes: list[str]) -> None:
    """Writers in one kabupaten recount one after another: the second waits for the first to
    commit, then counts with it (PostgreSQL; SQLite writes one at a time). Every writer takes
    this lock before anything else it recounts, so two writers cannot wait on each other."""
    conn.execute(select(Wilayah.code).where(Wilayah.code.in_(codes)).with_for_update(key_share=True))


def refresh_on(conn: Connection, keys: Keys) -> None:
    """Recount what these keys name ((POSYANDU | KADER | KABUPATEN, id or code))."""
    posyandu_ids = {i for kind, i in keys if kind == POSYANDU}
    for chunk in _batches({i for kind, i in keys if kind == KADER}):
        posyandu_ids.update(
            conn.scalars(
                select(RosterMembership.posyandu_id).where(
                    RosterMembership.kader_id.in_(chunk), RosterMembership.end_date.is_(None)
                )
            )
        )
    kabupaten = {code for kind, code in keys if kind == KABUPATEN}
    for chunk in _batches(posyandu_ids):
        kabupaten.update(
            conn.scalars(select(Posyandu.kabupaten_code).where(Posyandu.id.in_(chunk)).distinct())
        )
    if kabupaten:
        _lock_kabupaten(conn, sorted(kabupaten))
    table = PosyanduKaderCount.__table__
    for chunk in _batches(posyandu_ids):
        conn.execute(delete(table).where(table.c.posyandu_id.in_(chunk)))
        rows = counts_select(RosterMembership.posyandu_id.in_(chunk))
        conn.execute(insert(table).from_select(COLUMNS, rows))
    for chunk in _batches(kabupaten):
        _roll_up(conn, Posyandu.kabupaten_code.in_(chunk), chunk)


def _roll_up(conn: Connection, where: ColumnElement[bool], codes: list[str] | None) -> None:
    """Recount the kabupaten roll-ups of the active Posyandu matching `where`."""
    levels, coverage = KabupatenLevelCount.__table__, KabupatenCoverage.__table__
    if codes is not None:
        conn.execute(delete(levels).where(levels.c.kabupaten_code.in_(codes)))
        conn.execute(delete(coverage).where(coverage.c.kabupaten_code.in_(codes)))
    counts = PosyanduKaderCount
    active = and_(Posyandu.active.is_(True), where)
    per_level = (
        select(Posyandu.kabupaten_code, counts.level_code, func.sum(counts.kader), func.sum(counts.certified))
        .join(Posyandu, Posyandu.id == counts.posyandu_id)
        .where(active)
        .group_by(Posyandu.kabupaten_code, counts.level_code)
    )
    conn.execute(
        insert(levels).from_select(["kabupaten_code", "level_code", "kader", "certified"], per_level)
    )
    certified = (  # the kabupaten's own Posyandu only: a GROUP BY does not let `where` in
        select(counts.posyandu_id)
        .join(Posyandu, Posyandu.id == counts.posyandu_id)
        .where(active)
        .group_by(counts.posyandu_id)
        .having(func.sum(counts.certified) >= CERTIFIED_POSYANDU_MIN)
        .subquery()
    )
    per_kabupaten = (
        select(Posyandu.kabupaten_code, func.count(), func.count(certified.c.posyandu_id))
        .outerjoin(certified, certified.c.posyandu_id == Posyandu.id)
        .where(active)
        .group_by(Posyandu.kabupaten_code)
    )
    conn.execute(
        insert(coverage).from_select(["kabupaten_code", "posyandu", "with_min_certified"], per_kabupaten)
    )


def refresh_all(conn: Connection) -> None:
    """Recount everything (after writes that bypassed the session)."""
    for model in (PosyanduKaderCount, KabupatenLevelCount, KabupatenCoverage):
        conn.execute(delete(model.__table__))
    conn.execute(insert(PosyanduKaderCount.__table__).from_select(COLUMNS, counts_select(true())))
    _roll_up(conn, true(), None)


def _key(column: str, value: Any) -> tuple[str, Any] | None:
    return None if value is None else (KIND[column], value)


def _changed(session: Session) -> Keys:
    keys: Keys = set()
    for obj in (*session.new, *session.deleted, *session.dirty):
        source = SOURCES.get(type(obj))
        if source is None:
            continue
        target, columns = source
        if obj in session.dirty:
            histories = [attributes.get_history(obj, c) for c in columns]
            if not any(h.has_changes() for h in histories):
                continue
            for old in attributes.get_history(obj, target).deleted:  # moved away from there
                keys.add(_key(target, old))
        keys.add(_key(target, getattr(obj, target)))
    keys.discard(None)
    return keys


def _before_statement(state: ORMExecuteState) -> Keys | None:
    for model, (target, _columns) in SOURCES.items():
        rows = rows_before(state, model, getattr(model, target))
        if rows is not None:
            return {(KIND[target], value) for (value,) in rows}
    return None


SUMMARY = KeptSummary("posyandu_kader_count.pending", _changed, _before_statement, refresh_on)
