"""Master-data forms for dinkes: kader, membership, Posyandu, Puskesmas, Pustu, wilayah."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from app.core.forms import BaseForm
from app.rosters.kader_rules import age_on

if TYPE_CHECKING:
    from app.rosters.models import Kader

REQUIRED = _l("Wajib diisi.")


def kader_hints(kaders: Iterable[Kader], today: date) -> dict[int, str]:
    """What tells kader with the same name apart where staff pick one: the age, and the birth
    date too when two of the same name are also the same age. The NIK is no help: masked, it
    shows only the kabupaten, the same for every kader of a district."""
    kaders = list(kaders)
    ages = {k.id: age_on(k.birth_date, today) for k in kaders}
    same = Counter((" ".join(k.name.casefold().split()), ages[k.id]) for k in kaders)
    hints: dict[int, str] = {}
    for k in kaders:
        hint = _("umur %(age)d", age=ages[k.id])
        if same[(" ".join(k.name.casefold().split()), ages[k.id])] > 1:
            hint += ", " + _("lahir %(date)s", date=format_date(k.birth_date, "medium"))
        hints[k.id] = hint
    return hints


def kader_choices(kaders: Iterable[Kader], today: date) -> list[SelectChoice]:
    """Choices for a kader select or checklist: "Siti Aminah (umur 41)"."""
    kaders = list(kaders)
    hints = kader_hints(kaders, today)
    return [SelectChoice(k.id, f"{k.name} ({hints[k.id]})") for k in kaders]


class KaderForm(BaseForm):
    nik = StringField(
        _l("NIK"),
        validators=[InputRequired(REQUIRED), Length(max=30)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    name = StringField(_l("Nama"), validators=[InputRequired(REQUIRED), Length(max=120)])
    sex = SelectField(
        _l("Jenis kelamin"),
        choices=[SelectChoice("P", _l("Perempuan")), SelectChoice("L", _l("Laki-laki"))],
        validators=[InputRequired(REQUIRED)],
    )
    birth_date = DateField(_l("Tanggal lahir"), validators=[InputRequired(_l("Isi tanggal yang benar."))])
    phone = StringField(_l("No. HP"), validators=[Optional(), Length(max=20)], render_kw={"inputmode": "tel"})
    education = SelectField(_l("Pendidikan"), validators=[Optional()])
    start_year = IntegerField(
        _l("Tahun mulai menjadi kader"), validators=[Optional(), NumberRange(1970, 2100)]
    )
    confirm_mismatch = BooleanField(_l("Data sudah diperiksa: simpan walaupun tidak sesuai NIK"))


class JoinForm(BaseForm):
    posyandu_id = SelectField(_l("Posyandu"), coerce=int, validators=[InputRequired(REQUIRED)])
    role = SelectField(_l("Peran"), validators=[InputRequired(REQUIRED)])
    start_date = DateField(_l("Tanggal"), validators=[InputRequired(_l("Isi tanggal yang benar."))])
    reason = StringField(_l("Alasan (untuk pindah atau keluar)"), validators=[Optional(), Length(max=200)])


class LeaveForm(BaseForm):
    end_date = DateField(_l("Tanggal keluar"), validators=[InputRequired(_l("Isi tanggal yang benar."))])
    reason = StringField(_l("Alasan"), validators=[Optional(), Length(max=200)])


class PosyanduForm(BaseForm):
    code = StringField(
        _l("Kode Posyandu"),
        validators=[
            InputRequired(REQUIRED),
            Length(max=30),
            Regexp(r"^[A-Za-z0-9.\-_/]+$", message=_l("Kode hanya huruf, angka, titik, garis.")),
        ],
    )
    name = StringField(_l("Nama"), validators=[InputRequired(REQUIRED), Length(max=120)])
    desa_code = SelectField(_l("Desa/kelurahan"), validators=[InputRequired(REQUIRED)])
    dusun_rw = StringField(_l("Dusun/RW"), validators=[Optional(), Length(max=80)])
    puskesmas_id = SelectField(_l("Puskesmas"), coerce=int, validators=[InputRequired(REQUIRED)])
    active = BooleanField(_l("Aktif"), default=True)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PuskesmasForm(BaseForm):
    code = StringField(_l("Kode Puskesmas"), validators=[InputRequired(REQUIRED), Length(max=20)])
    name = StringField(_l("Nama"), validators=[InputRequired(REQUIRED), Length(max=120)])
    kecamatan_code = SelectField(_l("Kecamatan"), validators=[InputRequired(REQUIRED)])
    desa_codes = MultiCheckboxField(_l("Desa/kelurahan yang dilayani"), validators=[Optional()])


class PustuForm(BaseForm):
    name = StringField(_l("Nama"), validators=[InputRequired(REQUIRED), Length(max=120)])
    desa_code = SelectField(_l("Desa/kelurahan"), validators=[InputRequired(REQUIRED)])
    puskesmas_id = SelectField(_l("Puskesmas"), coerce=int, validators=[InputRequired(REQUIRED)])


class WilayahForm(BaseForm):
    parent_code = SelectField(_l("Induk wilayah"), validators=[InputRequired(REQUIRED)])
    suffix = StringField(
        _l("Kode (2 angka untuk kecamatan, 4 angka untuk desa)"),
        validators=[
            InputRequired(REQUIRED),
            Regexp(r"^\d{2}(\d{2})?$", message=_l("Kode harus 2 atau 4 angka.")),
        ],
    )
    name = StringField(_l("Nama"), validators=[InputRequired(REQUIRED), Length(max=120)])


class RenameForm(BaseForm):
    code = SelectField(_l("Wilayah"), validators=[InputRequired(REQUIRED)])
    name = StringField(_l("Nama baru"), validators=[InputRequired(REQUIRED), Length(max=120)])
