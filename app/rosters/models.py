"""Area hierarchy, health facilities, Posyandu, kader and roster membership."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, LargeBinary, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import Base, TimestampMixin, utcnow

WILAYAH_LEVELS = ("provinsi", "kabupaten", "kecamatan", "desa")
ROSTER_ROLES = ("ketua", "sekretaris", "bendahara", "anggota")
EDUCATION_LEVELS = ("tidak_sekolah", "sd", "smp", "sma", "d3", "s1", "s2")
SEXES = ("L", "P")


def kabupaten_of(code: str) -> str:
    """'33.29.04.2001' -> '33.29' (Kemendagri codes nest by prefix)."""
    return ".".join(code.split(".")[:2])


class Wilayah(Base):
    """A Kemendagri area: provinsi (33), kabupaten/kota (33.29), kecamatan (33.29.04), desa."""

    __tablename__ = "wilayah"
    __table_args__ = (
        CheckConstraint("level IN ('provinsi', 'kabupaten', 'kecamatan', 'desa')", name="level_known"),
    )

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(10))
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("wilayah.code", ondelete="RESTRICT"), index=True
    )
    parent: Mapped[Wilayah | None] = relationship(remote_side=[code])

    @property
    def kabupaten_code(self) -> str:
        return kabupaten_of(self.code)


puskesmas_desa = Table(
    "puskesmas_desa",
    Base.metadata,
    Column("puskesmas_id", ForeignKey("puskesmas.id", ondelete="CASCADE"), primary_key=True),
    Column("desa_code", ForeignKey("wilayah.code", ondelete="RESTRICT"), primary_key=True),
)


class Puskesmas(TimestampMixin, Base):
    __tablename__ = "puskesmas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kecamatan_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    # Derived from kecamatan_code at creation; stored so scope filters need no join.
    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    kecamatan: Mapped[Wilayah] = relationship(foreign_keys=[kecamatan_code])
    desa_served: Mapped[list[Wilayah]] = relationship(secondary=puskesmas_desa)


class Pustu(TimestampMixin, Base):
    __tablename__ = "pustu"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    desa_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    puskesmas_id: Mapped[int] = mapped_column(ForeignKey("puskesmas.id"), index=True)
    desa: Mapped[Wilayah] = relationship()
    puskesmas: Mapped[Puskesmas] = relationship()


class Posyandu(TimestampMixin, Base):
    __tablename__ = "posyandu"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    desa_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    dusun_rw: Mapped[str | None] = mapped_column(String(80))
    puskesmas_id: Mapped[int] = mapped_column(ForeignKey("puskesmas.id"), index=True)
    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    desa: Mapped[Wilayah] = relationship(foreign_keys=[desa_code])
    puskesmas: Mapped[Puskesmas] = relationship()


class Kader(TimestampMixin, Base):
    __tablename__ = "kader"
    __table_args__ = (
        CheckConstraint("sex IN ('L', 'P')", name="sex_known"),
        CheckConstraint("length(nik) = 16", name="nik_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date]
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    education: Mapped[str | None] = mapped_column(String(20))
    start_year: Mapped[int | None]
    # The district whose dinkes keeps this kader's record (scope for dinkes users).
    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    memberships: Mapped[list[RosterMembership]] = relationship(
        back_populates="kader", order_by="RosterMembership.start_date"
    )

    @property
    def current_membership(self) -> RosterMembership | None:
        return next((m for m in self.memberships if m.end_date is None), None)


class RosterMembership(TimestampMixin, Base):
    """A kader's period of service at a Posyandu. Rows are closed, never overwritten."""

    __tablename__ = "roster_membership"
    __table_args__ = (
        CheckConstraint("role IN ('ketua', 'sekretaris', 'bendahara', 'anggota')", name="role_known"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        # At most one open membership per kader.
        Index(
            "uq_roster_membership_open",
            "kader_id",
            unique=True,
            sqlite_where=text("end_date IS NULL"),
            postgresql_where=text("end_date IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kader_id: Mapped[int] = mapped_column(ForeignKey("kader.id", ondelete="CASCADE"), index=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(String(200))
    kader: Mapped[Kader] = relationship(back_populates="memberships")
    posyandu: Mapped[Posyandu] = relationship()


class RosterImport(Base):
    """An uploaded roster file kept between preview and commit (app servers keep no files)."""

    __tablename__ = "roster_import"
    __table_args__ = (
        CheckConstraint("status IN ('preview', 'committed', 'discarded')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The table as read at upload: preview and commit validate it again, never re-parse the file.
    parsed_table: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="preview")
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    committed_at: Mapped[datetime | None]
