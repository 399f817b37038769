"""What each role's home page shows: real figures from the user's own scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.auth.models import User
from app.core.roles import Actor
from app.extensions import db
from app.rosters.models import Kader, Posyandu, Puskesmas, RosterMembership, Wilayah
from app.rosters.queries import active_member_counts, count_scoped


def home_context(actor: Actor, user: Any) -> dict[str, Any]:
    if actor.role == "admin":
        return _admin()
    if actor.role == "dinkes":
        return _dinkes(actor)
    if actor.role == "fasilitator":
        return _fasilitator(actor, user)
    return _kader(user)


def _admin() -> dict[str, Any]:
    posyandu = dict(
        db.session.execute(
            select(Posyandu.kabupaten_code, func.count()).group_by(Posyandu.kabupaten_code)
        ).all()
    )
    kader = dict(
        db.session.execute(select(Kader.kabupaten_code, func.count()).group_by(Kader.kabupaten_code)).all()
    )
    kabupaten = db.session.scalars(
        select(Wilayah).where(Wilayah.level == "kabupaten").order_by(Wilayah.code)
    ).all()
    rows = [
        {"code": k.code, "name": k.name, "posyandu": posyandu.get(k.code, 0), "kader": kader.get(k.code, 0)}
        for k in kabupaten
    ]
    users = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    return {"kabupaten_rows": rows, "user_counts": users}


def _dinkes(actor: Actor) -> dict[str, Any]:
    code = actor.kabupaten_code or ""
    kabupaten = db.session.get(Wilayah, code)
    kecamatan = db.session.scalar(
        select(func.count())
        .select_from(Wilayah)
        .where(Wilayah.level == "kecamatan", Wilayah.parent_code == code)
    )
    desa = db.session.scalar(
        select(func.count())
        .select_from(Wilayah)
        .where(Wilayah.level == "desa", Wilayah.code.like(f"{code}.%"))
    )
    active_kader = db.session.scalar(
        select(func.count(func.distinct(RosterMembership.kader_id)))
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .where(Posyandu.kabupaten_code == code, RosterMembership.end_date.is_(None))
    )
    return {
        "kabupaten": kabupaten,
        "counts": {
            "kecamatan": kecamatan or 0,
            "desa": desa or 0,
            "puskesmas": count_scoped(Puskesmas, actor),
            "posyandu": count_scoped(Posyandu, actor),
            "kader": count_scoped(Kader, actor),
            "active_kader": active_kader or 0,
        },
    }


def _fasilitator(actor: Actor, user: Any) -> dict[str, Any]:
    posyandu = db.session.scalars(
        select(Posyandu)
        .where(Posyandu.puskesmas_id == actor.puskesmas_id)
        .join(Wilayah, Wilayah.code == Posyandu.desa_code)
        .order_by(Wilayah.name, Posyandu.name)
    ).all()
    counts = active_member_counts([p.id for p in posyandu])
    return {"puskesmas": user.puskesmas, "posyandu": posyandu, "member_counts": counts}


def _kader(user: Any) -> dict[str, Any]:
    kader = user.kader
    membership = kader.current_membership if kader else None
    return {"kader": kader, "membership": membership}
