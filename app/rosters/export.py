"""The district roster export: every kader with Posyandu, role, level and certificate number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, select, true
from sqlalchemy.orm import aliased

from app.extensions import db
from app.rosters.models import Kader, Posyandu, Puskesmas, Pustu, RosterMembership, Wilayah

ROSTER_EXPORT_HEADER = (
    "NIK",
    "Nama",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "No HP",
    "Pendidikan",
    "Tahun Mulai",
    "Kode Posyandu",
    "Posyandu",
    "Desa",
    "Kecamatan",
    "Peran",
    "Tingkat",
    "No Sertifikat",
)


def roster_export_rows(kabupaten_code: str, posyandu_id: int | None = None) -> Iterator[tuple[Any, ...]]:
    """One row per kader (of one Posyandu's current roster when `posyandu_id` is given):
    one query for the roster, one for mastered skills, one for certificates."""
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
    from app.certificates.document import highest_per_kader
    from app.certificates.models import Certificate
    from app.progress.levels import reached_levels

    rows = db.session.execute(stmt.add_columns(Kader.id)).all()
    levels = reached_levels([r[-1] for r in rows])
    numbers = highest_per_kader(  # the highest valid level's number
        db.session.execute(
            select(Certificate.kader_id, Certificate.level_code, Certificate.number).where(
                Certificate.kabupaten_code == kabupaten_code,
                Certificate.status == "valid",
                Certificate.kader_id.in_([r[-1] for r in rows]) if posyandu_id is not None else true(),
            )
        )
    )
    for *values, kader_id in rows:
        level = levels.get(kader_id)
        yield (*values, level.name if level else "", numbers.get(kader_id, ""))


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
