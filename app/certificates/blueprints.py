"""The certificate blueprints: dinkes and kader pages, and the public verification pages.

Their routes live in views.py, settings_views.py and public_views.py; views.py imports the
other two so that importing it registers every route."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _

bp = Blueprint("certificates", __name__)
public = Blueprint("verify", __name__)


def messages() -> dict[str, str]:
    """What a CertificateError code means, for flash messages."""
    return {
        "level_not_reached": _("Kader ini belum mencapai tingkat tersebut."),
        "level_unknown": _("Tingkat tidak dikenal."),
        "already_certified": _("Kader ini sudah memiliki sertifikat sah untuk tingkat tersebut."),
        "no_signatory": _("Atur dulu penanda tangan sertifikat di Pengaturan sertifikat."),
        "not_on_roster": _("Kader ini tidak aktif di Posyandu mana pun; sertifikat harus terkait roster."),
        "already_revoked": _("Sertifikat ini sudah dicabut."),
        "reason_required": _("Tulis alasannya."),
    }
