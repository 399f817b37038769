"""Read-only roster queries, always scoped to the actor."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.core.roles import Actor
from app.core.scope import scoped_select
from app.core.text_search import any_contains
from app.extensions import db
from app.rosters.models import Posyandu, RosterMembership, Wilayah


def posyandu_list(actor: Actor, q: str = "") -> Select[tuple[Posyandu]]:
    stmt = (
        scoped_select(Posyandu, actor)
        .join(Wilayah, Wilayah.code == Posyandu.desa_code)
        .options(selectinload(Posyandu.desa), selectinload(Posyandu.puskesmas))
        .order_by(Wilayah.name, Posyandu.name)
    )
    if q:
        stmt = stmt.where(any_contains(q, Posyandu.name, Posyandu.code, Wilayah.name))
    return stmt


def active_member_counts(posyandu_ids: list[int]) -> dict[int, int]:
    if not posyandu_ids:
        return {}
    rows = db.session.execute(
        select(RosterMembership.posyandu_id, func.count())
        .where(RosterMembership.posyandu_id.in_(posyandu_ids), RosterMembership.end_date.is_(None))
        .group_by(RosterMembership.posyandu_id)
    )
    return {pid: n for pid, n in rows}


def current_roster(posyandu_id: int) -> list[RosterMembership]:
    role_order = {"ketua": 0, "sekretaris": 1, "bendahara": 2, "anggota": 3}
    rows = db.session.scalars(
        select(RosterMembership)
        .where(RosterMembership.posyandu_id == posyandu_id, RosterMembership.end_date.is_(None))
        .options(selectinload(RosterMembership.kader))
    ).all()
    return sorted(rows, key=lambda m: (role_order.get(m.role, 9), m.kader.name))


def count_scoped(model: type, actor: Actor) -> int:
    return db.session.scalar(select(func.count()).select_from(scoped_select(model, actor).subquery())) or 0
