"""Login and password forms (CSRF through BaseForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from app.core.forms import BaseForm


class LoginForm(BaseForm):
    username = StringField(
        _l("Nama pengguna"),
        validators=[InputRequired(_l("Isi nama pengguna.")), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Kata sandi"),
        validators=[InputRequired(_l("Isi kata sandi.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Kata sandi sekarang"),
        validators=[InputRequired(_l("Isi kata sandi sekarang.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("Kata sandi baru"),
        validators=[InputRequired(_l("Isi kata sandi baru.")), Length(max=128)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[
            InputRequired(_l("Ulangi kata sandi baru.")),
            EqualTo("new_password", _l("Kedua kata sandi baru tidak sama.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class SessionsForm(BaseForm):
    """'Keluar dari semua perangkat': a button, CSRF only."""
