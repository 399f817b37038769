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
    def load_user(session_id: str) -> User | None:
        # "<user id>.<session version>": a session from before a logout, a password change or
        # a PIN reset names an older version and is refused.
        user_id, _, version = session_id.partition(".")
        if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
            return None
        if len(user_id) > 18 or len(version) > 18:
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.session_version == int(version) else None

    @manager.unauthorized_handler
    def unauthorized() -> Response | tuple[dict[str, str], int]:
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return {"error": "login required"}, 401
        flash(str(manager.login_message), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
