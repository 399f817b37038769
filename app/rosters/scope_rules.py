"""How roster objects are restricted to an actor's area (registered with core.scope)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select

from app.core.roles import Actor
from app.core.scope import register_scope
from app.rosters.models import Kader, Posyandu, Puskesmas, Pustu, RosterImport, RosterMembership


def _current_kader_ids_of_puskesmas(puskesmas_id: int):  # type: ignore[no-untyped-def]
    return (
        select(RosterMembership.kader_id)
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .where(RosterMembership.end_date.is_(None), Posyandu.puskesmas_id == puskesmas_id)
    )


@register_scope(Posyandu)
def _posyandu(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "dinkes":
        return Posyandu.kabupaten_code == actor.kabupaten_code
    if actor.role == "fasilitator":
        return Posyandu.puskesmas_id == actor.puskesmas_id
    if actor.role == "kader":
        return Posyandu.id.in_(
            select(RosterMembership.posyandu_id).where(
                RosterMembership.kader_id == actor.kader_id, RosterMembership.end_date.is_(None)
            )
        )
    return false()


@register_scope(Kader)
def _kader(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "dinkes":
        return Kader.kabupaten_code == actor.kabupaten_code
    if actor.role == "fasilitator" and actor.puskesmas_id is not None:
        return Kader.id.in_(_current_kader_ids_of_puskesmas(actor.puskesmas_id))
    if actor.role == "kader":
        return Kader.id == actor.kader_id
    return false()


@register_scope(Puskesmas)
def _puskesmas(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "dinkes":
        return Puskesmas.kabupaten_code == actor.kabupaten_code
    if actor.role == "fasilitator":
        return Puskesmas.id == actor.puskesmas_id
    return false()


@register_scope(Pustu)
def _pustu(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "dinkes":
        return Pustu.puskesmas_id.in_(
            select(Puskesmas.id).where(Puskesmas.kabupaten_code == actor.kabupaten_code)
        )
    if actor.role == "fasilitator":
        return Pustu.puskesmas_id == actor.puskesmas_id
    return false()


@register_scope(RosterImport)
def _roster_import(actor: Actor) -> ColumnElement[bool]:
    if actor.role == "dinkes":
        return RosterImport.kabupaten_code == actor.kabupaten_code
    return false()
