"""The audit trail for dinkes (own kabupaten) and admin: who changed what, when, in sentences."""

from __future__ import annotations

import json

from flask import Blueprint, render_template, request
from sqlalchemy import select

from app.audit.names import load_names
from app.audit.sentences import GROUP_LABELS, describe
from app.core.audit import AuditLog
from app.core.decorators import role_required
from app.core.pagination import paginate
from app.core.scope import current_actor

bp = Blueprint("audit", __name__)


@bp.route("/audit")
@role_required("dinkes", "admin")
def trail() -> str:
    actor = current_actor()
    group = request.args.get("jenis", "")
    stmt = select(AuditLog)
    if actor.role == "dinkes":
        stmt = stmt.where(AuditLog.kabupaten_code == actor.kabupaten_code)
    if group in GROUP_LABELS:
        stmt = stmt.where(AuditLog.action.like(f"{group}.%"))
    page = paginate(
        stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()), request.args.get("page", 1, type=int), 50
    )
    names = load_names(page.items)
    lines = [(entry, describe(entry, names)) for entry in page.items]
    return render_template(
        "audit/trail.html", page=page, lines=lines, group=group, groups=GROUP_LABELS, as_json=_pretty
    )


def _pretty(values: dict | None) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, indent=1) if values else ""
