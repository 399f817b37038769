"""Certificates, their per-district gap-free counters, district signatory settings and signing keys."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import Base, utcnow
from app.rosters.models import Kader


class Certificate(Base):
    __tablename__ = "certificate"
    __table_args__ = (
        CheckConstraint("status IN ('valid', 'revoked')", name="status_known"),
        # One valid certificate per kader and level.
        Index(
            "uq_certificate_valid_level",
            "kader_id",
            "level_code",
            unique=True,
            sqlite_where=text("status = 'valid'"),
            postgresql_where=text("status = 'valid'"),
        ),
        Index("ix_certificate_kabupaten_year", "kabupaten_code", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"))
    year: Mapped[int]
    sequence: Mapped[int]
    kader_id: Mapped[int] = mapped_column(ForeignKey("kader.id"), index=True)
    level_code: Mapped[str] = mapped_column(String(10))  # a code of the curriculum's levels
    issued_on: Mapped[date]
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="valid")
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), index=True)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kader: Mapped[Kader] = relationship()
    replaces: Mapped[Certificate | None] = relationship(remote_side=[id])


class CertificateCounter(Base):
    """Last sequence used per district and year; incremented under a row lock (gap-free)."""

    __tablename__ = "certificate_counter"

    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_sequence: Mapped[int] = mapped_column(default=0)


class DistrictSettings(Base):
    """Who signs a district's certificates, and the images printed on them."""

    __tablename__ = "district_settings"

    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), primary_key=True)
    office_name: Mapped[str] = mapped_column(String(160))
    signatory_name: Mapped[str] = mapped_column(String(120))
    signatory_title: Mapped[str] = mapped_column(String(160))
    signatory_nip: Mapped[str] = mapped_column(String(30))
    place: Mapped[str] = mapped_column(String(80))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CertificateImage(Base):
    """A logo or signature image as printed on certificates, kept by content hash.

    Snapshots name images by hash, so a certificate keeps the images of its day of issue
    after the district uploads new ones; identical uploads are stored once.
    """

    __tablename__ = "certificate_image"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssuerKey(Base):
    """A district's Ed25519 key for Open Badges; the private half is encrypted with the app key."""

    __tablename__ = "issuer_key"

    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
