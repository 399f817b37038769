"""Template globals: the current locale, navigation per role, labels and formatting."""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for
from flask_babel import format_date, format_datetime, format_time, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.rosters.nik import mask_nik

_HOME = ("core.home", _l("Beranda"))
_POSYANDU = ("rosters.posyandu_list_view", _l("Posyandu"))
_KADER = ("rosters.kader_list", _l("Kader"))
_PRACTICALS = ("practicals.sessions", _l("Praktik"))
_MATERIAL = ("curriculum.skills_index", _l("Materi"))
NAV: dict[str, list[tuple[str, Any]]] = {
    "admin": [  # admin sees everything (read-only where dinkes keeps the data)
        _HOME,
        _POSYANDU,
        _KADER,
        _PRACTICALS,
        ("certificates.index", _l("Sertifikat")),
        _MATERIAL,
        ("reports.dashboard", _l("Laporan")),
        ("curriculum.versions_page", _l("Kurikulum")),
        ("audit.trail", _l("Audit")),
    ],
    "dinkes": [
        _HOME,
        ("reports.dashboard", _l("Laporan")),
        _POSYANDU,
        _KADER,
        _PRACTICALS,
        ("certificates.index", _l("Sertifikat")),
        _MATERIAL,
        ("quizzes.statistics_index", _l("Statistik")),
        ("audit.trail", _l("Audit")),
    ],
    "fasilitator": [
        _HOME,
        ("reports.dashboard", _l("Laporan")),
        _POSYANDU,
        _KADER,
        _PRACTICALS,
        _MATERIAL,
        ("quizzes.statistics_index", _l("Statistik")),
    ],
    "kader": [
        _HOME,
        ("curriculum.skills_index", _l("Belajar")),
        ("progress.my_progress", _l("Kemajuan")),
        ("certificates.mine", _l("Sertifikat")),
    ],
}

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


FLAG_LABELS = {
    "too_hard": _l("terlalu sulit"),
    "too_easy": _l("terlalu mudah"),
    "negative_discrimination": _l("daya beda negatif"),
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


def localized(obj: Any, field: str) -> str:
    """`title_en` when the page is in English (and it is set), else `title_id`."""
    if str(get_locale() or "id") == "en":
        value = getattr(obj, f"{field}_en", None)
        if value:
            return value
    return getattr(obj, f"{field}_id")


def register_template_helpers(app: Flask) -> None:
    from app.certificates.document import mask_nip

    app.jinja_env.filters["mask_nip"] = mask_nip
    app.jinja_env.filters["format_date"] = lambda d: format_date(d, "medium") if d else ""
    app.jinja_env.filters["format_datetime"] = lambda d: format_datetime(d, "medium") if d else ""
    app.jinja_env.filters["format_time"] = lambda d: format_time(d, "short") if d else ""
    app.jinja_env.globals["flag_label"] = lambda f: FLAG_LABELS.get(f, f)
    app.jinja_env.globals["loc"] = localized
    app.jinja_env.globals["import_status"] = lambda s: IMPORT_STATUS.get(s, s)
    app.jinja_env.globals["field_label"] = lambda f: FIELD_LABELS.get(f, f)
    app.jinja_env.filters["mask_nik"] = mask_nik
    app.jinja_env.globals["role_label"] = lambda r: ROLE_LABELS.get(r, r)
    app.jinja_env.globals["education_label"] = lambda e: EDUCATION_LABELS.get(e, e)

    @app.context_processor
    def _globals() -> dict[str, Any]:
        role = current_user.role if current_user.is_authenticated else None
        nav = [(url_for(endpoint), label, endpoint) for endpoint, label in NAV.get(role or "", [])]
        return {"current_locale": str(get_locale() or "id"), "nav_items": nav}
