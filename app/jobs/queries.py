"""Read-only lookups for the job pages."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.rosters.models import Wilayah


def district_kecamatan(kabupaten_code: str) -> list[Wilayah]:
    return list(
        db.session.scalars(
            select(Wilayah)
            .where(Wilayah.parent_code == kabupaten_code, Wilayah.level == "kecamatan")
            .order_by(Wilayah.name)
        )
    )
