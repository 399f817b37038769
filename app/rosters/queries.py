"""Read-only roster queries, always scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased, selectinload

from app.core.numbers import parse_id
from app.core.roles import Actor
from app.core.scope import scope_clause, scoped_select
from app.core.text_search import any_contains
from app.extensions import db
from app.rosters.models import Kader, Posyandu, Puskesmas, Pustu, RosterImport, RosterMembership, Wilayah
from app.rosters.policies import sees_full_nik


@dataclass(frozen=True)
class KaderFilters:
    """The kader list's search box and filters, as typed (each at most 100 characters)."""

    q: str = ""
    kecamatan: str = ""
    posyandu: str = ""
    status: str = ""


def posyandu_list(actor: Actor, q: str = "") -> Select[tuple[Posyandu]]:
    stmt = (
        scoped_select(Posyandu, actor)
        .join(Wilayah, Wilayah.code == Posyandu.desa_code)
        .options(selectinload(Posyandu.desa), selectinload(Posyandu.puskesmas))
        .order_by(Wilayah.name, Posyandu.name)
    )
    if q:
        stmt = stmt.where(any_contains(q, Posyandu.name, Posyandu.code, Wilayah.name))
    return stmt


def active_member_counts(posyandu_ids: list[int]) -> dict[int, int]:
    if not posyandu_ids:
        return {}
    rows = db.session.execute(
        select(RosterMembership.posyandu_id, func.count())
        .where(RosterMembership.posyandu_id.in_(posyandu_ids), RosterMembership.end_date.is_(None))
        .group_by(RosterMembership.posyandu_id)
    )
    return {pid: n for pid, n in rows}


def current_roster(posyandu_id: int) -> list[RosterMembership]:
    role_order = {"ketua": 0, "sekretaris": 1, "bendahara": 2, "anggota": 3}
    rows = db.session.scalars(
        select(RosterMembership)
        .where(RosterMembership.posyandu_id == posyandu_id, RosterMembership.end_date.is_(None))
        .options(selectinload(RosterMembership.kader))
    ).all()
    return sorted(rows, key=lambda m: (role_order.get(m.role, 9), m.kader.name))


def count_scoped(model: type, actor: Actor) -> int:
    return db.session.scalar(select(func.count()).select_from(scoped_select(model, actor).subquery())) or 0


