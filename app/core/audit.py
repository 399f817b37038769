"""Audit log: who changed what, when, with the values before and after."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, utcnow
from app.extensions import db


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(60))
    # The kabupaten the object belongs to, so dinkes sees only its own trail.
    kabupaten_code: Mapped[str | None] = mapped_column(String(5), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None

    def convert(v: Any) -> Any:
        if isinstance(v, datetime | date):
            return v.isoformat()
        return v

    return json.loads(json.dumps({k: convert(v) for k, v in values.items()}, default=str))


def record(
    action: str,
    obj_type: str,
    obj_id: object,
    *,
    user_id: int | None,
    kabupaten_code: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit row to the current transaction (the caller's commit makes it durable)."""
    entry = AuditLog(
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        user_id=user_id,
        kabupaten_code=kabupaten_code,
        before=_jsonable(before),
        after=_jsonable(after),
    )
    db.session.add(entry)
    return entry
