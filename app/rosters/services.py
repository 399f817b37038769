"""Roster services: kader records and roster membership (join, move, leave), all audited.

Memberships are history: a move or a departure closes the open row with an end date and,
for a move, opens a new one. Nothing is overwritten. Services flush; the view commits.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.core import audit
from app.extensions import db
from app.rosters.models import (
    ROSTER_ROLES,
    Kader,
    Posyandu,
    Puskesmas,
    Pustu,
    RosterMembership,
    Wilayah,
    kabupaten_of,
)

KADER_FIELDS = ("nik", "name", "sex", "birth_date", "phone", "education", "start_year")


class RosterError(ValueError):
    """A roster change that cannot be made; `code` selects the translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def kader_snapshot(kader: Kader) -> dict[str, Any]:
    return {f: getattr(kader, f) for f in KADER_FIELDS}


def create_kader(values: dict[str, Any], kabupaten_code: str, *, user_id: int | None) -> Kader:
    kader = Kader(kabupaten_code=kabupaten_code, **{f: values.get(f) for f in KADER_FIELDS})
    db.session.add(kader)
    db.session.flush()
    audit.record(
        "kader.created",
        "kader",
        kader.id,
        user_id=user_id,
        kabupaten_code=kabupaten_code,
        after=kader_snapshot(kader),
    )
    return kader


def update_kader(kader: Kader, values: dict[str, Any], *, user_id: int | None) -> dict[str, tuple[Any, Any]]:
    """Apply changed fields only; returns {field: (old, new)} (empty when nothing changed)."""
    changes = {
        f: (getattr(kader, f), values[f])
        for f in KADER_FIELDS
        if f in values and getattr(kader, f) != values[f]
    }
    if not changes:
        return {}
    for f, (_old, new) in changes.items():
        setattr(kader, f, new)
    db.session.flush()
    audit.record(
        "kader.updated",
        "kader",
        kader.id,
        user_id=user_id,
        kabupaten_code=kader.kabupaten_code,
        before={f: old for f, (old, _new) in changes.items()},
        after={f: new for f, (_old, new) in changes.items()},
    )
    return changes


def open_membership(kader_id: int) -> RosterMembership | None:
    return db.session.scalar(
        select(RosterMembership).where(
            RosterMembership.kader_id == kader_id, RosterMembership.end_date.is_(None)
        )
    )


def _check_role(role: str) -> None:
    if role not in ROSTER_ROLES:
        raise RosterError("role_unknown")


def join(
    kader: Kader, posyandu: Posyandu, role: str, start: date, *, user_id: int | None
) -> RosterMembership:
    _check_role(role)
    if posyandu.kabupaten_code != kader.kabupaten_code:
        raise RosterError("posyandu_other_kabupaten")
    if open_membership(kader.id) is not None:
        raise RosterError("already_member")
    last_end = db.session.scalar(
        select(RosterMembership.end_date)
        .where(RosterMembership.kader_id == kader.id)
        .order_by(RosterMembership.end_date.desc())
        .limit(1)
    )
    if last_end is not None and start <= last_end:
        raise RosterError("start_before_previous_end")
    membership = RosterMembership(kader_id=kader.id, posyandu_id=posyandu.id, role=role, start_date=start)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "roster.joined",
        "kader",
        kader.id,
        user_id=user_id,
        kabupaten_code=kader.kabupaten_code,
        after={"posyandu_id": posyandu.id, "role": role, "start_date": start},
    )
    return membership


def leave(kader: Kader, end: date, reason: str | None, *, user_id: int | None) -> RosterMembership:
    current = open_membership(kader.id)
    if current is None:
        raise RosterError("not_member")
    if end < current.start_date:
        raise RosterError("end_before_start")
    current.end_date = end
    current.end_reason = reason or None
    db.session.flush()
    audit.record(
        "roster.left",
        "kader",
        kader.id,
        user_id=user_id,
        kabupaten_code=kader.kabupaten_code,
        before={"posyandu_id": current.posyandu_id, "role": current.role},
        after={"end_date": end, "reason": reason},
    )
    return current


