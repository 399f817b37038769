"""Master-data pages: Posyandu (list, detail with its roster, edit), Puskesmas and Pustu,
wilayah. Dinkes keeps its own kabupaten; a fasilitator reads lists and details."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response
from wtforms.fields.choices import SelectChoice

from app.core.exports import FORMATS, send_table
from app.core.pagination import paginate
from app.core.scope import current_actor, get_scoped_or_404
from app.rosters import queries
from app.rosters.export import (
    POSYANDU_HEADER,
    ROSTER_EXPORT_HEADER,
    facilities_table,
    posyandu_table,
    roster_export_rows,
    wilayah_table,
)
from app.rosters.forms import PosyanduForm, PuskesmasForm, PustuForm, RenameForm, WilayahForm
from app.rosters.models import Posyandu, Puskesmas, Pustu
from app.rosters.nik import mask_nik
from app.rosters.policies import sees_full_nik
from app.rosters.services import (
    RosterError,
    add_wilayah,
    rename_wilayah,
    save_posyandu,
    save_puskesmas,
    save_pustu,
)
from app.rosters.view_support import own_kabupaten, roster_messages


def posyandu_list_view() -> str | Response:
    actor = current_actor()
    q = request.args.get("q", "").strip()[:100]
    fmt = request.args.get("format")
    if fmt in FORMATS:
        items = [row[0] for row in queries.all_rows(queries.posyandu_list(actor, q))]
        rows = posyandu_table(list(items), queries.active_member_counts([p.id for p in items]))
        return send_table(POSYANDU_HEADER, rows, fmt, "posyandu", "Posyandu")
    page = paginate(queries.posyandu_list(actor, q), request.args.get("page", 1, type=int))
    counts = queries.active_member_counts([p.id for p in page.items])
    return render_template("rosters/posyandu_list.html", page=page, q=q, counts=counts)


def posyandu_detail(posyandu_id: int) -> str | Response:
    actor = current_actor()
    posyandu = get_scoped_or_404(Posyandu, posyandu_id, actor)
    fmt = request.args.get("format")
    if fmt in FORMATS:
        rows = roster_export_rows(posyandu.kabupaten_code, posyandu_id=posyandu.id)
        if not sees_full_nik(actor):
            rows = ((mask_nik(nik), *rest) for nik, *rest in rows)
        return send_table(ROSTER_EXPORT_HEADER, list(rows), fmt, f"kader-{posyandu.code}", "Kader")
    return render_template(
        "rosters/posyandu_detail.html", posyandu=posyandu, roster=queries.current_roster(posyandu.id)
    )


def _desa_choices(kabupaten: str) -> list[SelectChoice]:
    return [SelectChoice(d.code, f"{d.name} ({d.code})") for d in queries.wilayah_of(kabupaten, "desa")]


def _puskesmas_choices(kabupaten: str) -> list[SelectChoice]:
    return [SelectChoice(p.id, p.name) for p in queries.puskesmas_of(kabupaten)]


def posyandu_new() -> str | Response | tuple[str, int]:
    return _posyandu_edit(None)


def posyandu_edit(posyandu_id: int) -> str | Response | tuple[str, int]:
    return _posyandu_edit(get_scoped_or_404(Posyandu, posyandu_id, current_actor()))


def _posyandu_edit(posyandu: Posyandu | None) -> str | Response | tuple[str, int]:
    kabupaten = own_kabupaten()
    form = PosyanduForm(obj=posyandu)
    form.desa_code.choices = _desa_choices(kabupaten)
    form.puskesmas_id.choices = _puskesmas_choices(kabupaten)
    error = None
    if form.validate_on_submit():
        values = {
            f: getattr(form, f).data
            for f in ("code", "name", "desa_code", "dusun_rw", "puskesmas_id", "active")
        }
        values["dusun_rw"] = values["dusun_rw"] or None
        try:
            saved = save_posyandu(posyandu, values, kabupaten, user_id=current_actor().user_id)
        except RosterError as exc:
            error = roster_messages()[exc.code]
        else:
            flash(_("Posyandu disimpan."), "success")
            return redirect(url_for(".posyandu_detail", posyandu_id=saved.id))
    return render_template(
        "rosters/simple_form.html",
        form=form,
        error=error,
        title=_("Ubah Posyandu") if posyandu else _("Posyandu baru"),
    ), (400 if error or form.errors else 200)


def puskesmas_list() -> str | Response:
    rows, pustu = queries.facilities(current_actor())
    fmt = request.args.get("format")
    if fmt in FORMATS:
        header, table = facilities_table(rows, pustu)
        return send_table(header, table, fmt, "puskesmas-pustu", "Puskesmas dan Pustu")
    return render_template("rosters/puskesmas_list.html", rows=rows, pustu=pustu)


def puskesmas_new() -> str | Response | tuple[str, int]:
    return _puskesmas_edit(None)


def puskesmas_edit(puskesmas_id: int) -> str | Response | tuple[str, int]:
    return _puskesmas_edit(get_scoped_or_404(Puskesmas, puskesmas_id, current_actor()))


def _puskesmas_edit(puskesmas: Puskesmas | None) -> str | Response | tuple[str, int]:
    kabupaten = own_kabupaten()
    form = PuskesmasForm(obj=puskesmas)
    form.kecamatan_code.choices = [
        SelectChoice(k.code, k.name) for k in queries.district_kecamatan(kabupaten)
    ]
    form.desa_codes.choices = _desa_choices(kabupaten)
    if request.method == "GET" and puskesmas:
        form.desa_codes.data = [d.code for d in puskesmas.desa_served]
    error = None
    if form.validate_on_submit():
        desa = queries.wilayah(form.desa_codes.data or [])
        values = {"code": form.code.data, "name": form.name.data, "kecamatan_code": form.kecamatan_code.data}
        try:
            save_puskesmas(puskesmas, values, desa, kabupaten, user_id=current_actor().user_id)
        except RosterError as exc:
            error = roster_messages()[exc.code]
        else:
            flash(_("Puskesmas disimpan."), "success")
            return redirect(url_for(".puskesmas_list"))
    return render_template(
        "rosters/simple_form.html",
        form=form,
        error=error,
        title=_("Ubah Puskesmas") if puskesmas else _("Puskesmas baru"),
    ), (400 if error or form.errors else 200)


def pustu_new() -> str | Response | tuple[str, int]:
    return _pustu_edit(None)


def pustu_edit(pustu_id: int) -> str | Response | tuple[str, int]:
    return _pustu_edit(get_scoped_or_404(Pustu, pustu_id, current_actor()))


def _pustu_edit(pustu: Pustu | None) -> str | Response | tuple[str, int]:
    kabupaten = own_kabupaten()
    form = PustuForm(obj=pustu)
    form.desa_code.choices = _desa_choices(kabupaten)
    form.puskesmas_id.choices = _puskesmas_choices(kabupaten)
    if form.validate_on_submit():
        values = {
            "name": form.name.data,
            "desa_code": form.desa_code.data,
            "puskesmas_id": form.puskesmas_id.data,
        }
        save_pustu(pustu, values, kabupaten, user_id=current_actor().user_id)
        flash(_("Pustu disimpan."), "success")
        return redirect(url_for(".puskesmas_list"))
    return render_template(
        "rosters/simple_form.html", form=form, error=None, title=_("Ubah Pustu") if pustu else _("Pustu baru")
    ), (400 if form.errors else 200)


def _save_wilayah(add_form: WilayahForm, rename_form: RenameForm, user_id: int | None) -> str | None:
    """The add or rename the page posted; the error shown, or None when saved."""
    try:
        if request.form.get("action") == "add" and add_form.validate_on_submit():
            parent = queries.wilayah_by_code(add_form.parent_code.data)
            add_wilayah(parent, add_form.suffix.data, add_form.name.data, user_id=user_id)
        elif request.form.get("action") == "rename" and rename_form.validate_on_submit():
            area = queries.wilayah_by_code(rename_form.code.data)
            rename_wilayah(area, rename_form.name.data, user_id=user_id)
        else:
            return _("Lengkapi formulir dengan benar.")
    except RosterError as exc:
        return roster_messages()[exc.code]
    return None


def wilayah_page() -> str | Response | tuple[str, int]:
    actor = current_actor()
    kabupaten = actor.kabupaten_code or ""
    areas = queries.wilayah_of(kabupaten)
    parent = queries.wilayah_by_code(kabupaten)
    fmt = request.args.get("format")
    if request.method == "GET" and fmt in FORMATS:
        header, table = wilayah_table(areas)
        return send_table(header, table, fmt, f"wilayah-{kabupaten.replace('.', '')}", "Wilayah")
    add_form, rename_form = WilayahForm(prefix="add"), RenameForm(prefix="rename")
    add_form.parent_code.choices = ([SelectChoice(parent.code, parent.name)] if parent else []) + [
        SelectChoice(a.code, a.name) for a in areas if a.level == "kecamatan"
    ]
    rename_form.code.choices = [SelectChoice(a.code, f"{a.name} ({a.code})") for a in areas]
    error = None
    if request.method == "POST":
        if actor.role != "dinkes":
            abort(403)
        error = _save_wilayah(add_form, rename_form, actor.user_id)
        if error is None:
            flash(_("Wilayah disimpan."), "success")
            return redirect(url_for(".wilayah_page"))
    return render_template(
        "rosters/wilayah.html",
        areas=areas,
        parent=parent,
        add_form=add_form,
        rename_form=rename_form,
        error=error,
        can_edit=actor.role == "dinkes",
    ), (400 if error else 200)
