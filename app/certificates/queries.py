"""Read-only lookups for the certificate pages, the batch PDF and the roster export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from app.certificates.document import highest_per_kader
from app.certificates.models import Certificate
from app.core.numbers import parse_id
from app.core.roles import Actor
from app.core.scope import scope_clause, scoped_select
from app.core.text_search import any_contains
from app.curriculum.levels import level_rank
from app.extensions import db
from app.progress.levels import active_levels, reached_levels
from app.rosters.models import Kader, Posyandu, RosterMembership, Wilayah
from app.rosters.queries import district_kecamatan


def certificate_list(actor: Actor, q: str, status: str) -> Select:
    """The actor's certificates, newest first, found by kader name or number and by status."""
    stmt = scoped_select(Certificate, actor).join(Kader, Kader.id == Certificate.kader_id)
    if q:
        stmt = stmt.where(any_contains(q, Kader.name, Certificate.number))
    if status in ("valid", "revoked"):
        stmt = stmt.where(Certificate.status == status)
    return stmt.order_by(Certificate.id.desc())


def roster_rows(kabupaten_code: str, filters: dict[str, str]) -> list[tuple[Kader, Posyandu]]:
    """(kader, Posyandu) of every active roster membership in the district, narrowed by the
    kecamatan, desa and Posyandu filters, by place then name."""
    stmt = (
        select(Kader, Posyandu)
        .join(RosterMembership, (RosterMembership.kader_id == Kader.id) & RosterMembership.end_date.is_(None))
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .join(Wilayah, Wilayah.code == Posyandu.desa_code)
        .where(Kader.kabupaten_code == kabupaten_code)
    )
    if filters.get("kecamatan"):
        stmt = stmt.where(Wilayah.parent_code == filters["kecamatan"])
    if filters.get("desa"):
        stmt = stmt.where(Posyandu.desa_code == filters["desa"])
    if (posyandu_id := parse_id(filters.get("posyandu", ""))) is not None:
        stmt = stmt.where(Posyandu.id == posyandu_id)
    rows = db.session.execute(stmt.order_by(Wilayah.name, Posyandu.name, Kader.name)).all()
    return [(kader, posyandu) for kader, posyandu in rows]


def valid_levels_held(kabupaten_code: str) -> set[tuple[int, str]]:
    """(kader id, level code) of every valid certificate of the district."""
    rows = db.session.execute(
        select(Certificate.kader_id, Certificate.level_code).where(
            Certificate.kabupaten_code == kabupaten_code, Certificate.status == "valid"
        )
    )
    return {(kader_id, level_code) for kader_id, level_code in rows}


def count_in_scope(kader_ids: set[int], actor: Actor) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Kader).where(Kader.id.in_(kader_ids), scope_clause(Kader, actor))
        )
        or 0
    )


@dataclass(frozen=True)
class PlaceFilters:
    """The choices of the eligible list's place filters, each narrowed by the one above."""

    kecamatan: list[Wilayah]
    desa: list[Wilayah]
    posyandu: list[Posyandu]


def place_filters(kabupaten_code: str, filters: dict[str, str]) -> PlaceFilters:
    kecamatan = district_kecamatan(kabupaten_code)
    desa_stmt = select(Wilayah).where(Wilayah.level == "desa", Wilayah.code.like(f"{kabupaten_code}.%"))
    if filters.get("kecamatan"):
        desa_stmt = desa_stmt.where(Wilayah.parent_code == filters["kecamatan"])
    posyandu_stmt = select(Posyandu).where(Posyandu.kabupaten_code == kabupaten_code)
    if filters.get("desa"):
        posyandu_stmt = posyandu_stmt.where(Posyandu.desa_code == filters["desa"])
    return PlaceFilters(
        list(kecamatan),
        list(db.session.scalars(desa_stmt.order_by(Wilayah.name))),
        list(db.session.scalars(posyandu_stmt.order_by(Posyandu.name))),
    )


def replacement_of(cert: Certificate) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.replaces_id == cert.id))


def certificates_of_kader(kader_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate).where(Certificate.kader_id == kader_id).order_by(Certificate.issued_on.desc())
        )
    )


def by_verification_code(code: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.verification_code == code))


def valid_certificates_of(kader_ids: list[int]) -> list[Certificate]:
    """The valid certificates of these kader, by number."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.kader_id.in_(kader_ids), Certificate.status == "valid")
            .order_by(Certificate.number)
        )
    )


def highest_valid_per_kader(certs: Iterable[Certificate]) -> dict[int, Certificate]:
    """kader id -> their certificate of the highest level (ranked by the curriculum's levels)."""
    return highest_per_kader(((c.kader_id, c.level_code, c) for c in certs), level_rank(active_levels()))


def highest_valid_numbers(kabupaten_code: str, kader_ids: list[int] | None = None) -> dict[int, str]:
    """kader id -> number of their highest valid certificate in the district (all kader, or these)."""
    stmt = select(Certificate.kader_id, Certificate.level_code, Certificate.number).where(
        Certificate.kabupaten_code == kabupaten_code, Certificate.status == "valid"
    )
    if kader_ids is not None:
        stmt = stmt.where(Certificate.kader_id.in_(kader_ids))
    rows = ((kader_id, code, number) for kader_id, code, number in db.session.execute(stmt))
    return highest_per_kader(rows, level_rank(active_levels()))


def kader_standing(
    kabupaten_code: str, kader_ids: list[int], whole_district: bool
) -> tuple[dict[int, str], dict[int, str]]:
    """The roster export's level and certificate columns (app.rosters.export.KaderStanding):
    kader id -> name of the level reached, and -> number of the highest valid certificate."""
    levels = reached_levels(kader_ids)
    numbers = highest_valid_numbers(kabupaten_code, None if whole_district else kader_ids)
    return {k: level.name for k, level in levels.items() if level is not None}, numbers
