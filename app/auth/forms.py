"""Login and password forms (CSRF through BaseForm)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from app.core.forms import BaseForm

# The number pad on phones. Only a keyboard hint: nothing refuses a PIN that holds letters.
PIN_INPUT = {"inputmode": "numeric"}


class LoginForm(BaseForm):
    username = StringField(
        _l("Nama pengguna"),
        validators=[InputRequired(_l("Isi nama pengguna.")), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    # One field for staff passwords and kader PINs: a letter keyboard, so staff can type theirs.
    password = PasswordField(
        _l("Kata sandi atau PIN"),
        validators=[InputRequired(_l("Isi kata sandi atau PIN.")), Length(max=128)],
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

    def __init__(self, *args: Any, pin: bool | None = None, **kwargs: Any) -> None:
        """A kader's secret is a PIN, as on the printed PIN sheet: the same word, and a number pad."""
        super().__init__(*args, **kwargs)
        if pin is None:
            pin = current_user.is_authenticated and current_user.role == "kader"
        if pin:
            self._use_pin(initial=current_user.is_authenticated and current_user.must_change_password)

    def _use_pin(self, *, initial: bool) -> None:
        current, new, confirm = self.current_password, self.new_password, self.confirm
        current.label.text = _l("PIN awal (dari lembar PIN)") if initial else _l("PIN sekarang")
        current.validators = [InputRequired(_l("Isi PIN sekarang.")), Length(max=128)]
        if initial:  # the printed PIN is six digits; a PIN chosen later may hold letters
            current.render_kw = {**(current.render_kw or {}), **PIN_INPUT}
        new.label.text = _l("PIN baru")
        new.validators = [InputRequired(_l("Isi PIN baru.")), Length(max=128)]
        new.render_kw = {**(new.render_kw or {}), **PIN_INPUT}
        confirm.label.text = _l("Ulangi PIN baru")
        confirm.validators = [
            InputRequired(_l("Ulangi PIN baru.")),
            EqualTo("new_password", _l("Kedua PIN baru tidak sama.")),
        ]
        confirm.render_kw = {**(confirm.render_kw or {}), **PIN_INPUT}


class SessionsForm(BaseForm):
    """'Keluar dari semua perangkat': a button, CSRF only."""