def kader_list_query(
    actor: Actor, filters: KaderFilters
) -> Select[tuple[Kader, str | None, str | None, str | None]]:
    """Kader with their current role, Posyandu and desa (none for a kader serving nowhere)."""
    desa = aliased(Wilayah)
    stmt = (
        select(Kader, RosterMembership.role, Posyandu.name, desa.name)
        .outerjoin(
            RosterMembership, and_(RosterMembership.kader_id == Kader.id, RosterMembership.end_date.is_(None))
        )
        .outerjoin(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .outerjoin(desa, desa.code == Posyandu.desa_code)
        .where(scope_clause(Kader, actor))
    )
    q = filters.q
    if q.isascii() and q.isdigit():
        # Prefix search would let a role that sees NIKs masked recover one digit by digit:
        # it finds a kader only by the whole 16-digit number.
        stmt = stmt.where(Kader.nik.startswith(q) if sees_full_nik(actor) else Kader.nik == q)
    elif q:
        stmt = stmt.where(any_contains(q, Kader.name, Posyandu.name, desa.name))
    if filters.kecamatan:
        stmt = stmt.where(desa.parent_code == filters.kecamatan)
    if (posyandu := parse_id(filters.posyandu)) is not None:
        stmt = stmt.where(Posyandu.id == posyandu)
    if filters.status == "aktif":
        stmt = stmt.where(RosterMembership.id.is_not(None))
    elif filters.status == "tidak_aktif":
        stmt = stmt.where(RosterMembership.id.is_(None))
    return stmt.order_by(Kader.name, Kader.id)


def kecamatan_with_posyandu(actor: Actor) -> list[Wilayah]:
    """The kecamatan where the actor sees a Posyandu (the kader list's filter)."""
    return list(
        db.session.scalars(
            select(Wilayah)
            .where(
                Wilayah.level == "kecamatan",
                Wilayah.code.in_(
                    select(func.substr(Posyandu.desa_code, 1, 8)).where(scope_clause(Posyandu, actor))
                ),
            )
            .order_by(Wilayah.name)
        )
    )


def scoped_posyandu(actor: Actor) -> list[Posyandu]:
    return list(db.session.scalars(scoped_select(Posyandu, actor).order_by(Posyandu.name)))


def active_posyandu_of(kabupaten_code: str) -> list[Posyandu]:
    """Where a kader of the district can be placed."""
    return list(
        db.session.scalars(
            select(Posyandu)
            .where(Posyandu.kabupaten_code == kabupaten_code, Posyandu.active)
            .order_by(Posyandu.name)
        )
    )


def kader_with_nik(nik: str | None, other_than: Kader | None) -> Kader | None:
    """Another kader already holding `nik`, anywhere in the country (NIKs are unique)."""
    if nik is None:
        return None
    return db.session.scalar(
        select(Kader).where(Kader.nik == nik, Kader.id != (other_than.id if other_than else -1))
    )


def wilayah_of(kabupaten_code: str, level: str | None = None) -> list[Wilayah]:
    """The kecamatan and desa under a kabupaten (one level when given), ordered by code or name."""
    stmt = select(Wilayah).where(Wilayah.code.like(f"{kabupaten_code}.%"))
    if level is None:
        return list(db.session.scalars(stmt.order_by(Wilayah.code)))
    return list(db.session.scalars(stmt.where(Wilayah.level == level).order_by(Wilayah.name)))


def wilayah(codes: list[str]) -> list[Wilayah]:
    return list(db.session.scalars(select(Wilayah).where(Wilayah.code.in_(codes))))


def puskesmas_of(kabupaten_code: str) -> list[Puskesmas]:
    return list(
        db.session.scalars(
            select(Puskesmas).where(Puskesmas.kabupaten_code == kabupaten_code).order_by(Puskesmas.name)
        )
    )


def facilities(actor: Actor) -> tuple[list[Puskesmas], list[Pustu]]:
    """The Puskesmas (with kecamatan and desa served) and Pustu the actor sees."""
    puskesmas = db.session.scalars(
        scoped_select(Puskesmas, actor)
        .options(selectinload(Puskesmas.kecamatan), selectinload(Puskesmas.desa_served))
        .order_by(Puskesmas.name)
    ).all()
    pustu = db.session.scalars(
        scoped_select(Pustu, actor)
        .options(selectinload(Pustu.desa), selectinload(Pustu.puskesmas))
        .order_by(Pustu.name)
    ).all()
    return list(puskesmas), list(pustu)


def district_kecamatan(kabupaten_code: str) -> list[Wilayah]:
    return list(
        db.session.scalars(
            select(Wilayah)
            .where(Wilayah.parent_code == kabupaten_code, Wilayah.level == "kecamatan")
            .order_by(Wilayah.name)
        )
    )


def wilayah_by_code(code: str) -> Wilayah | None:
    return db.session.get(Wilayah, code)


def all_rows(stmt: Select) -> list:
    """Every row of a list query, for a download (pages use `paginate`)."""
    return list(db.session.execute(stmt).all())


def recent_imports(kabupaten_code: str, limit: int = 10) -> list[RosterImport]:
    return list(
        db.session.scalars(
            select(RosterImport)
            .where(RosterImport.kabupaten_code == kabupaten_code)
            .order_by(RosterImport.id.desc())
            .limit(limit)
        )
    )


def posyandu_codes_names_desa(kabupaten_code: str) -> list[tuple[str, str, str]]:
    """The district's Posyandu for the import template's lookup sheet."""
    return list(
        db.session.execute(
            select(Posyandu.code, Posyandu.name, Wilayah.name)
            .join(Wilayah, Wilayah.code == Posyandu.desa_code)
            .where(Posyandu.kabupaten_code == kabupaten_code)
            .order_by(Wilayah.name, Posyandu.name)
        ).all()
    )


def posyandu_names(kabupaten_code: str, ids: set[int]) -> dict[int, str]:
    return dict(
        db.session.execute(
            select(Posyandu.id, Posyandu.name).where(
                Posyandu.kabupaten_code == kabupaten_code, Posyandu.id.in_(ids)
            )
        ).all()
    )
