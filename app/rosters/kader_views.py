"""Kader pages: list, search and download, detail, create/edit, and roster membership
(join or move, leave). Dinkes edits its own kabupaten; a fasilitator reads its area."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response
from wtforms.fields.choices import SelectChoice

from app.core.exports import FORMATS, send_table
from app.core.local_time import local_today
from app.core.pagination import paginate
from app.core.scope import current_actor, get_scoped_or_404
from app.rosters import membership, queries
from app.rosters.export import KADER_LIST_HEADER, kader_list_table
from app.rosters.forms import JoinForm, KaderForm, LeaveForm, kader_hints
from app.rosters.import_messages import issue_text
from app.rosters.kader_rules import Issue, KaderInput, check_kader
from app.rosters.labels import EDUCATION_LABELS, ROLE_LABELS
from app.rosters.models import EDUCATION_LEVELS, ROSTER_ROLES, Kader, Posyandu
from app.rosters.policies import sees_full_nik
from app.rosters.services import RosterError, create_kader, update_kader
from app.rosters.view_support import own_kabupaten, roster_messages


def kader_list() -> str | Response:
    actor = current_actor()
    args = {k: request.args.get(k, "").strip()[:100] for k in ("q", "kecamatan", "posyandu", "status")}
    stmt = queries.kader_list_query(actor, queries.KaderFilters(**args))
    fmt = request.args.get("format")
    if fmt in FORMATS:
        rows = kader_list_table(queries.all_rows(stmt), sees_full_nik(actor))
        return send_table(KADER_LIST_HEADER, rows, fmt, "kader", "Kader")
    page = paginate(stmt, request.args.get("page", 1, type=int), 25, rows=True)
    return render_template(
        "rosters/kader_list.html",
        page=page,
        args=args,
        hints=kader_hints([row[0] for row in page.items], local_today(actor.kabupaten_code)),
        kecamatan=queries.kecamatan_with_posyandu(actor),
        posyandu=queries.scoped_posyandu(actor),
    )


def kader_detail(kader_id: int) -> str:
    actor = current_actor()
    kader = get_scoped_or_404(Kader, kader_id, actor)
    join_form, leave_form = JoinForm(), LeaveForm()
    if actor.role == "dinkes":
        _membership_choices(join_form, actor.kabupaten_code or "")
        if (current := kader.current_membership) is not None:
            # "Pindah Posyandu" starts from where the kader is now: change only what changes.
            join_form.posyandu_id.data = current.posyandu_id
            join_form.role.data = current.role
    return render_template(
        "rosters/kader_detail.html", kader=kader, join_form=join_form, leave_form=leave_form
    )


def kader_new() -> str | Response | tuple[str, int]:
    return _kader_edit(None)


def kader_edit(kader_id: int) -> str | Response | tuple[str, int]:
    return _kader_edit(get_scoped_or_404(Kader, kader_id, current_actor()))


def _form_issue_text(issue: Issue) -> str:
    """The import's wording, except where the form has always said it its own way."""
    if issue.code in ("start_year_invalid", "start_year_before_birth"):
        return _("Tahun mulai tidak masuk akal.")
    return issue_text(issue)


def _kader_values(form: KaderForm, errors: list[str], warnings: list[str]) -> dict:
    """The form checked by the same rules as an imported row (`kader_rules`)."""
    check = check_kader(
        KaderInput(
            nik=form.nik.data or "",
            name=form.name.data or "",
            sex=form.sex.data,
            birth_date=form.birth_date.data,
            phone=form.phone.data or "",
            start_year=form.start_year.data,
        ),
        date.today(),
    )
    errors.extend(_form_issue_text(i) for i in check.errors)
    if check.warnings and not form.confirm_mismatch.data:
        warnings.append(
            _(
                "Tanggal lahir atau jenis kelamin tidak sesuai dengan NIK. Periksa lagi, lalu centang "
                "konfirmasi untuk tetap menyimpan."
            )
        )
    return {**check.values, "education": form.education.data or None}


def _kader_edit(kader: Kader | None) -> str | Response | tuple[str, int]:
    kabupaten = own_kabupaten()
    actor = current_actor()
    form = KaderForm(obj=kader)
    form.education.choices = [SelectChoice("", "–")] + [
        SelectChoice(e, EDUCATION_LABELS[e]) for e in EDUCATION_LEVELS
    ]
    errors: list[str] = []
    warnings: list[str] = []
    if form.validate_on_submit():
        values = _kader_values(form, errors, warnings)
        if (taken := queries.kader_with_nik(values.get("nik"), kader)) is not None:
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
            return redirect(url_for(".kader_detail", kader_id=kader.id))
    status = 400 if (errors or warnings or form.errors) else 200
    return render_template(
        "rosters/kader_form.html", form=form, kader=kader, errors=errors, warnings=warnings
    ), status


def _membership_choices(form: JoinForm, kabupaten: str) -> None:
    form.posyandu_id.choices = [
        SelectChoice(p.id, f"{p.name} ({p.code})") for p in queries.active_posyandu_of(kabupaten)
    ]
    form.role.choices = [SelectChoice(r, ROLE_LABELS[r]) for r in ROSTER_ROLES]


def membership_change(kader_id: int) -> Response:
    """Join (no open membership) or move (has one) — dated; the old row is closed, not edited."""
    kabupaten = own_kabupaten()
    actor = current_actor()
    kader = get_scoped_or_404(Kader, kader_id, actor)
    back = redirect(url_for(".kader_detail", kader_id=kader.id))
    form = JoinForm()
    _membership_choices(form, kabupaten)
    if not form.validate_on_submit():
        flash(_("Lengkapi Posyandu, peran dan tanggal."), "error")
        return back
    if form.start_date.data > date.today():
        flash(_("Tanggal tidak boleh di masa depan."), "error")
        return back
    posyandu = get_scoped_or_404(Posyandu, form.posyandu_id.data, actor)
    try:
        membership.place(
            kader, posyandu, form.role.data, form.start_date.data, form.reason.data, user_id=actor.user_id
        )
    except RosterError as exc:  # refused before anything was written
        flash(roster_messages()[exc.code], "error")
    else:
        flash(_("Keanggotaan Posyandu disimpan."), "success")
    return back


def membership_leave(kader_id: int) -> Response:
    own_kabupaten()
    kader = get_scoped_or_404(Kader, kader_id, current_actor())
    back = redirect(url_for(".kader_detail", kader_id=kader.id))
    form = LeaveForm()
    if not form.validate_on_submit() or form.end_date.data > date.today():
        flash(_("Isi tanggal keluar yang benar (tidak di masa depan)."), "error")
        return back
    try:
        membership.leave(kader, form.end_date.data, form.reason.data, user_id=current_actor().user_id)
    except RosterError as exc:  # refused before anything was written
        flash(roster_messages()[exc.code], "error")
    else:
        flash(_("Kader dicatat keluar dari Posyandu."), "success")
    return back
