"""The one scoping helper: every query that returns area-bound rows goes through here.

Each model registers, once, how to restrict it to an actor's area: the domains' `scope_rules`
modules do, imported by `create_app` (`_register_scope_rules`), so every entry point (page,
CLI, job) is scoped. Views then call `scoped_select(Model, actor)` for lists and
`get_scoped_or_404(Model, id, actor)` for single objects; an object outside the actor's area
is "not found" (404), never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, false, select, true

from app.core.roles import Actor
from app.extensions import db

T = TypeVar("T")
ScopeRule = Callable[[Actor], ColumnElement[bool]]
_RULES: dict[type, ScopeRule] = {}


def register_scope(model: type) -> Callable[[ScopeRule], ScopeRule]:
    def decorate(rule: ScopeRule) -> ScopeRule:
        _RULES[model] = rule
        return rule

    return decorate


def has_scope_rule(model: type) -> bool:
    return model in _RULES


def scope_clause(model: type, actor: Actor) -> ColumnElement[bool]:
    if actor.role == "admin":
        return true()
    rule = _RULES.get(model)
    if rule is None:  # an unregistered model must not leak: deny rather than allow
        return false()
    return rule(actor)


def scoped_select(model: type[T], actor: Actor, *extra: Any) -> Select[tuple[T]]:
    return select(model).where(scope_clause(model, actor), *extra)


def get_scoped_or_404(model: type[T], pk: Any, actor: Actor) -> T:
    mapper_pk = model.__mapper__.primary_key[0]  # type: ignore[attr-defined]
    obj = db.session.scalar(scoped_select(model, actor, mapper_pk == pk))
    if obj is None:
        abort(404)
    return obj


def current_actor() -> Actor:
    if not current_user.is_authenticated:
        abort(401)
    return current_user.actor
