"""Error pages in the user's language; never a stack trace to a user."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.is_json or best == "application/json" or request.path.endswith(".json")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Permintaan tidak dapat diproses"), _("Data yang dikirim tidak lengkap atau tidak sah.")),
        403: (_("Akses ditolak"), _("Akun Anda tidak berhak membuka halaman ini.")),
        404: (_("Halaman tidak ditemukan"), _("Halaman atau data yang Anda cari tidak ada.")),
        405: (_("Cara akses tidak diizinkan"), _("Halaman ini tidak bisa dibuka dengan cara itu.")),
        413: (_("Berkas terlalu besar"), _("Berkas yang diunggah melebihi batas ukuran.")),
        429: (_("Terlalu banyak permintaan"), _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.")),
        500: (
            _("Terjadi kesalahan"),
            _("Maaf, terjadi kesalahan di server. Tim kami sudah dicatat untuk memeriksanya."),
        ),
        503: (_("Layanan tidak tersedia"), _("Layanan sedang tidak tersedia. Coba lagi beberapa saat lagi.")),
    }


def render_error(code: int, detail: str | None = None) -> tuple[object, int]:
    title, message = _messages().get(code, (_("Terjadi kesalahan"), ""))
    if detail:
        message = detail
    if _wants_json():
        return {"error": title, "message": message, "status": code}, code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> tuple[object, int]:
        return render_error(
            400, _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.")
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[object, int]:
        code = exc.code or 500
        if code == 413:
            limit_mb = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
            return render_error(413, _("Berkas terlalu besar: maksimal %(mb)d MB.", mb=limit_mb))
        return render_error(code)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[object, int]:
        current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()  # nothing half-written
        return render_error(500)
