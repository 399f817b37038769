"""Curriculum services for kader: recording that a skill's material was opened."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.curriculum.models import MaterialView
from app.extensions import db


def record_material_view(kader_id: int, skill_id: int) -> bool:
    """Remember the first time a kader opened the material; True when this is the first time."""
    exists = db.session.scalar(
        select(MaterialView.id).where(MaterialView.kader_id == kader_id, MaterialView.skill_id == skill_id)
    )
    if exists:
        return False
    try:
        with db.session.begin_nested():  # two tabs opening at once: the unique key decides
            db.session.add(MaterialView(kader_id=kader_id, skill_id=skill_id))
    except IntegrityError:
        return False
    return True
