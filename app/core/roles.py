"""Roles and the actor a request runs as. Pure: no flask, no sqlalchemy."""

from __future__ import annotations

from dataclasses import dataclass

STAFF_ROLES = frozenset({"admin", "dinkes", "fasilitator"})


@dataclass(frozen=True)
class Actor:
    """Who is acting and over which area; policies and scope filters read only this."""

    user_id: int
    role: str
    kabupaten_code: str | None = None
    puskesmas_id: int | None = None
    kader_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def can_see_kabupaten(actor: Actor, kabupaten_code: str) -> bool:
    if actor.role == "admin":
        return True
    return actor.role in ("dinkes", "fasilitator") and actor.kabupaten_code == kabupaten_code


def can_see_posyandu(actor: Actor, kabupaten_code: str, puskesmas_id: int) -> bool:
    """Dinkes: own kabupaten; fasilitator: own Puskesmas area; admin: all."""
    if actor.role == "admin":
        return True
    if actor.role == "dinkes":
        return actor.kabupaten_code == kabupaten_code
    if actor.role == "fasilitator":
        return actor.puskesmas_id == puskesmas_id
    return False


def can_edit_master_data(actor: Actor, kabupaten_code: str) -> bool:
    """Only dinkes of the district (and admin) keep master data; fasilitator reads."""
    return actor.role == "admin" or (actor.role == "dinkes" and actor.kabupaten_code == kabupaten_code)
