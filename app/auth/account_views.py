"""Kader accounts for supervisors: create in bulk for a Posyandu, reset a PIN; both print a sheet."""

from __future__ import annotations

import io

from flask import Blueprint, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug import Response

from app.auth.accounts import IssuedPin, create_accounts, reset_pin
from app.auth.models import User
from app.auth.pin_sheet import render_pin_sheet
from app.core.decorators import staff_required
from app.core.forms import BaseForm
from app.core.local_time import local_today
from app.core.scope import current_actor, get_scoped_or_404
from app.extensions import db
from app.rosters.forms import kader_hints
from app.rosters.models import Kader, Posyandu
from app.rosters.queries import current_roster

bp = Blueprint("accounts", __name__)


class ConfirmForm(BaseForm):
    pass


def _texts() -> dict[str, str]:
    return {
        "date": _("Dicetak"),
        "no": _("No"),
        "name": _("Nama kader"),
        "username": _("Nama pengguna"),
        "pin": _("PIN awal"),
        # The login page's own words: the PIN goes in the field labelled "Kata sandi atau PIN".
        "how": _(
            'Masuk di {url}: isi nama pengguna, lalu PIN awal di kolom "%(field)s". Saat pertama '
            "masuk, Anda diminta membuat PIN baru yang hanya Anda ketahui.",
            field=_("Kata sandi atau PIN"),
        ),
        "warning": _(
            "Berikan lembar ini langsung kepada masing-masing kader. PIN awal hanya tercetak sekali; "
            "jika hilang, fasilitator atau dinas kesehatan dapat mengatur ulang PIN."
        ),
    }


def _sheet(posyandu: Posyandu, pins: list[IssuedPin], filename: str) -> Response:
    pdf = render_pin_sheet(
        _("PIN awal akun Kader Cakap"),
        f"{posyandu.name} · {posyandu.desa.name} · {posyandu.puskesmas.name}",
        pins,
        current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("auth.login"),
        _texts(),
        local_today(posyandu.kabupaten_code),  # printed the day it is there, not in UTC
    )
    response = send_file(
        io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=filename
    )
    response.headers["Cache-Control"] = "no-store"  # the PINs must not stay in a cache
    return response


@bp.route("/posyandu/<int:posyandu_id>/akun")
@staff_required
def posyandu_accounts(posyandu_id: int) -> str:
    posyandu = get_scoped_or_404(Posyandu, posyandu_id, current_actor())
    roster = current_roster(posyandu.id)
    users = {
        u.kader_id: u
        for u in db.session.scalars(select(User).where(User.kader_id.in_([m.kader_id for m in roster])))
    }
    return render_template(
        "auth/posyandu_accounts.html",
        posyandu=posyandu,
        roster=roster,
        users=users,
        form=ConfirmForm(),
        missing=sum(1 for m in roster if m.kader_id not in users),
        hints=kader_hints([m.kader for m in roster], local_today(posyandu.kabupaten_code)),
    )


@bp.route("/posyandu/<int:posyandu_id>/akun", methods=["POST"])
@staff_required
def create_posyandu_accounts(posyandu_id: int) -> Response:
    actor = current_actor()
    posyandu = get_scoped_or_404(Posyandu, posyandu_id, actor)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".posyandu_accounts", posyandu_id=posyandu.id))
    pins = create_accounts([m.kader for m in current_roster(posyandu.id)], created_by=actor.user_id)
    if not pins:
        flash(_("Semua kader aktif di Posyandu ini sudah punya akun."), "info")
        return redirect(url_for(".posyandu_accounts", posyandu_id=posyandu.id))
    return _sheet(posyandu, pins, f"pin-awal-{posyandu.code}.pdf")


@bp.route("/kader/<int:kader_id>/akun/reset", methods=["POST"])
@staff_required
def reset_kader_pin(kader_id: int) -> Response:
    actor = current_actor()
    kader = get_scoped_or_404(Kader, kader_id, actor)
    user = db.session.scalar(select(User).where(User.kader_id == kader.id))
    membership = kader.current_membership
    if user is None or membership is None or not ConfirmForm().validate_on_submit():
        flash(_("Kader ini belum punya akun atau tidak aktif di Posyandu."), "error")
        return redirect(url_for("rosters.kader_detail", kader_id=kader.id))
    pin = reset_pin(user, reset_by=actor.user_id)  # committed only with the sheet that shows it
    return _sheet(membership.posyandu, [pin], f"pin-baru-{user.username}.pdf")
