"""Certificates with their verification URL and status, and level summaries per wilayah."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_

from app.api.auth import require_roles
from app.api.paging import decode_code_cursor, decode_int_cursor, encode_cursor, envelope, keyset_page, since
from app.api.problems import ApiProblem
from app.api.registry import list_of, load_query, operation
from app.api.schemas import CertificateQuery, CertificateSchema, LevelSummarySchema, SummaryQuery
from app.certificates.models import Certificate
from app.certificates.rendering import verify_url
from app.core.models import utc
from app.core.roles import STAFF_ROLES
from app.core.scope import get_scoped_or_404, scoped_select
from app.progress.levels import levels_and_areas
from app.reports import nodes
from app.reports.queries import level_counts, unit_keys, unit_names

CERTIFICATE_ROLES = ("admin", "dinkes", "kader")  # as the certificate pages: not fasilitator
STAFF = tuple(sorted(STAFF_ROLES))
NO_LEVEL = "none"  # kader below the first level, in level summaries


def certificate_json(c: Certificate) -> dict[str, Any]:
    return {
        "id": c.id,
        "number": c.number,
        "kader_id": c.kader_id,
        "level": c.level_code,
        "kabupaten": c.kabupaten_code,
        "issued_on": c.issued_on.isoformat(),
        "status": c.status,
        "revoked_at": utc(c.revoked_at).isoformat() if c.revoked_at else None,
        "replaces_id": c.replaces_id,
        "verification_url": verify_url(c),
        "created_at": utc(c.created_at).isoformat(),
    }


@operation(
    "/certificates", "GET", "List certificates", tag="certificates", roles=CERTIFICATE_ROLES,
    query=CertificateQuery, response=list_of(CertificateSchema),
)  # fmt: skip
def list_certificates() -> dict[str, Any]:
    """Certificates of the token's kabupaten (a kader token: their own). With `updated_since`,
    those issued or revoked after that moment."""
    actor = require_roles(*CERTIFICATE_ROLES)
    args = load_query(CertificateQuery)
    stmt = scoped_select(Certificate, actor)
    if "status" in args:
        stmt = stmt.where(Certificate.status == args["status"])
    if "kader_id" in args:
        stmt = stmt.where(Certificate.kader_id == args["kader_id"])
    moment = since(args.get("updated_since"))
    if moment is not None:
        stmt = stmt.where(or_(Certificate.created_at > moment, Certificate.revoked_at > moment))
    rows, last = keyset_page(stmt, Certificate.id, decode_int_cursor(args.get("cursor")), args["limit"])
    return envelope(rows, last, certificate_json, lambda c: c.id)


@operation(
    "/certificates/<int:certificate_id>", "GET", "One certificate", tag="certificates",
    roles=CERTIFICATE_ROLES, response=CertificateSchema,
)  # fmt: skip
def get_certificate(certificate_id: int) -> dict[str, Any]:
    """404 when it is outside the token's area."""
    return certificate_json(get_scoped_or_404(Certificate, certificate_id, require_roles(*CERTIFICATE_ROLES)))


SUMMARY_RESPONSE = {
    **list_of(LevelSummarySchema),
    "required": ["items", "next", "area"],
    "properties": {
        **list_of(LevelSummarySchema)["properties"],
        "area": {
            "type": "object",
            "required": ["id", "kind", "name"],
            "properties": {
                "id": {"type": ["string", "null"]},
                "kind": {"type": "string"},
                "name": {"type": "string"},
            },
        },
    },
}


@operation(
    "/level-summaries", "GET", "Kader per level, by unit of a wilayah", tag="reports", roles=STAFF,
    query=SummaryQuery, response=SUMMARY_RESPONSE,
)  # fmt: skip
def list_level_summaries() -> dict[str, Any]:
    """Active kader per level in each unit below `wilayah` (kabupaten -> kecamatan -> desa ->
    Posyandu), the same figures as the dashboard. Without `wilayah`: the token's own area."""
    actor = require_roles(*STAFF)
    args = load_query(SummaryQuery)
    resolved = nodes.resolve(actor, args.get("wilayah"))
    if resolved is None:
        raise ApiProblem(404, "No such wilayah in the token's area.", type_="not-found")
    node = resolved[0]
    after = decode_code_cursor(args.get("cursor"))
    keys = [k for k in unit_keys(node) if k > after]
    page, more = keys[: args["limit"]], len(keys) > args["limit"]
    counts, names = level_counts(node), unit_names(node, page)
    order: list[str | None] = [level.code for level in levels_and_areas()[0]] + [None]
    items = []
    for key in page:
        per_level = counts.get(key, {})
        items.append(
            {
                "id": key,
                "kind": node.child_kind,
                "name": names.get(key, key),
                "total": sum(per_level.values()),
                "levels": [{"level": code or NO_LEVEL, "kader": per_level.get(code, 0)} for code in order],
            }
        )
    return {
        "area": {"id": node.code, "kind": node.kind, "name": node.name},
        "items": items,
        "next": encode_cursor(page[-1]) if more else None,
    }
