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


def can_edit_master_data(actor: Actor, kabupaten_code: str) -> bool:
    """Only dinkes of the district (and admin) keep master data; fasilitator reads."""
    return actor.role == "admin" or (actor.role == "dinkes" and actor.kabupaten_code == kabupaten_code)
