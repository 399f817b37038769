"""Forms: revocation/re-issue reason, batch selection, district signatory settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from app.core.forms import BaseForm


class ReasonForm(BaseForm):
    reason = TextAreaField(_l("Alasan"), validators=[InputRequired(_l("Tulis alasannya.")), Length(max=500)])


class SettingsForm(BaseForm):
    office_name = StringField(_l("Nama instansi penerbit"), validators=[InputRequired(), Length(max=160)])
    signatory_name = StringField(_l("Nama penanda tangan"), validators=[InputRequired(), Length(max=120)])
    signatory_title = StringField(_l("Jabatan"), validators=[InputRequired(), Length(max=160)])
    signatory_nip = StringField(
        _l("NIP"), validators=[InputRequired(), Regexp(r"^\d{18}$", message=_l("NIP terdiri dari 18 angka."))]
    )
    place = StringField(_l("Tempat penandatanganan"), validators=[InputRequired(), Length(max=80)])
    logo = FileField(
        _l("Logo (PNG/JPG, maks. 1 MB, tidak wajib)"),
        validators=[
            FileAllowed(["png", "jpg", "jpeg"], _l("Hanya PNG atau JPG.")),
            FileSize(1024 * 1024, message=_l("Maksimal 1 MB.")),
        ],
    )
    signature = FileField(
        _l("Gambar tanda tangan (PNG/JPG, maks. 1 MB, tidak wajib)"),
        validators=[
            FileAllowed(["png", "jpg", "jpeg"], _l("Hanya PNG atau JPG.")),
            FileSize(1024 * 1024, message=_l("Maksimal 1 MB.")),
        ],
    )
