"""Where finished job files are kept: JOBS_DIR/<kabupaten>/<job id>-<random>.<ext>.

The random part keeps names unguessable and unique across a wiped test database. A file is
written as `.part` and renamed when complete, so a download never sees half a file.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.core.models import utcnow
from app.extensions import db
from app.jobs.models import Job


def district_dir(kabupaten_code: str) -> Path:
    path = Path(current_app.config["JOBS_DIR"]) / kabupaten_code.replace(".", "-")
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_file_name(job: Job, extension: str) -> str:
    return f"{job.id}-{secrets.token_hex(8)}.{extension}"


def file_path(job: Job) -> Path | None:
    """The finished file, or None when there is none (not finished, failed, or pruned)."""
    if not job.file_name:
        return None
    path = district_dir(job.kabupaten_code) / job.file_name
    return path if path.is_file() else None


def save_file(job: Job, data: bytes, download_name: str) -> None:
    """Keep `data` as the job's finished file (for jobs whose output is built in memory, and tests)."""
    name = new_file_name(job, download_name.rsplit(".", 1)[-1])
    (district_dir(job.kabupaten_code) / name).write_bytes(data)
    job.file_name, job.download_name, job.file_size = name, download_name, len(data)


def prune(kabupaten_code: str | None = None) -> int:
    """Delete the files of jobs finished more than JOBS_KEEP_DAYS ago; flushes, returns how many."""
    cutoff = utcnow() - timedelta(days=current_app.config["JOBS_KEEP_DAYS"])
    stmt = select(Job).where(Job.file_name.is_not(None), Job.finished_at < cutoff)
    if kabupaten_code:
        stmt = stmt.where(Job.kabupaten_code == kabupaten_code)
    count = 0
    for job in db.session.scalars(stmt):
        (district_dir(job.kabupaten_code) / str(job.file_name)).unlink(missing_ok=True)
        job.file_name = None
        count += 1
    db.session.flush()
    return count