def move(
    kader: Kader, posyandu: Posyandu, role: str, start: date, reason: str | None, *, user_id: int | None
) -> RosterMembership:
    """Close the open membership the day before `start` and open one at the new Posyandu
    (or with the new role at the same Posyandu)."""
    _check_role(role)
    current = open_membership(kader.id)
    if current is None:
        raise RosterError("not_member")
    if current.posyandu_id == posyandu.id and current.role == role:
        raise RosterError("nothing_to_change")
    if start <= current.start_date:
        raise RosterError("start_before_previous_end")
    leave(kader, start - timedelta(days=1), reason, user_id=user_id)
    return join(kader, posyandu, role, start, user_id=user_id)


def _audit_change(
    action: str,
    obj_type: str,
    obj_id: object,
    kabupaten_code: str,
    before: dict | None,
    after: dict,
    user_id: int | None,
) -> None:
    audit.record(
        action, obj_type, obj_id, user_id=user_id, kabupaten_code=kabupaten_code, before=before, after=after
    )


def _require_unique_code(model: type[Posyandu] | type[Puskesmas], code: str, own: Any) -> None:
    """Codes are unique across the country; saving a record under its own code is fine."""
    if db.session.scalar(select(model.id).where(model.code == code, model.id != (own.id if own else -1))):
        raise RosterError("code_taken")


def save_posyandu(
    posyandu: Posyandu | None, values: dict[str, Any], kabupaten_code: str, *, user_id: int | None
) -> Posyandu:
    """Create or update; the caller has checked that desa and Puskesmas are in the district."""
    _require_unique_code(Posyandu, values["code"], posyandu)
    before = None
    if posyandu is None:
        posyandu = Posyandu(kabupaten_code=kabupaten_code)
        db.session.add(posyandu)
    else:
        before = {k: getattr(posyandu, k) for k in values}
    for key, value in values.items():
        setattr(posyandu, key, value)
    db.session.flush()
    _audit_change("posyandu.saved", "posyandu", posyandu.id, kabupaten_code, before, values, user_id)
    return posyandu


def save_puskesmas(
    puskesmas: Puskesmas | None,
    values: dict[str, Any],
    desa: list[Wilayah],
    kabupaten_code: str,
    *,
    user_id: int | None,
) -> Puskesmas:
    _require_unique_code(Puskesmas, values["code"], puskesmas)
    before = None
    if puskesmas is None:
        puskesmas = Puskesmas(kabupaten_code=kabupaten_code)
        db.session.add(puskesmas)
    else:
        before = {
            **{k: getattr(puskesmas, k) for k in values},
            "desa": [d.code for d in puskesmas.desa_served],
        }
    for key, value in values.items():
        setattr(puskesmas, key, value)
    puskesmas.desa_served = desa
    db.session.flush()
    _audit_change(
        "puskesmas.saved",
        "puskesmas",
        puskesmas.id,
        kabupaten_code,
        before,
        {**values, "desa": [d.code for d in desa]},
        user_id,
    )
    return puskesmas


def save_pustu(
    pustu: Pustu | None, values: dict[str, Any], kabupaten_code: str, *, user_id: int | None
) -> Pustu:
    before = {k: getattr(pustu, k) for k in values} if pustu else None
    if pustu is None:
        pustu = Pustu()
        db.session.add(pustu)
    for key, value in values.items():
        setattr(pustu, key, value)
    db.session.flush()
    _audit_change("pustu.saved", "pustu", pustu.id, kabupaten_code, before, values, user_id)
    return pustu


def add_wilayah(parent: Wilayah, suffix: str, name: str, *, user_id: int | None) -> Wilayah:
    level = {"kabupaten": "kecamatan", "kecamatan": "desa"}.get(parent.level)
    if level is None or (level == "kecamatan") != (len(suffix) == 2):
        raise RosterError("wilayah_code_shape")
    code = f"{parent.code}.{suffix}"
    if db.session.get(Wilayah, code) is not None:
        raise RosterError("code_taken")
    area = Wilayah(code=code, name=name, level=level, parent_code=parent.code)
    db.session.add(area)
    db.session.flush()
    _audit_change("wilayah.added", "wilayah", code, kabupaten_of(code), None, {"name": name}, user_id)
    return area


def rename_wilayah(area: Wilayah, name: str, *, user_id: int | None) -> None:
    before = {"name": area.name}
    area.name = name
    db.session.flush()
    _audit_change(
        "wilayah.renamed", "wilayah", area.code, kabupaten_of(area.code), before, {"name": name}, user_id
    )
