"""Certificates are scoped like their kader's district; kader see their own."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false

from app.certificates.models import Certificate
from app.core.roles import Actor
from app.core.scope import register_scope


@register_scope(Certificate)
def _certificate(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "dinkes":
        return Certificate.kabupaten_code == actor.kabupaten_code
    if actor.role == "kader":
        return Certificate.kader_id == actor.kader_id
    return false()
