"""The roster blueprint: every URL, its methods and who may use it, in one table.

Handlers live in `kader_views` (kader, membership) and `master_views` (Posyandu, Puskesmas,
Pustu, wilayah); reads in `queries`, writes in `services` and `membership`. The request
commits (app.core.transactions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from app.core.decorators import role_required, staff_required
from app.rosters import kader_views as kader
from app.rosters import master_views as master

bp = Blueprint("rosters", __name__)

STAFF = staff_required
DINKES = role_required("dinkes")
GET_POST = ("GET", "POST")
POST = ("POST",)

ROUTES: tuple[tuple[str, Callable[..., Any], Callable[..., Any], tuple[str, ...]], ...] = (
    ("/posyandu/", master.posyandu_list_view, STAFF, ("GET",)),
    ("/posyandu/<int:posyandu_id>", master.posyandu_detail, STAFF, ("GET",)),
    ("/posyandu/baru", master.posyandu_new, DINKES, GET_POST),
    ("/posyandu/<int:posyandu_id>/ubah", master.posyandu_edit, DINKES, GET_POST),
    ("/kader/", kader.kader_list, STAFF, ("GET",)),
    ("/kader/<int:kader_id>", kader.kader_detail, STAFF, ("GET",)),
    ("/kader/baru", kader.kader_new, DINKES, GET_POST),
    ("/kader/<int:kader_id>/ubah", kader.kader_edit, DINKES, GET_POST),
    ("/kader/<int:kader_id>/keanggotaan", kader.membership_change, DINKES, POST),
    ("/kader/<int:kader_id>/keluar", kader.membership_leave, DINKES, POST),
    ("/puskesmas/", master.puskesmas_list, STAFF, ("GET",)),
    ("/puskesmas/baru", master.puskesmas_new, DINKES, GET_POST),
    ("/puskesmas/<int:puskesmas_id>/ubah", master.puskesmas_edit, DINKES, GET_POST),
    ("/pustu/baru", master.pustu_new, DINKES, GET_POST),
    ("/pustu/<int:pustu_id>/ubah", master.pustu_edit, DINKES, GET_POST),
    ("/wilayah/", master.wilayah_page, STAFF, GET_POST),
)

for rule, view, guard, methods in ROUTES:
    bp.add_url_rule(rule, view_func=guard(view), methods=list(methods))
