"""Keep SessionResultCount in step with practical_result, as progress.quiz_summary does for quizzes.

Listens on every session (`SUMMARY`, connected at app start): results added, confirmed, corrected,
moved or deleted through the ORM (the practicals services, the demo seed, tests) refresh their
sessions' counts in the same transaction. `python -m bench.data` writes the rows itself; the
migration filled existing data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, delete, func, insert, select
from sqlalchemy.orm import ORMExecuteState, Session, attributes

from app.core.batching import batched
from app.core.kept_summaries import KeptSummary, rows_before
from app.practicals.models import AssessmentSession, PracticalResult
from app.reports.models import SessionResultCount

BATCH = 800  # session ids per statement, below SQLite's bound-parameter limit
COUNTED = ("session_id", "result")  # a change to any other column needs no refresh


def counts_select(where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(PracticalResult.session_id, func.count())
        .where(PracticalResult.result.is_not(None), where)
        .group_by(PracticalResult.session_id)
    )


def refresh_on(conn: Connection, session_ids: Iterable[int]) -> None:
    """Recount the confirmed results of these sessions."""
    table = SessionResultCount.__table__
    for chunk in batched(sorted(set(session_ids)), BATCH):
        # Two devices confirming results of one session at once: the second recount waits for
        # the first to commit, then replaces its row (PostgreSQL; SQLite writes one at a time).
        conn.execute(select(AssessmentSession.id).where(AssessmentSession.id.in_(chunk)).with_for_update())
        conn.execute(delete(table).where(table.c.session_id.in_(chunk)))
        rows = counts_select(PracticalResult.session_id.in_(chunk))
        conn.execute(insert(table).from_select(["session_id", "confirmed"], rows))


def _changed_sessions(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, PracticalResult) and obj.result is not None:
            ids.add(obj.session_id)
    for obj in session.dirty:
        if not isinstance(obj, PracticalResult):
            continue
        histories = [attributes.get_history(obj, name) for name in COUNTED]
        if any(h.has_changes() for h in histories):
            ids.add(obj.session_id)
            ids.update(histories[0].deleted)  # moved from another session
    return {i for i in ids if i is not None}


def _sessions_before_statement(state: ORMExecuteState) -> set[int] | None:
    """An UPDATE or DELETE of results through the session."""
    rows = rows_before(state, PracticalResult, PracticalResult.session_id)
    return None if rows is None else {session_id for (session_id,) in rows}


SUMMARY = KeptSummary(
    "session_result_count.pending", _changed_sessions, _sessions_before_statement, refresh_on
)
