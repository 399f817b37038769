"""flask-login wiring: load users by id, send anonymous users to the login page."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from werkzeug import Response

from app.extensions import db


def configure_login_manager(manager: LoginManager) -> None:
    from app.auth.models import User

    manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    manager.login_message_category = "info"

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))

    @manager.unauthorized_handler
    def unauthorized() -> Response | tuple[dict[str, str], int]:
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return {"error": "login required"}, 401
        flash(str(manager.login_message), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
