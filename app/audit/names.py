"""Names for the objects an audit page mentions, fetched in one query per kind (no N+1)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.certificates.models import Certificate
from app.core.audit import AuditLog
from app.curriculum.models import Skill
from app.extensions import db
from app.practicals.models import PracticalResult
from app.rosters.models import Kader, Posyandu


def _ints(values: Iterable[Any]) -> set[int]:
    found = set()
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool):
            found.add(v)
        elif isinstance(v, str) and v.isascii() and v.isdigit() and len(v) < 10:
            found.add(int(v))
    return found


@dataclass
class Names:
    users: dict[int, str] = field(default_factory=dict)
    kader: dict[int, str] = field(default_factory=dict)
    posyandu: dict[int, str] = field(default_factory=dict)
    skills: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # id -> code, title id/en
    certificates: dict[int, str] = field(default_factory=dict)  # id -> number
    practicals: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # -> kader, skill, session


def _of(entries: list[AuditLog], object_type: str) -> set[int]:
    return _ints(e.object_id for e in entries if e.object_type == object_type)


def _after(entries: list[AuditLog], key: str) -> set[int]:
    return _ints((e.after or {}).get(key) for e in entries) | _ints(
        (e.before or {}).get(key) for e in entries
    )


def load_names(entries: list[AuditLog]) -> Names:
    names = Names()
    practicals = _of(entries, "practical_result")
    if practicals:
        rows = db.session.execute(
            select(
                PracticalResult.id,
                PracticalResult.kader_id,
                PracticalResult.skill_id,
                PracticalResult.session_id,
            ).where(PracticalResult.id.in_(practicals))
        )
        names.practicals = {r.id: (r.kader_id, r.skill_id, r.session_id) for r in rows}
    kader_ids = (
        _of(entries, "kader") | _after(entries, "kader_id") | {k for k, _, _ in names.practicals.values()}
    )
    skill_ids = _after(entries, "skill_id") | {s for _, s, _ in names.practicals.values()}
    certificates = _of(entries, "certificate")
    users = _ints(e.user_id for e in entries) | _of(entries, "user")
    if users:
        names.users = dict(
            db.session.execute(select(User.id, User.full_name).where(User.id.in_(users))).all()
        )
    if certificates:
        for cert_id, number, kader_id in db.session.execute(
            select(Certificate.id, Certificate.number, Certificate.kader_id).where(
                Certificate.id.in_(certificates)
            )
        ):
            names.certificates[cert_id] = number
            kader_ids.add(kader_id)
    if kader_ids:
        names.kader = dict(
            db.session.execute(select(Kader.id, Kader.name).where(Kader.id.in_(kader_ids))).all()
        )
    posyandu = _after(entries, "posyandu_id")
    if posyandu:
        names.posyandu = dict(
            db.session.execute(select(Posyandu.id, Posyandu.name).where(Posyandu.id.in_(posyandu))).all()
        )
    if skill_ids:
        names.skills = {
            r.id: (r.code, r.title_id, r.title_en)
            for r in db.session.execute(
                select(Skill.id, Skill.code, Skill.title_id, Skill.title_en).where(Skill.id.in_(skill_ids))
            )
        }
    return names
