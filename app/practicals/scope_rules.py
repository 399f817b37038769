"""How assessment sessions and results are restricted to an actor's area."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select

from app.core.roles import Actor
from app.core.scope import register_scope
from app.practicals.models import AssessmentSession, PracticalResult


@register_scope(AssessmentSession)
def _session(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "dinkes":
        return AssessmentSession.kabupaten_code == actor.kabupaten_code
    if actor.role == "fasilitator":
        return AssessmentSession.puskesmas_id == actor.puskesmas_id
    return false()


@register_scope(PracticalResult)
def _result(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "kader":
        return PracticalResult.kader_id == actor.kader_id
    return PracticalResult.session_id.in_(select(AssessmentSession.id).where(_session(actor)))
