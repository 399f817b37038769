"""Wilayah, Puskesmas, Pustu and Posyandu, as the token's user may see them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select, true

from app.api.auth import require_roles
from app.api.paging import decode_code_cursor, decode_int_cursor, envelope, keyset_page, since
from app.api.registry import list_of, load_query, operation
from app.api.schemas import (
    PosyanduSchema,
    PuskesmasSchema,
    PustuSchema,
    SyncQuery,
    WilayahQuery,
    WilayahSchema,
)
from app.core.roles import STAFF_ROLES, Actor
from app.core.scope import get_scoped_or_404, scoped_select
from app.rosters.models import Posyandu, Puskesmas, Pustu, Wilayah

STAFF = tuple(sorted(STAFF_ROLES))


def _wilayah_scope(actor: Actor) -> ColumnElement[bool]:
    """Admin: the country; dinkes and fasilitator: their own kabupaten and what lies in it."""
    if actor.role == "admin":
        return true()
    own = actor.kabupaten_code or "-"
    return or_(Wilayah.code == own, Wilayah.code.like(f"{own}.%"))


# The response schemas serialise the models: one definition for the answer and its documentation.
wilayah_json = WilayahSchema().dump
puskesmas_json = PuskesmasSchema().dump
pustu_json = PustuSchema().dump
posyandu_json = PosyanduSchema().dump


@operation(
    "/wilayah",
    "GET",
    "List wilayah",
    tag="areas",
    roles=STAFF,
    query=WilayahQuery,
    response=list_of(WilayahSchema),
)
def list_wilayah() -> dict[str, Any]:
    """Kemendagri areas (provinsi, kabupaten, kecamatan, desa) in the token's area, by code."""
    actor = require_roles(*STAFF)
    args = load_query(WilayahQuery)
    stmt = select(Wilayah).where(_wilayah_scope(actor))
    if "level" in args:
        stmt = stmt.where(Wilayah.level == args["level"])
    if "parent" in args:
        stmt = stmt.where(Wilayah.parent_code == args["parent"])
    rows, last = keyset_page(stmt, Wilayah.code, decode_code_cursor(args.get("cursor")), args["limit"])
    return envelope(rows, last, wilayah_json, lambda w: w.code)


def _synced_list(model: type, to_json: Any) -> dict[str, Any]:
    actor = require_roles(*STAFF)
    args = load_query(SyncQuery)
    stmt = scoped_select(model, actor)
    moment = since(args.get("updated_since"))
    if moment is not None:
        stmt = stmt.where(model.updated_at > moment)  # type: ignore[attr-defined]
    rows, last = keyset_page(stmt, model.id, decode_int_cursor(args.get("cursor")), args["limit"])  # type: ignore[attr-defined]
    return envelope(rows, last, to_json, lambda o: o.id)


@operation(
    "/puskesmas",
    "GET",
    "List Puskesmas",
    tag="areas",
    roles=STAFF,
    query=SyncQuery,
    response=list_of(PuskesmasSchema),
)
def list_puskesmas() -> dict[str, Any]:
    """Puskesmas of the token's kabupaten (a fasilitator: their own)."""
    return _synced_list(Puskesmas, puskesmas_json)


@operation(
    "/puskesmas/<int:puskesmas_id>",
    "GET",
    "One Puskesmas",
    tag="areas",
    roles=STAFF,
    response=PuskesmasSchema,
)
def get_puskesmas(puskesmas_id: int) -> dict[str, Any]:
    """404 when it is outside the token's area."""
    return puskesmas_json(get_scoped_or_404(Puskesmas, puskesmas_id, require_roles(*STAFF)))


@operation(
    "/pustu", "GET", "List Pustu", tag="areas", roles=STAFF, query=SyncQuery, response=list_of(PustuSchema)
)
def list_pustu() -> dict[str, Any]:
    """Puskesmas Pembantu in the token's area."""
    return _synced_list(Pustu, pustu_json)


@operation("/pustu/<int:pustu_id>", "GET", "One Pustu", tag="areas", roles=STAFF, response=PustuSchema)
def get_pustu(pustu_id: int) -> dict[str, Any]:
    """404 when it is outside the token's area."""
    return pustu_json(get_scoped_or_404(Pustu, pustu_id, require_roles(*STAFF)))


@operation(
    "/posyandu",
    "GET",
    "List Posyandu",
    tag="areas",
    roles=STAFF,
    query=SyncQuery,
    response=list_of(PosyanduSchema),
)
def list_posyandu() -> dict[str, Any]:
    """Posyandu in the token's area (a fasilitator: those of their Puskesmas)."""
    return _synced_list(Posyandu, posyandu_json)


@operation(
    "/posyandu/<int:posyandu_id>", "GET", "One Posyandu", tag="areas", roles=STAFF, response=PosyanduSchema
)
def get_posyandu(posyandu_id: int) -> dict[str, Any]:
    """404 when it is outside the token's area."""
    return posyandu_json(get_scoped_or_404(Posyandu, posyandu_id, require_roles(*STAFF)))
