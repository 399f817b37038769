"""Language switch and health check (the home page is app/home)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, request, session
from flask_login import current_user
from sqlalchemy import text
from werkzeug import Response

from app.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/lang", methods=["POST"])
def set_language() -> Response:
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        lang = current_app.config["BABEL_DEFAULT_LOCALE"]
    session["lang"] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang  # committed with the redirect
    target = request.form.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        "lang",
        lang,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok", database="ok"), 200
    except Exception:
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="error", database="error"), 503
