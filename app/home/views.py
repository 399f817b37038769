"""The home page: each role sees its own start page (templates/home/<role>.html)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.core.scope import current_actor
from app.home.queries import home_context

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index() -> str:
    actor = current_actor()
    return render_template(f"home/{actor.role}.html", **home_context(actor, current_user))
