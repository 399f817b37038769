"""Starting jobs (one active per district, audited) and retiring jobs whose worker vanished."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.models import utc, utcnow
from app.extensions import db
from app.jobs import queue, storage
from app.jobs.models import ACTIVE_STATUSES, Job

ABANDONED = "abandoned"  # the error of a job whose worker stopped without finishing it


def active_job(kabupaten_code: str) -> Job | None:
    return db.session.scalar(
        select(Job).where(Job.kabupaten_code == kabupaten_code, Job.status.in_(ACTIVE_STATUSES))
    )


def is_abandoned(job: Job) -> bool:
    """A running job without a heartbeat for JOBS_STALE_MINUTES, a queued in-process job as old
    (its process restarted), or a queued RQ job that RQ no longer holds."""
    stale = utcnow() - timedelta(minutes=current_app.config["JOBS_STALE_MINUTES"])
    if job.status == "running":
        return utc(job.heartbeat_at or job.created_at) < stale
    if job.status == "queued" and job.backend == "thread":
        return utc(job.created_at) < stale
    if job.status == "queued" and job.backend == "rq":
        return queue.rq_job_lost(job)
    return False


def retire_if_abandoned(job: Job | None) -> Job | None:
    """Mark an abandoned job failed (flushes); returns the job if it is still active."""
    if job is None or not job.active:
        return None
    if is_abandoned(job):
        job.status, job.error, job.finished_at = "failed", ABANDONED, utcnow()
        db.session.flush()
        return None
    return job


def start(kind: str, kabupaten_code: str, params: dict[str, Any], user_id: int) -> tuple[Job, bool]:
    """A new queued job, or the district's active one (False) when one is queued or running.
    Flushes and audits; the view commits and then dispatches."""
    running = retire_if_abandoned(active_job(kabupaten_code))
    if running is not None:
        return running, False
    storage.prune(kabupaten_code)
    backend = queue.backend()
    job = Job(
        kind=kind,
        kabupaten_code=kabupaten_code,
        params=params,
        status="queued",
        backend=backend,
        queue_job_id=f"kadercakap-{secrets.token_hex(8)}" if backend == "rq" else None,
        created_by=user_id,
    )
    try:
        with db.session.begin_nested():  # a colleague's simultaneous start wins the unique index
            db.session.add(job)
            db.session.flush()
    except IntegrityError:
        winner = active_job(kabupaten_code)
        if winner is None:
            raise
        return winner, False
    audit.record(
        "job.started",
        "job",
        job.id,
        user_id=user_id,
        kabupaten_code=kabupaten_code,
        after={"kind": kind, **params, "backend": backend},
    )
    return job, True


def mark_dispatch_failed(job: Job, error: str) -> None:
    job.status, job.error, job.finished_at = "failed", error[:1000], utcnow()
    db.session.flush()
