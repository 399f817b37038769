"""Roster words shown on pages and in downloads: roles, education, import status, kader fields."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.rosters.nik import mask_nik

ROLE_LABELS = {
    "ketua": _l("Ketua"),
    "sekretaris": _l("Sekretaris"),
    "bendahara": _l("Bendahara"),
    "anggota": _l("Anggota"),
}

EDUCATION_LABELS = {
    "tidak_sekolah": _l("Tidak sekolah"),
    "sd": _l("SD/sederajat"),
    "smp": _l("SMP/sederajat"),
    "sma": _l("SMA/sederajat"),
    "d3": _l("Diploma"),
    "s1": _l("Sarjana (S1)"),
    "s2": _l("Pascasarjana"),
}

IMPORT_STATUS = {
    "preview": _l("menunggu impor"),
    "committed": _l("sudah diimpor"),
    "discarded": _l("dibatalkan"),
}
FIELD_LABELS = {
    "name": _l("Nama"),
    "sex": _l("Jenis kelamin"),
    "birth_date": _l("Tanggal lahir"),
    "phone": _l("No. HP"),
    "education": _l("Pendidikan"),
    "start_year": _l("Tahun mulai"),
    "posyandu": _l("Posyandu"),
}


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["mask_nik"] = mask_nik
    app.jinja_env.globals["role_label"] = lambda r: ROLE_LABELS.get(r, r)
    app.jinja_env.globals["education_label"] = lambda e: EDUCATION_LABELS.get(e, e)
    app.jinja_env.globals["import_status"] = lambda s: IMPORT_STATUS.get(s, s)
    app.jinja_env.globals["field_label"] = lambda f: FIELD_LABELS.get(f, f)
