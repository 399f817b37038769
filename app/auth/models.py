"""User accounts. Each role carries one scope: kabupaten, Puskesmas or the own kader record."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.models import Base, TimestampMixin
from app.core.roles import Actor
from app.rosters.models import Kader, Puskesmas, Wilayah

ROLES = ("admin", "dinkes", "fasilitator", "kader")


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'dinkes', 'fasilitator', 'kader')", name="role_known"),
        CheckConstraint(
            "(role != 'dinkes' OR kabupaten_code IS NOT NULL)"
            " AND (role != 'fasilitator' OR puskesmas_id IS NOT NULL)"
            " AND (role != 'kader' OR kader_id IS NOT NULL)",
            name="scope_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12), index=True)
    kabupaten_code: Mapped[str | None] = mapped_column(ForeignKey("wilayah.code"), index=True)
    puskesmas_id: Mapped[int | None] = mapped_column(ForeignKey("puskesmas.id"), index=True)
    kader_id: Mapped[int | None] = mapped_column(ForeignKey("kader.id", ondelete="CASCADE"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    last_login_at: Mapped[datetime | None]
    locale: Mapped[str | None] = mapped_column(String(5))
    # Part of every session's identity: raising it ends all sessions of the account at once
    # (logout, password change, PIN reset, "log out everywhere").
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    kabupaten: Mapped[Wilayah | None] = relationship()
    puskesmas: Mapped[Puskesmas | None] = relationship()
    kader: Mapped[Kader | None] = relationship()

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    def end_sessions(self) -> None:
        """Every session cookie issued so far, on any device, stops working."""
        self.session_version = (self.session_version or 1) + 1

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive accounts
        return self.active

    @property
    def actor(self) -> Actor:
        kabupaten = self.kabupaten_code
        if self.role == "fasilitator" and self.puskesmas is not None:
            kabupaten = self.puskesmas.kabupaten_code
        return Actor(
            user_id=self.id,
            role=self.role,
            kabupaten_code=kabupaten,
            puskesmas_id=self.puskesmas_id,
            kader_id=self.kader_id,
        )
