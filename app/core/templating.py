"""Template globals: the current locale, navigation per role, formatting. Labels of domain values
(roster roles, education, quiz flags, NIK/NIP masks) live in their domains' `labels` modules."""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for
from flask_babel import format_date, format_datetime, format_time, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

_HOME = ("home.index", _l("Beranda"))
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


def localized(obj: Any, field: str) -> str:
    """`title_en` when the page is in English (and it is set), else `title_id`."""
    if str(get_locale() or "id") == "en":
        value = getattr(obj, f"{field}_en", None)
        if value:
            return value
    return getattr(obj, f"{field}_id")


def register_template_helpers(app: Flask) -> None:
    """Helpers every page uses; each domain registers its own labels (called from create_app)."""
    app.jinja_env.filters["format_date"] = lambda d: format_date(d, "medium") if d else ""
    app.jinja_env.filters["format_datetime"] = lambda d: format_datetime(d, "medium") if d else ""
    app.jinja_env.filters["format_time"] = lambda d: format_time(d, "short") if d else ""
    app.jinja_env.globals["loc"] = localized

    @app.context_processor
    def _globals() -> dict[str, Any]:
        role = current_user.role if current_user.is_authenticated else None
        nav = [(url_for(endpoint), label, endpoint) for endpoint, label in NAV.get(role or "", [])]
        return {"current_locale": str(get_locale() or "id"), "nav_items": nav}
