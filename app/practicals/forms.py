"""Forms for assessment sessions and the observation checklist."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.core.forms import BaseForm


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SessionForm(BaseForm):
    posyandu_id = SelectField(_l("Posyandu"), coerce=int, validators=[InputRequired(_l("Pilih Posyandu."))])
    session_date = DateField(
        _l("Tanggal penilaian"), validators=[InputRequired(_l("Isi tanggal yang benar."))]
    )
    skill_ids = MultiCheckboxField(
        _l("Keterampilan yang dinilai"),
        coerce=int,
        validators=[InputRequired(_l("Pilih minimal satu keterampilan."))],
    )
    note = TextAreaField(_l("Catatan (tidak wajib)"), validators=[Optional(), Length(max=500)])


class AttendeesForm(BaseForm):
    kader_ids = MultiCheckboxField(
        _l("Kader yang hadir"), coerce=int, validators=[InputRequired(_l("Pilih minimal satu kader."))]
    )


class DecisionForm(BaseForm):
    decision = SelectField(
        _l("Keputusan"),
        choices=[
            SelectChoice("kompeten", _l("Kompeten")),
            SelectChoice("belum_kompeten", _l("Belum kompeten")),
        ],
        validators=[InputRequired()],
    )
    note = TextAreaField(_l("Catatan penilai"), validators=[Optional(), Length(max=1000)])
