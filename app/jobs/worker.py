"""Running one job, the same on both paths: an RQ worker process or the in-process thread."""

from __future__ import annotations

import logging

from flask import Flask, has_app_context
from sqlalchemy import update

from app.core.models import utcnow
from app.extensions import db
from app.jobs import storage
from app.jobs.models import Job
from app.jobs.progress import Progress
from app.jobs.tasks import TASKS, NothingToDo

log = logging.getLogger(__name__)

_worker_app: Flask | None = None


def run_queued_job(job_id: int) -> None:
    """RQ's entry point. `flask jobs worker` runs it inside the app; a bare `rq worker` builds one."""
    if has_app_context():
        # A forked work horse inherits the parent's pooled connections: never share them.
        db.engine.dispose(close=False)
        run_job(job_id)
        return
    global _worker_app
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        run_job(job_id)


def _claim(job_id: int) -> bool:
    """Queued -> running, atomically: a job delivered twice runs once."""
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(status="running", started_at=now, heartbeat_at=now)
    ).rowcount
    db.session.commit()
    return claimed == 1


def run_job(job_id: int) -> None:
    """Run job `job_id` if it is still queued; its file, status and error end up on the row."""
    if not _claim(job_id):
        log.info("job %s is not queued any more; skipped", job_id)
        return
    job = db.session.get(Job, job_id)
    assert job is not None
    task = TASKS[job.kind]
    name = storage.new_file_name(job, task.extension)
    final = storage.district_dir(job.kabupaten_code) / name
    part = final.with_name(name + ".part")
    progress = Progress(job_id)
    try:
        with part.open("wb") as fh:
            download_name = task.run(job, fh, progress)
        part.replace(final)
    except Exception as exc:
        part.unlink(missing_ok=True)
        db.session.rollback()
        if isinstance(exc, NothingToDo):
            error = "empty"
        else:
            log.exception("job %s (%s) failed", job_id, job.kind)
            error = f"{type(exc).__name__}: {exc}"[:1000]
        _finish(job_id, status="failed", error=error)
        return
    _finish(
        job_id,
        status="done",
        done=progress.total or 0,
        file_name=name,
        download_name=download_name,
        file_size=final.stat().st_size,
    )


def _finish(job_id: int, **values: object) -> None:
    db.session.execute(update(Job).where(Job.id == job_id).values(finished_at=utcnow(), **values))
    db.session.commit()
