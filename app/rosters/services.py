"""Roster services: kader records, Posyandu, Puskesmas, Pustu and wilayah, all audited.

Membership changes (join, leave, move) are in `membership`. Services check before they
write and flush; the request (or the CLI command) commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from app.core import audit
from app.extensions import db
from app.rosters.models import Kader, Posyandu, Puskesmas, Pustu, Wilayah, kabupaten_of

KADER_FIELDS = ("nik", "name", "sex", "birth_date", "phone", "education", "start_year")


class RosterError(ValueError):
    """A roster change that cannot be made; `code` selects the translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def kader_snapshot(kader: Kader) -> dict[str, Any]:
    return {f: getattr(kader, f) for f in KADER_FIELDS}


def create_kader(values: dict[str, Any], kabupaten_code: str, *, user_id: int | None) -> Kader:
    return create_kaders([values], kabupaten_code, user_id=user_id)[0]


def create_kaders(rows: Sequence[dict[str, Any]], kabupaten_code: str, *, user_id: int | None) -> list[Kader]:
    """New kader records (values already checked by `kader_rules`), one flush for any number."""
    kaders = [Kader(kabupaten_code=kabupaten_code, **{f: v.get(f) for f in KADER_FIELDS}) for v in rows]
    db.session.add_all(kaders)
    db.session.flush()
    for kader in kaders:
        audit.record(
            "kader.created",
            "kader",
            kader.id,
            user_id=user_id,
            kabupaten_code=kabupaten_code,
            after=kader_snapshot(kader),
        )
    return kaders


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
