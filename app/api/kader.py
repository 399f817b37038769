"""Kader with their level (NIK masked unless the role keeps registers) and progress by skill."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select

from app.api.auth import require_roles
from app.api.paging import decode_int_cursor, encode_cursor, keyset_page, since
from app.api.registry import list_of, load_query, operation
from app.api.schemas import KaderQuery, KaderSchema, ProgressSchema
from app.core.models import utc
from app.core.roles import Actor
from app.core.scope import get_scoped_or_404, scoped_select
from app.core.templating import localized
from app.extensions import db
from app.progress import queries as progress
from app.progress.models import KaderLevel
from app.rosters.membership import open_memberships
from app.rosters.models import Kader, RosterMembership
from app.rosters.nik import mask_nik
from app.rosters.policies import sees_full_nik

ROLES = ("admin", "dinkes", "fasilitator", "kader")


def _kader_json(items: list[Kader], actor: Actor) -> list[dict[str, Any]]:
    ids = [k.id for k in items]
    levels = {
        row.kader_id: row
        for row in db.session.scalars(select(KaderLevel).where(KaderLevel.kader_id.in_(ids)))
    }
    open_rows = open_memberships(ids)
    full = sees_full_nik(actor)
    out = []
    for k in items:
        level, member = levels.get(k.id), open_rows.get(k.id)
        out.append(
            {
                "id": k.id,
                "nik": k.nik if full else mask_nik(k.nik),
                "nik_masked": not full,
                "name": k.name,
                "sex": k.sex,
                "birth_date": k.birth_date.isoformat(),
                "phone": k.phone,
                "education": k.education,
                "start_year": k.start_year,
                "kabupaten": k.kabupaten_code,
                "posyandu_id": member.posyandu_id if member else None,
                "roster_role": member.role if member else None,
                "level": level.level_code if level else None,
                "mastered_skills": level.mastered if level else 0,
                "updated_at": utc(k.updated_at).isoformat(),
            }
        )
    return out


@operation(
    "/kader", "GET", "List kader", tag="kader", roles=ROLES, query=KaderQuery, response=list_of(KaderSchema)
)
def list_kader() -> dict[str, Any]:
    """Kader in the token's area (a kader token: only themself), with their current level.

    With `updated_since`, a kader is listed when their record, level or roster membership
    changed after that moment."""
    actor = require_roles(*ROLES)
    args = load_query(KaderQuery)
    stmt = scoped_select(Kader, actor)
    if "posyandu_id" in args:
        stmt = stmt.where(
            Kader.id.in_(
                select(RosterMembership.kader_id).where(
                    RosterMembership.posyandu_id == args["posyandu_id"], RosterMembership.end_date.is_(None)
                )
            )
        )
    moment = since(args.get("updated_since"))
    if moment is not None:
        stmt = stmt.where(
            or_(
                Kader.updated_at > moment,
                exists().where(KaderLevel.kader_id == Kader.id, KaderLevel.updated_at > moment),
                exists().where(RosterMembership.kader_id == Kader.id, RosterMembership.updated_at > moment),
            )
        )
    rows, last = keyset_page(stmt, Kader.id, decode_int_cursor(args.get("cursor")), args["limit"])
    return {"items": _kader_json(rows, actor), "next": encode_cursor(last.id) if last else None}


@operation("/kader/<int:kader_id>", "GET", "One kader", tag="kader", roles=ROLES, response=KaderSchema)
def get_kader(kader_id: int) -> dict[str, Any]:
    """404 when the kader is outside the token's area."""
    actor = require_roles(*ROLES)
    return _kader_json([get_scoped_or_404(Kader, kader_id, actor)], actor)[0]


@operation(
    "/kader/<int:kader_id>/progress",
    "GET",
    "A kader's progress by skill",
    tag="kader",
    roles=ROLES,
    response=ProgressSchema,
)
def get_progress(kader_id: int) -> dict[str, Any]:
    """Each active skill's status (mastered, ready for the practical, practical only, not yet),
    the level reached, the next level and the skills still missing for it."""
    kader = get_scoped_or_404(Kader, kader_id, require_roles(*ROLES))
    cat = progress.catalog()
    row = progress.statuses([kader.id], cat)[kader.id]
    status = progress.level_status(row, cat)
    return {
        "id": kader.id,
        "level": status.current.code if status.current else None,
        "next_level": status.next.code if status.next else None,
        "missing_skills": list(status.missing_skills),
        "skills": [
            {"code": s.code, "area": s.area_code, "title": localized(s, "title"), "status": row[s.code]}
            for s in cat.skills
        ],
    }
