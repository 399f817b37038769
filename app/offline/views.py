"""The installable app: web manifest, the service worker at the root scope, a page for "no
signal", and a fresh form token for a phone replaying its queue after the old one was refused."""

from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf.csrf import generate_csrf
from werkzeug import Response

from app.curriculum.sync import active_version
from app.practicals import replay

bp = Blueprint("offline", __name__)

# Files every offline page needs; the worker stores them when it installs.
CORE_STATIC = (
    "css/app.css",
    "js/offline.js",
    "js/quiz.js",
    "js/checklist.js",
    "favicon.svg",
    "icons/icon-192.png",
)
NO_CACHE = {"Cache-Control": "no-cache, max-age=0"}


@bp.app_context_processor
def _offline_helpers() -> dict:
    """The version a page expects its worker to have (a different one is replaced at once), and
    for the checklist page the server's state and when it was rendered (server clock), so a
    phone can tell a stored copy older than what it saved itself from a fresh page."""

    def offline_state(result: object) -> dict:
        return replay.state(result) if result is not None else {"steps": {}, "result": ""}  # type: ignore[arg-type]

    return {
        "offline_state": offline_state,
        "offline_stamp": lambda: int(time.time() * 1000),
        "offline_version": cache_version,
    }


@lru_cache(maxsize=4)
def _release(static_folder: str, root_path: str) -> str:
    """The stored static files and the worker: fixed for the life of the process (a release)."""
    digest = hashlib.sha256()
    worker = Path(root_path).parent / "templates" / "offline" / "sw.js"
    for path in [Path(static_folder, name) for name in CORE_STATIC] + [worker]:
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def cache_version() -> str:
    """Changes with the active curriculum, any stored static file, and the worker itself, so a
    new release makes phones drop the material and pages they keep and store them again."""
    version = active_version()
    release = _release(current_app.static_folder or "", current_app.root_path)
    curriculum = version.content_hash if version else "none"
    return hashlib.sha256(f"{curriculum}:{release}".encode()).hexdigest()[:12]


@bp.route("/sw.js")
def service_worker() -> Response:
    body = render_template(
        "offline/sw.js",
        version=cache_version(),
        core=[url_for("static", filename=name) for name in CORE_STATIC] + [url_for(".fallback")],
        fallback=url_for(".fallback"),
    )
    return Response(body, mimetype="text/javascript", headers=NO_CACHE)


@bp.route("/manifest.webmanifest")
def manifest() -> Response:
    icons = [
        {
            "src": url_for("static", filename=f"icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any",
        }
        for size in (192, 512)
    ]
    icons.append(
        {
            "src": url_for("static", filename="icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    data = {
        "name": "Kader Cakap",
        "short_name": "Kader Cakap",
        "description": _("Belajar, kuis dan penilaian praktik 25 keterampilan dasar kader Posyandu."),
        "lang": "id",
        "start_url": url_for("home.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b6e4f",
        "icons": icons,
    }
    response = jsonify(data)
    response.mimetype = "application/manifest+json"
    response.headers.update(NO_CACHE)
    return response


@bp.route("/tanpa-sinyal")
def fallback() -> str:
    """Shown by the worker for a page the phone never stored, when there is no signal."""
    return render_template("offline/fallback.html")


@bp.route("/offline/token")
@login_required
def token() -> Response:
    response = jsonify(csrf_token=generate_csrf())
    response.headers.update(NO_CACHE)
    return response
