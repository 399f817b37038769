"""Summary tables kept in step with their source tables inside the writer's own transaction.

A summary registers what a flush changed (`changed`), what an ORM UPDATE or DELETE is about
to change (`before_statement`, read before the statement runs because its WHERE may not
match afterwards), and how to recompute rows for those keys (`refresh`). Every writer that
goes through a session then keeps the summary right without knowing it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, event, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

Keys = set[Any]


@dataclass(frozen=True)
class KeptSummary:
    name: str  # session.info key of the keys a flush touched
    changed: Callable[[Session], Keys]
    before_statement: Callable[[ORMExecuteState], Keys | None]  # None: not about the sources
    refresh: Callable[[Connection, Keys], None]

    def _collect(self, session: Session, _flush: UOWTransaction) -> None:
        keys = self.changed(session)
        if keys:
            session.info.setdefault(self.name, set()).update(keys)

    def _refresh_flushed(self, session: Session, _flush: UOWTransaction) -> None:
        keys = session.info.pop(self.name, None)
        if keys:
            self.refresh(session.connection(), keys)

    def _refresh_statement(self, state: ORMExecuteState) -> Any:
        if not (state.is_update or state.is_delete):
            return None
        keys = self.before_statement(state)
        if keys is None:
            return None
        result = state.invoke_statement()
        if keys:
            self.refresh(state.session.connection(), keys)
        return result


_LISTENING: set[str] = set()  # names of the summaries already listening


def listen(summary: KeptSummary) -> None:
    """Listen on every session (called at app start; a second call adds nothing)."""
    if summary.name in _LISTENING:
        return
    event.listen(Session, "after_flush", summary._collect)
    event.listen(Session, "after_flush_postexec", summary._refresh_flushed)
    event.listen(Session, "do_orm_execute", summary._refresh_statement)
    _LISTENING.add(summary.name)


def rows_before(state: ORMExecuteState, model: type, *columns: Any) -> list[Any] | None:
    """The distinct `columns` of the rows an ORM UPDATE or DELETE of `model` is about, read
    before it runs (its WHERE, e.g. `submitted_at IS NULL`, may not match afterwards); None
    when the statement is about another model."""
    if not any(mapper.class_ is model for mapper in state.all_mappers):
        return None
    query = select(*columns).distinct()
    where = getattr(state.statement, "whereclause", None)  # None: every row
    if where is not None:
        query = query.where(where)
    return list(state.session.connection().execute(query))
