"""Keep KaderSkillQuiz (one row per kader and skill with finished attempts) in step with quiz_attempt.

The quiz package closes an attempt with one UPDATE and adds or changes attempts through the
session; progress listens to both on the session, so every writer that goes through the ORM
(quiz services, the demo seed, tests, a future importer) keeps the summary right in the same
transaction without the quiz package knowing about reports (`listen`, called at app start).
Writers that bypass the session (`python -m bench.data` copying rows) fill the table themselves;
the migration that created it filled it from the attempts already there.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    delete,
    func,
    insert,
    select,
    tuple_,
)
from sqlalchemy.orm import ORMExecuteState, Session, attributes

from app.core.batching import batched
from app.core.kept_summaries import KeptSummary, rows_before
from app.progress.models import KaderSkillQuiz
from app.quizzes.models import QuizAttempt

Key = tuple[int, int]  # (kader_id, skill_id)
BATCH = 400  # keys per statement: two bound parameters each, below SQLite's limit
# Attempt columns the summary depends on: a change to any other column needs no refresh.
SUMMARISED = ("kader_id", "skill_id", "submitted_at", "passed", "correct", "total", "is_pretest")


def percent() -> ColumnElement[Any]:
    """An attempt's score in percent, computed by the database exactly as the reports always did."""
    return 100.0 * QuizAttempt.correct / QuizAttempt.total


def finished() -> ColumnElement[bool]:
    return and_(QuizAttempt.submitted_at.is_not(None), QuizAttempt.passed.is_not(None))


def summary_select(where: ColumnElement[bool]) -> Select[Any]:
    """Summary rows for the attempts matching `where`, grouped per kader and skill."""
    pre = QuizAttempt.is_pretest.is_(True)
    post = QuizAttempt.is_pretest.is_(False)
    return (
        select(
            QuizAttempt.kader_id,
            QuizAttempt.skill_id,
            func.sum(case((post, 1), else_=0)),
            func.sum(case((and_(post, QuizAttempt.passed.is_(True)), 1), else_=0)),
            func.max(case((pre, percent()))),
            func.max(case((post, percent()))),
        )
        .where(finished(), where)
        .group_by(QuizAttempt.kader_id, QuizAttempt.skill_id)
    )


INSERT_COLUMNS = ("kader_id", "skill_id", "attempts", "passed", "pre_percent", "post_percent")


def _chunks(keys: Collection[Key]) -> Iterator[list[Key]]:
    yield from batched(sorted(keys), BATCH)


def refresh_on(conn: Connection, keys: Iterable[Key]) -> None:
    """Recompute the summary rows of these (kader, skill) pairs from their attempts."""
    wanted = set(keys)
    for chunk in _chunks(wanted):
        table = KaderSkillQuiz.__table__
        conn.execute(delete(table).where(tuple_(table.c.kader_id, table.c.skill_id).in_(chunk)))
        rows = summary_select(tuple_(QuizAttempt.kader_id, QuizAttempt.skill_id).in_(chunk))
        conn.execute(insert(table).from_select(INSERT_COLUMNS, rows))


def _changed_keys(session: Session) -> set[Key]:
    keys: set[Key] = set()
    for obj in (*session.new, *session.deleted):
        # an unfinished attempt (one just started) is in no summary
        if isinstance(obj, QuizAttempt) and obj.submitted_at is not None and obj.passed is not None:
            keys.add((obj.kader_id, obj.skill_id))
    for obj in session.dirty:
        if not isinstance(obj, QuizAttempt):
            continue
        histories = {name: attributes.get_history(obj, name) for name in SUMMARISED}
        if not any(h.has_changes() for h in histories.values()):
            continue
        keys.add((obj.kader_id, obj.skill_id))
        # moved to another kader or skill: the old pair loses the attempt
        old_kader = (histories["kader_id"].deleted or [obj.kader_id])[0]
        old_skill = (histories["skill_id"].deleted or [obj.skill_id])[0]
        keys.add((old_kader, old_skill))
    return {k for k in keys if None not in k}


def _keys_before_statement(state: ORMExecuteState) -> set[Key] | None:
    """An UPDATE or DELETE of attempts through the session (how an attempt is finished)."""
    rows = rows_before(state, QuizAttempt, QuizAttempt.kader_id, QuizAttempt.skill_id)
    return None if rows is None else {(kader, skill) for kader, skill in rows}


SUMMARY = KeptSummary("kader_skill_quiz.pending", _changed_keys, _keys_before_statement, refresh_on)
