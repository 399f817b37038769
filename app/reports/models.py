"""Summaries the dashboards read instead of scanning whole evidence tables per request."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base


class SessionResultCount(Base):
    """Confirmed practical results per assessment session (a row only while there is one).

    Kept in step with practical_result by app/reports/session_counts.py: the practicals per
    fasilitator and month then sum a row per session instead of joining every result.
    """

    __tablename__ = "session_result_count"
    __table_args__ = (CheckConstraint("confirmed > 0", name="confirmed_positive"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_session.id", ondelete="CASCADE"), primary_key=True
    )
    confirmed: Mapped[int]


class PosyanduKaderCount(Base):
    """Active kader of one Posyandu at one level (NULL: below the first), and how many of them
    hold a valid certificate (a row only while there is such a kader).

    Kept in step with roster_membership, kader_level and certificate by
    app/reports/posyandu_counts.py: the coverage tables then sum a few rows per Posyandu
    instead of joining every membership (1.5 M across the country) per request.
    """

    __tablename__ = "posyandu_kader_count"
    __table_args__ = (
        CheckConstraint("kader > 0 AND certified >= 0 AND certified <= kader", name="counts_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id", ondelete="CASCADE"), index=True)
    level_code: Mapped[str | None] = mapped_column(String(10))
    kader: Mapped[int]
    certified: Mapped[int]


class KabupatenLevelCount(Base):
    """Active kader of one kabupaten at one level (NULL: below the first) and how many of them
    hold a valid certificate, over its active Posyandu: the national and provinsi summaries
    add up ~514 kabupaten instead of every Posyandu. Rolled up from PosyanduKaderCount by
    app/reports/posyandu_counts.py whenever one of the kabupaten's Posyandu is recounted."""

    __tablename__ = "kabupaten_level_count"
    __table_args__ = (
        CheckConstraint("kader > 0 AND certified >= 0 AND certified <= kader", name="counts_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kabupaten_code: Mapped[str] = mapped_column(
        String(13), ForeignKey("wilayah.code", ondelete="CASCADE"), index=True
    )
    level_code: Mapped[str | None] = mapped_column(String(10))
    kader: Mapped[int]
    certified: Mapped[int]


class KabupatenCoverage(Base):
    """Active Posyandu of one kabupaten, and how many have at least four certified kader
    (a row only while the kabupaten has an active Posyandu). Kept with KabupatenLevelCount."""

    __tablename__ = "kabupaten_coverage"
    __table_args__ = (
        CheckConstraint("posyandu > 0 AND with_min_certified BETWEEN 0 AND posyandu", name="counts_valid"),
    )

    kabupaten_code: Mapped[str] = mapped_column(
        String(13), ForeignKey("wilayah.code", ondelete="CASCADE"), primary_key=True
    )
    posyandu: Mapped[int]
    with_min_certified: Mapped[int]
