"""Login, logout and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug import Response

from app.auth.forms import ChangePasswordForm, LoginForm, SessionsForm
from app.auth.passwords import password_problems
from app.auth.services import authenticate, change_password
from app.core import audit
from app.extensions import limiter

bp = Blueprint("auth", __name__)

PASSWORD_MESSAGES = {
    "too_short": lambda role: _(
        "Kata sandi terlalu pendek: minimal %(n)d karakter.", n=6 if role == "kader" else 10
    ),
    "too_long": lambda role: _("Kata sandi terlalu panjang: maksimal 128 karakter."),
    "too_simple": lambda role: _("Kata sandi terlalu mudah ditebak. Pilih yang lain."),
    "same_as_username": lambda role: _("Kata sandi tidak boleh sama dengan nama pengguna."),
}


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login page cannot be used to redirect away."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home.index")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        result = authenticate(form.username.data or "", form.password.data or "")
        if result.status == "ok" and result.user is not None:
            session.clear()  # a fresh session on login (no fixation)
            login_user(result.user)
            session.permanent = True
            if result.user.locale and "lang" not in request.cookies:
                session["lang"] = result.user.locale
            if result.user.must_change_password:
                return redirect(url_for("auth.change_password_view"))
            return redirect(_safe_next(request.args.get("next")))
        if result.status == "locked" and result.locked_until is not None:
            error = _(
                "Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang salah. "
                "Coba lagi setelah %(time)s.",
                time=format_datetime(result.locked_until, "HH:mm"),
            )
        else:
            error = _("Nama pengguna atau kata sandi salah.")
    # A refused login answers 200 with the message: the failure count and any lockout it wrote
    # must be committed (an error status would roll them back with the request).
    return render_template("auth/login.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    # POST only (with CSRF): a link or image elsewhere cannot log a user out. Logging out ends
    # every session of the account, so a cookie copied earlier is worthless too.
    if current_user.is_authenticated:
        current_user.end_sessions()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Anda sudah keluar."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password_view() -> str | Response:
    form = ChangePasswordForm()
    errors: list[str] = []
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data or ""):
            errors.append(
                _("PIN sekarang salah.") if current_user.role == "kader" else _("Kata sandi sekarang salah.")
            )
        else:
            new = form.new_password.data or ""
            codes = password_problems(new, current_user.username, current_user.role)
            if new == form.current_password.data:
                errors.append(
                    _("PIN baru harus berbeda dari yang lama.")
                    if current_user.role == "kader"
                    else _("Kata sandi baru harus berbeda dari yang lama.")
                )
            errors.extend(PASSWORD_MESSAGES[c](current_user.role) for c in codes)
        if not errors:
            user = current_user._get_current_object()
            change_password(user, form.new_password.data or "")
            login_user(user)  # this device stays signed in under the new session version
            flash(
                _("PIN sudah diganti.") if user.role == "kader" else _("Kata sandi sudah diganti."), "success"
            )
            return redirect(url_for("home.index"))
    return render_template(
        "auth/change_password.html", form=form, errors=errors, sessions_form=SessionsForm()
    ), (400 if errors else 200)


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def end_all_sessions() -> Response:
    """'Keluar dari semua perangkat': for a lost phone or a shared computer."""
    if SessionsForm().validate_on_submit():
        user = current_user._get_current_object()
        user.end_sessions()
        audit.record(
            "account.sessions_ended",
            "user",
            user.id,
            user_id=user.id,
            kabupaten_code=user.actor.kabupaten_code,
        )
        logout_user()
        session.clear()
        flash(_("Anda sudah keluar dari semua perangkat."), "success")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.change_password_view"))


@bp.before_app_request
def _force_password_change() -> Response | None:
    """An initial password or PIN handed out on paper must be replaced before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint
        not in {"auth.change_password_view", "auth.logout", "static", "core.set_language", "core.healthz"}
    ):
        return redirect(url_for("auth.change_password_view"))
    return None
