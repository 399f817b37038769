"""The audit trail for dinkes (own kabupaten) and admin: who changed what, when, before/after."""

from __future__ import annotations

import json

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.core.audit import AuditLog
from app.core.decorators import role_required
from app.core.pagination import paginate
from app.core.scope import current_actor

bp = Blueprint("audit", __name__)
GROUPS = ("practical", "achievement", "kader", "roster", "account", "curriculum", "certificate")


@bp.route("/audit")
@role_required("dinkes", "admin")
def trail() -> str:
    actor = current_actor()
    group = request.args.get("jenis", "")
    author = aliased(User)
    stmt = select(AuditLog, author.username).outerjoin(author, author.id == AuditLog.user_id)
    if actor.role == "dinkes":
        stmt = stmt.where(AuditLog.kabupaten_code == actor.kabupaten_code)
    if group in GROUPS:
        stmt = stmt.where(AuditLog.action.like(f"{group}.%"))
    page = paginate(
        stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()),
        request.args.get("page", 1, type=int),
        50,
        rows=True,
    )
    return render_template("core/audit.html", page=page, group=group, groups=GROUPS, as_json=_compact)


def _compact(values: dict | None) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True) if values else ""
