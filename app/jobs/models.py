"""A background job's state, shared by the pages and every worker through the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, utcnow

ACTIVE_STATUSES = ("queued", "running")


class Job(Base):
    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
        # One queued or running job per district: the database settles two simultaneous starts.
        Index(
            "uq_job_active_per_district",
            "kabupaten_code",
            unique=True,
            sqlite_where=text("status IN ('queued', 'running')"),
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
        Index("ix_job_kabupaten_created", "kabupaten_code", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # a key of app.jobs.tasks.TASKS
    kabupaten_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    backend: Mapped[str] = mapped_column(String(10))  # "rq" or "thread"
    queue_job_id: Mapped[str | None] = mapped_column(String(60))  # the RQ job, to tell a lost one
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(120))  # inside JOBS_DIR/<kabupaten>/
    download_name: Mapped[str | None] = mapped_column(String(120))
    file_size: Mapped[int | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)
