"""Roster pages: Posyandu, kader, membership history, master data (wilayah, Puskesmas, Pustu),
all scoped to the user's area; dinkes edits its own kabupaten, fasilitator reads."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, selectinload
from werkzeug import Response
from wtforms.fields.choices import SelectChoice

from app.core.decorators import role_required, staff_required
from app.core.exports import FORMATS, send_table
from app.core.local_time import local_today
from app.core.numbers import parse_id
from app.core.pagination import paginate
from app.core.roles import Actor
from app.core.scope import current_actor, get_scoped_or_404, scope_clause, scoped_select
from app.core.templating import EDUCATION_LABELS, ROLE_LABELS
from app.core.text_search import any_contains
from app.extensions import db
from app.rosters import scope_rules  # noqa: F401 - registers the scope rules
from app.rosters.export import ROSTER_EXPORT_HEADER, facilities_table, roster_export_rows, wilayah_table
from app.rosters.forms import (
    JoinForm,
    KaderForm,
    LeaveForm,
    PosyanduForm,
    PuskesmasForm,
    PustuForm,
    RenameForm,
    WilayahForm,
    kader_hints,
)
from app.rosters.models import (
    EDUCATION_LEVELS,
    ROSTER_ROLES,
    Kader,
    Posyandu,
    Puskesmas,
    Pustu,
    RosterMembership,
    Wilayah,
)
from app.rosters.nik import NikError, mask_nik, nik_mismatches, parse_nik
from app.rosters.queries import active_member_counts, current_roster, posyandu_list
from app.rosters.roster_file import normalise_phone
from app.rosters.services import (
    RosterError,
    add_wilayah,
    create_kader,
    join,
    leave,
    move,
    open_membership,
    rename_wilayah,
    save_posyandu,
    save_puskesmas,
    save_pustu,
    update_kader,
)

bp = Blueprint("rosters", __name__)


def _sees_full_nik(actor: Actor) -> bool:
    """Dinkes and admin keep the registers (exports, NIK prefix search, the edit form); a
    fasilitator sees NIKs masked everywhere. Pages show them masked to every role."""
    return actor.role in ("dinkes", "admin")


@bp.route("/posyandu/")
@staff_required
def posyandu_list_view() -> str | Response:
    actor = current_actor()
    q = request.args.get("q", "").strip()[:100]
    fmt = request.args.get("format")
    if fmt in FORMATS:
        items = db.session.scalars(posyandu_list(actor, q)).all()
        counts = active_member_counts([p.id for p in items])
        header = ("Kode", "Nama", "Desa", "Dusun/RW", "Puskesmas", "Aktif", "Kader aktif")
        rows = [
            (
                p.code,
                p.name,
                p.desa.name,
                p.dusun_rw or "",
                p.puskesmas.name,
                "ya" if p.active else "tidak",
                counts.get(p.id, 0),
            )
            for p in items
        ]
        return send_table(header, rows, fmt, "posyandu", "Posyandu")
    page = paginate(posyandu_list(actor, q), request.args.get("page", 1, type=int))
    counts = active_member_counts([p.id for p in page.items])
    return render_template("rosters/posyandu_list.html", page=page, q=q, counts=counts)


@bp.route("/posyandu/<int:posyandu_id>")
@staff_required
def posyandu_detail(posyandu_id: int) -> str | Response:
    actor = current_actor()
    posyandu = get_scoped_or_404(Posyandu, posyandu_id, actor)
    fmt = request.args.get("format")
    if fmt in FORMATS:
        rows = roster_export_rows(posyandu.kabupaten_code, posyandu_id=posyandu.id)
        if not _sees_full_nik(actor):
            rows = ((mask_nik(nik), *rest) for nik, *rest in rows)
        return send_table(ROSTER_EXPORT_HEADER, list(rows), fmt, f"kader-{posyandu.code}", "Kader")
    return render_template(
        "rosters/posyandu_detail.html", posyandu=posyandu, roster=current_roster(posyandu.id)
    )


@bp.route("/kader/<int:kader_id>")
@staff_required
def kader_detail(kader_id: int) -> str:
    kader = get_scoped_or_404(Kader, kader_id, current_actor())
    join_form, leave_form = JoinForm(), LeaveForm()
    if current_actor().role == "dinkes":
        _membership_choices(join_form, current_actor().kabupaten_code or "")
        if (current := kader.current_membership) is not None:
            # "Pindah Posyandu" starts from where the kader is now: change only what changes.
            join_form.posyandu_id.data = current.posyandu_id
            join_form.role.data = current.role
    return render_template(
        "rosters/kader_detail.html", kader=kader, join_form=join_form, leave_form=leave_form
    )


# ---- master data: dinkes keeps its own kabupaten; fasilitator reads lists and details ----


def roster_messages() -> dict[str, str]:
    return {
        "role_unknown": _("Peran tidak dikenal."),
        "posyandu_other_kabupaten": _("Posyandu itu berada di kabupaten lain."),
        "already_member": _("Kader ini sudah aktif di sebuah Posyandu: gunakan Pindah."),
        "start_before_previous_end": _("Tanggal harus setelah tanggal keanggotaan sebelumnya."),
        "not_member": _("Kader ini tidak sedang aktif di Posyandu mana pun."),
        "end_before_start": _("Tanggal keluar tidak boleh sebelum tanggal mulai."),
        "nothing_to_change": _("Posyandu dan peran sama dengan sekarang."),
        "code_taken": _("Kode itu sudah dipakai."),
        "wilayah_code_shape": _("Kecamatan memakai 2 angka dan desa 4 angka, di bawah induk yang sesuai."),
        "nik_format": _("NIK harus 16 angka."),
        "nik_area": _("Kode wilayah pada NIK tidak sah."),
        "nik_birth_date": _("Tanggal lahir yang tersandi di NIK tidak sah."),
        "nik_serial": _("Nomor urut NIK tidak boleh 0000."),
    }


def _kabupaten() -> str:
    actor = current_actor()
    if actor.role != "dinkes" or not actor.kabupaten_code:
        abort(403)
    return actor.kabupaten_code


def _kader_stmt(actor, q: str, kecamatan: str, posyandu_id: str, status: str):
    desa = aliased(Wilayah)
    stmt = (
        select(Kader, RosterMembership.role, Posyandu.name, desa.name)
        .outerjoin(
            RosterMembership, and_(RosterMembership.kader_id == Kader.id, RosterMembership.end_date.is_(None))
        )
        .outerjoin(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .outerjoin(desa, desa.code == Posyandu.desa_code)
        .where(scope_clause(Kader, actor))
    )
    if q:
        if q.isascii() and q.isdigit():
            # Prefix search would let a role that sees NIKs masked recover one digit by digit:
            # it finds a kader only by the whole 16-digit number.
            full = _sees_full_nik(actor)
            stmt = stmt.where(Kader.nik.startswith(q) if full else Kader.nik == q)
        else:
            stmt = stmt.where(any_contains(q, Kader.name, Posyandu.name, desa.name))
    if kecamatan:
        stmt = stmt.where(desa.parent_code == kecamatan)
    if (posyandu := parse_id(posyandu_id)) is not None:
        stmt = stmt.where(Posyandu.id == posyandu)
    if status == "aktif":
        stmt = stmt.where(RosterMembership.id.is_not(None))
    elif status == "tidak_aktif":
        stmt = stmt.where(RosterMembership.id.is_(None))
    return stmt.order_by(Kader.name, Kader.id)


@bp.route("/kader/")
@staff_required
def kader_list() -> str | Response:
    actor = current_actor()
    args = {k: request.args.get(k, "").strip()[:100] for k in ("q", "kecamatan", "posyandu", "status")}
    stmt = _kader_stmt(actor, args["q"], args["kecamatan"], args["posyandu"], args["status"])
    full_nik = _sees_full_nik(actor)
    fmt = request.args.get("format")
    if fmt in FORMATS:
        header = (
            "NIK",
            "Nama",
            "Jenis Kelamin",
            "Tanggal Lahir",
            "No HP",
            "Pendidikan",
            "Tahun Mulai",
            "Posyandu",
            "Desa",
            "Peran",
            "Status",
        )
        rows = [
            (
                k.nik if full_nik else mask_nik(k.nik),
                k.name,
                k.sex,
                k.birth_date,
                k.phone,
                EDUCATION_LABELS.get(k.education or "", k.education or ""),
                k.start_year,
                pname or "",
                dname or "",
                ROLE_LABELS.get(role, role) if role else "",
                "aktif" if role else "tidak aktif",
            )
            for k, role, pname, dname in db.session.execute(stmt)
        ]
        rows = [tuple(str(v) if hasattr(v, "_args") else v for v in r) for r in rows]
        return send_table(header, rows, fmt, "kader", "Kader")
    page = paginate(stmt, request.args.get("page", 1, type=int), 25, rows=True)
    kecamatan = db.session.scalars(
        select(Wilayah)
        .where(
            Wilayah.level == "kecamatan",
            Wilayah.code.in_(
                select(func.substr(Posyandu.desa_code, 1, 8)).where(scope_clause(Posyandu, actor))
            ),
        )
        .order_by(Wilayah.name)
    )
    posyandu = db.session.scalars(scoped_select(Posyandu, actor).order_by(Posyandu.name)).all()
    return render_template(
        "rosters/kader_list.html",
        page=page,
        args=args,
        hints=kader_hints([row[0] for row in page.items], local_today(actor.kabupaten_code)),
        kecamatan=list(kecamatan),
        posyandu=posyandu,
    )


def _kader_form_choices(form: KaderForm) -> None:
    form.education.choices = [SelectChoice("", "–")] + [
        SelectChoice(e, EDUCATION_LABELS[e]) for e in EDUCATION_LEVELS
    ]


def _kader_values(form: KaderForm, errors: list[str], warnings: list[str]) -> dict:
    values = {
        "name": " ".join((form.name.data or "").split()),
        "sex": form.sex.data,
        "birth_date": form.birth_date.data,
        "education": form.education.data or None,
        "start_year": form.start_year.data,
    }
    try:
        info = parse_nik(form.nik.data or "")
        values["nik"] = info.nik
        mismatch = nik_mismatches(info, values["birth_date"], values["sex"])
        if mismatch and not form.confirm_mismatch.data:
            warnings.append(
                _(
                    "Tanggal lahir atau jenis kelamin tidak sesuai dengan NIK. Periksa lagi, lalu centang "
                    "konfirmasi untuk tetap menyimpan."
                )
            )
    except NikError as exc:
        errors.append(roster_messages()[exc.code])
    phone = (form.phone.data or "").strip()
    values["phone"] = normalise_phone(phone) if phone else None
    if phone and values["phone"] is None:
        errors.append(_("Nomor HP tidak sah: tulis seperti 081234567890."))
    born = values["birth_date"]
    if born:
        age = (date.today() - born).days // 365
        if not 15 <= age <= 100:
            errors.append(_("Tanggal lahir tidak masuk akal: umur %(age)d tahun.", age=age))
    year = values["start_year"]
    if year and (year > date.today().year or (born and year < born.year + 10)):
        errors.append(_("Tahun mulai tidak masuk akal."))
    return values


@bp.route("/kader/baru", methods=["GET", "POST"])
@role_required("dinkes")
def kader_new() -> str | Response | tuple[str, int]:
    return _kader_edit(None)


@bp.route("/kader/<int:kader_id>/ubah", methods=["GET", "POST"])
@role_required("dinkes")
def kader_edit(kader_id: int) -> str | Response | tuple[str, int]:
    return _kader_edit(get_scoped_or_404(Kader, kader_id, current_actor()))


def _kader_edit(kader: Kader | None) -> str | Response | tuple[str, int]:
    kabupaten = _kabupaten()
    actor = current_actor()
    form = KaderForm(obj=kader)
    _kader_form_choices(form)
    errors: list[str] = []
    warnings: list[str] = []
    if form.validate_on_submit():
        values = _kader_values(form, errors, warnings)
        taken = db.session.scalar(
            select(Kader).where(Kader.nik == values.get("nik"), Kader.id != (kader.id if kader else -1))
        )
        if taken is not None:
            errors.append(
                _("NIK ini sudah terdaftar untuk %(name)s.", name=taken.name)
                if taken.kabupaten_code == kabupaten
                else _("NIK ini sudah terdaftar di kabupaten lain.")
            )
        if not errors and not warnings:
            if kader is None:
                kader = create_kader(values, kabupaten, user_id=actor.user_id)
                flash(
                    _("Kader %(name)s ditambahkan. Tambahkan ke Posyandu di bawah.", name=kader.name),
                    "success",
                )
            else:
                update_kader(kader, values, user_id=actor.user_id)
                flash(_("Data kader disimpan."), "success")
            db.session.commit()
            return redirect(url_for(".kader_detail", kader_id=kader.id))
    status = 400 if (errors or warnings or form.errors) else 200
    return render_template(
        "rosters/kader_form.html", form=form, kader=kader, errors=errors, warnings=warnings
    ), status


def _membership_choices(form: JoinForm, kabupaten: str) -> None:
    form.posyandu_id.choices = [
        SelectChoice(p.id, f"{p.name} ({p.code})")
        for p in db.session.scalars(
            select(Posyandu)
            .where(Posyandu.kabupaten_code == kabupaten, Posyandu.active)
            .order_by(Posyandu.name)
        )
    ]
    form.role.choices = [SelectChoice(r, ROLE_LABELS[r]) for r in ROSTER_ROLES]


@bp.route("/kader/<int:kader_id>/keanggotaan", methods=["POST"])
@role_required("dinkes")
def membership_change(kader_id: int) -> Response:
    """Join (no open membership) or move (has one) — dated; the old row is closed, not edited."""
    kabupaten = _kabupaten()
    kader = get_scoped_or_404(Kader, kader_id, current_actor())
    form = JoinForm()
    _membership_choices(form, kabupaten)
    if not form.validate_on_submit():
        flash(_("Lengkapi Posyandu, peran dan tanggal."), "error")
        return redirect(url_for(".kader_detail", kader_id=kader.id))
    if form.start_date.data > date.today():
        flash(_("Tanggal tidak boleh di masa depan."), "error")
        return redirect(url_for(".kader_detail", kader_id=kader.id))
    posyandu = get_scoped_or_404(Posyandu, form.posyandu_id.data, current_actor())
    try:
        if open_membership(kader.id) is None:
            join(kader, posyandu, form.role.data, form.start_date.data, user_id=current_actor().user_id)
        else:
            move(
                kader,
                posyandu,
                form.role.data,
                form.start_date.data,
                form.reason.data,
                user_id=current_actor().user_id,
            )
    except RosterError as exc:
        db.session.rollback()
        flash(roster_messages()[exc.code], "error")
    else:
        db.session.commit()
        flash(_("Keanggotaan Posyandu disimpan."), "success")
    return redirect(url_for(".kader_detail", kader_id=kader.id))


@bp.route("/kader/<int:kader_id>/keluar", methods=["POST"])
@role_required("dinkes")
def membership_leave(kader_id: int) -> Response:
    _kabupaten()
    kader = get_scoped_or_404(Kader, kader_id, current_actor())
    form = LeaveForm()
    if not form.validate_on_submit() or form.end_date.data > date.today():
        flash(_("Isi tanggal keluar yang benar (tidak di masa depan)."), "error")
        return redirect(url_for(".kader_detail", kader_id=kader.id))
    try:
        leave(kader, form.end_date.data, form.reason.data, user_id=current_actor().user_id)
    except RosterError as exc:
        db.session.rollback()
        flash(roster_messages()[exc.code], "error")
    else:
        db.session.commit()
        flash(_("Kader dicatat keluar dari Posyandu."), "success")
    return redirect(url_for(".kader_detail", kader_id=kader.id))


def _desa_choices(kabupaten: str) -> list[SelectChoice]:
    return [
        SelectChoice(d.code, f"{d.name} ({d.code})")
        for d in db.session.scalars(
            select(Wilayah)
            .where(Wilayah.level == "desa", Wilayah.code.like(f"{kabupaten}.%"))
            .order_by(Wilayah.name)
        )
    ]


def _puskesmas_choices(kabupaten: str) -> list[SelectChoice]:
    return [
        SelectChoice(p.id, p.name)
        for p in db.session.scalars(
            select(Puskesmas).where(Puskesmas.kabupaten_code == kabupaten).order_by(Puskesmas.name)
        )
    ]


@bp.route("/posyandu/baru", methods=["GET", "POST"])
@role_required("dinkes")
def posyandu_new() -> str | Response | tuple[str, int]:
    return _posyandu_edit(None)


@bp.route("/posyandu/<int:posyandu_id>/ubah", methods=["GET", "POST"])
@role_required("dinkes")
def posyandu_edit(posyandu_id: int) -> str | Response | tuple[str, int]:
    return _posyandu_edit(get_scoped_or_404(Posyandu, posyandu_id, current_actor()))


def _posyandu_edit(posyandu: Posyandu | None) -> str | Response | tuple[str, int]:
    kabupaten = _kabupaten()
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
            db.session.rollback()
            error = roster_messages()[exc.code]
        else:
            db.session.commit()
            flash(_("Posyandu disimpan."), "success")
            return redirect(url_for(".posyandu_detail", posyandu_id=saved.id))
    return render_template(
        "rosters/simple_form.html",
        form=form,
        error=error,
        title=_("Ubah Posyandu") if posyandu else _("Posyandu baru"),
    ), (400 if error or form.errors else 200)


@bp.route("/puskesmas/")
@staff_required
def puskesmas_list() -> str | Response:
    actor = current_actor()
    rows = db.session.scalars(
        scoped_select(Puskesmas, actor)
        .options(selectinload(Puskesmas.kecamatan), selectinload(Puskesmas.desa_served))
        .order_by(Puskesmas.name)
    ).all()
    pustu = db.session.scalars(
        scoped_select(Pustu, actor)
        .options(selectinload(Pustu.desa), selectinload(Pustu.puskesmas))
        .order_by(Pustu.name)
    ).all()
    fmt = request.args.get("format")
    if fmt in FORMATS:
        header, table = facilities_table(rows, pustu)
        return send_table(header, table, fmt, "puskesmas-pustu", "Puskesmas dan Pustu")
    return render_template("rosters/puskesmas_list.html", rows=rows, pustu=pustu)


@bp.route("/puskesmas/baru", methods=["GET", "POST"])
@role_required("dinkes")
def puskesmas_new() -> str | Response | tuple[str, int]:
    return _puskesmas_edit(None)


@bp.route("/puskesmas/<int:puskesmas_id>/ubah", methods=["GET", "POST"])
@role_required("dinkes")
def puskesmas_edit(puskesmas_id: int) -> str | Response | tuple[str, int]:
    return _puskesmas_edit(get_scoped_or_404(Puskesmas, puskesmas_id, current_actor()))


def _puskesmas_edit(puskesmas: Puskesmas | None) -> str | Response | tuple[str, int]:
    kabupaten = _kabupaten()
    form = PuskesmasForm(obj=puskesmas)
    form.kecamatan_code.choices = [
        SelectChoice(k.code, k.name)
        for k in db.session.scalars(
            select(Wilayah).where(Wilayah.parent_code == kabupaten).order_by(Wilayah.name)
        )
    ]
    form.desa_codes.choices = _desa_choices(kabupaten)
    if request.method == "GET" and puskesmas:
        form.desa_codes.data = [d.code for d in puskesmas.desa_served]
    error = None
    if form.validate_on_submit():
        desa = db.session.scalars(select(Wilayah).where(Wilayah.code.in_(form.desa_codes.data or []))).all()
        values = {"code": form.code.data, "name": form.name.data, "kecamatan_code": form.kecamatan_code.data}
        try:
            save_puskesmas(puskesmas, values, list(desa), kabupaten, user_id=current_actor().user_id)
        except RosterError as exc:
            db.session.rollback()
            error = roster_messages()[exc.code]
        else:
            db.session.commit()
            flash(_("Puskesmas disimpan."), "success")
            return redirect(url_for(".puskesmas_list"))
    return render_template(
        "rosters/simple_form.html",
        form=form,
        error=error,
        title=_("Ubah Puskesmas") if puskesmas else _("Puskesmas baru"),
    ), (400 if error or form.errors else 200)


@bp.route("/pustu/baru", methods=["GET", "POST"])
@role_required("dinkes")
def pustu_new() -> str | Response | tuple[str, int]:
    return _pustu_edit(None)


@bp.route("/pustu/<int:pustu_id>/ubah", methods=["GET", "POST"])
@role_required("dinkes")
def pustu_edit(pustu_id: int) -> str | Response | tuple[str, int]:
    return _pustu_edit(get_scoped_or_404(Pustu, pustu_id, current_actor()))


def _pustu_edit(pustu: Pustu | None) -> str | Response | tuple[str, int]:
    kabupaten = _kabupaten()
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
        db.session.commit()
        flash(_("Pustu disimpan."), "success")
        return redirect(url_for(".puskesmas_list"))
    return render_template(
        "rosters/simple_form.html", form=form, error=None, title=_("Ubah Pustu") if pustu else _("Pustu baru")
    ), (400 if form.errors else 200)


@bp.route("/wilayah/", methods=["GET", "POST"])
@staff_required
def wilayah_page() -> str | Response | tuple[str, int]:
    actor = current_actor()
    kabupaten = actor.kabupaten_code or ""
    areas = db.session.scalars(
        select(Wilayah).where(Wilayah.code.like(f"{kabupaten}.%")).order_by(Wilayah.code)
    ).all()
    parent = db.session.get(Wilayah, kabupaten)
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
        try:
            if request.form.get("action") == "add" and add_form.validate_on_submit():
                add_wilayah(
                    db.session.get(Wilayah, add_form.parent_code.data),
                    add_form.suffix.data,
                    add_form.name.data,
                    user_id=actor.user_id,
                )
            elif request.form.get("action") == "rename" and rename_form.validate_on_submit():
                rename_wilayah(
                    db.session.get(Wilayah, rename_form.code.data),
                    rename_form.name.data,
                    user_id=actor.user_id,
                )
            else:
                error = _("Lengkapi formulir dengan benar.")
        except RosterError as exc:
            error = roster_messages()[exc.code]
        if error is None:
            db.session.commit()
            flash(_("Wilayah disimpan."), "success")
            return redirect(url_for(".wilayah_page"))
        db.session.rollback()
    return render_template(
        "rosters/wilayah.html",
        areas=areas,
        parent=parent,
        add_form=add_form,
        rename_form=rename_form,
        error=error,
        can_edit=actor.role == "dinkes",
    ), (400 if error else 200)
