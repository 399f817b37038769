"""Roster downloads: the district roster export (every kader with Posyandu, role, level and
certificate number), the kader and Posyandu list downloads, facilities and wilayah tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy import and_, select, true
from sqlalchemy.orm import aliased

from app.extensions import db
from app.rosters import columns
from app.rosters.labels import EDUCATION_LABELS, ROLE_LABELS
from app.rosters.models import Kader, Posyandu, Puskesmas, Pustu, RosterMembership, Wilayah
from app.rosters.nik import mask_nik

ROSTER_EXPORT_HEADER = columns.headers(columns.EXPORT)
KADER_LIST_HEADER = columns.headers(columns.LIST_DOWNLOAD)


class KaderStanding(Protocol):
    """(kabupaten, kader ids, whether they are the whole district) -> (level name, number of the
    highest valid certificate) by kader id. Levels and certificates sit above rosters, which
    imports neither: create_app registers the provider (`register_kader_standing`)."""

    def __call__(
        self, kabupaten_code: str, kader_ids: list[int], whole_district: bool
    ) -> tuple[Mapping[int, str], Mapping[int, str]]: ...


STANDING_KEY = "rosters.kader_standing"


def register_kader_standing(app: Flask, provider: KaderStanding) -> None:
    app.extensions[STANDING_KEY] = provider


def _no_standing(
    kabupaten_code: str, kader_ids: list[int], whole_district: bool
) -> tuple[Mapping[int, str], Mapping[int, str]]:
    return {}, {}


def roster_export_rows(kabupaten_code: str, posyandu_id: int | None = None) -> Iterator[tuple[Any, ...]]:
    """One row per kader (of one Posyandu's current roster when `posyandu_id` is given): one
    query for the roster, then the registered KaderStanding for the level and certificate."""
    desa = aliased(Wilayah)
    kecamatan = aliased(Wilayah)
    stmt = (
        select(
            Kader.nik,
            Kader.name,
            Kader.sex,
            Kader.birth_date,
            Kader.phone,
            Kader.education,
            Kader.start_year,
            Posyandu.code,
            Posyandu.name,
            desa.name,
            kecamatan.name,
            RosterMembership.role,
        )
        .outerjoin(
            RosterMembership, and_(RosterMembership.kader_id == Kader.id, RosterMembership.end_date.is_(None))
        )
        .outerjoin(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .outerjoin(desa, desa.code == Posyandu.desa_code)
        .outerjoin(kecamatan, kecamatan.code == desa.parent_code)
        .where(Kader.kabupaten_code == kabupaten_code)
        .where(Posyandu.id == posyandu_id if posyandu_id is not None else true())
        .order_by(kecamatan.name, desa.name, Posyandu.name, Kader.name)
    )
    rows = db.session.execute(stmt.add_columns(Kader.id)).all()
    standing = current_app.extensions.get(STANDING_KEY, _no_standing)
    levels, numbers = standing(kabupaten_code, [r[-1] for r in rows], posyandu_id is None)
    for *values, kader_id in rows:
        yield (*values, levels.get(kader_id, ""), numbers.get(kader_id, ""))


FACILITY_HEADER = ("Jenis", "Kode", "Nama", "Kecamatan", "Desa/Kelurahan", "Puskesmas induk", "Desa dilayani")


def facilities_table(puskesmas: list[Puskesmas], pustu: list[Pustu]) -> tuple[tuple[str, ...], list[tuple]]:
    """Puskesmas (with the desa each serves) and Pustu (with its Puskesmas) in one table."""
    rows: list[tuple] = [
        (
            "Puskesmas",
            p.code,
            p.name,
            p.kecamatan.name,
            "",
            "",
            ", ".join(sorted(d.name for d in p.desa_served)),
        )
        for p in puskesmas
    ]
    rows += [("Pustu", "", p.name, "", p.desa.name, p.puskesmas.name, "") for p in pustu]
    return FACILITY_HEADER, rows


WILAYAH_HEADER = ("Kode", "Nama", "Tingkat", "Kode induk")


def wilayah_table(areas: list[Wilayah]) -> tuple[tuple[str, ...], list[tuple]]:
    """Kemendagri codes as kept here; the same columns `flask wilayah import` reads first."""
    return WILAYAH_HEADER, [(a.code, a.name, a.level, a.parent_code or "") for a in areas]


def kader_list_table(
    rows: Iterable[tuple[Kader, str | None, str | None, str | None]], full_nik: bool
) -> list[tuple[Any, ...]]:
    """The kader list download: rows of `queries.kader_list_query`, labels in the user's language."""
    return [
        (
            k.nik if full_nik else mask_nik(k.nik),
            k.name,
            k.sex,
            k.birth_date,
            k.phone,
            str(EDUCATION_LABELS.get(k.education or "", k.education or "")),
            k.start_year,
            posyandu or "",
            desa or "",
            str(ROLE_LABELS.get(role, role)) if role else "",
            "aktif" if role else "tidak aktif",
        )
        for k, role, posyandu, desa in rows
    ]


POSYANDU_HEADER = ("Kode", "Nama", "Desa", "Dusun/RW", "Puskesmas", "Aktif", "Kader aktif")


def posyandu_table(items: list[Posyandu], counts: dict[int, int]) -> list[tuple[Any, ...]]:
    return [
        (
            p.code,
            p.name,
            p.desa.name,
            p.dusun_rw or "",
            p.puskesmas.name,
            "ya" if p.active else "tidak",
            counts.get(p.id, 0),
        )
        for p in items
    ]
