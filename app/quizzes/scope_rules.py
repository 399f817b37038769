"""Quiz attempts are scoped through their kader: a kader sees own attempts only."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from app.core.roles import Actor
from app.core.scope import register_scope, scope_clause
from app.quizzes.models import QuizAttempt
from app.rosters.models import Kader


@register_scope(QuizAttempt)
def _attempt(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "kader":
        return QuizAttempt.kader_id == actor.kader_id
    return QuizAttempt.kader_id.in_(select(Kader.id).where(scope_clause(Kader, actor)))
