"""A job belongs to its district: dinkes of that district sees it, nobody else does."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false

from app.core.roles import Actor
from app.core.scope import register_scope
from app.jobs.models import Job


@register_scope(Job)
def _job(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "dinkes" and actor.kabupaten_code:
        return Job.kabupaten_code == actor.kabupaten_code
    return false()
