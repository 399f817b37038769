"""Handing a committed job to a worker: RQ when REDIS_URL is set, else a thread in this process.

The in-process worker is one thread per app process, so jobs run one after another and never
take more than one core from the pages; RQ workers scale out on their own machines.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor, wait

from flask import Flask, current_app
from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job as RqJob

from app.jobs.models import Job

log = logging.getLogger(__name__)

QUEUE_NAME = "kadercakap"
# Longest a job may run under RQ before it is killed: a kabupaten of 100,000 certificates fits.
RQ_JOB_TIMEOUT = 6 * 3600


def backend() -> str:
    return "rq" if current_app.config.get("REDIS_URL") else "thread"


def redis_connection(url: str | None = None) -> Redis:
    return Redis.from_url(url or current_app.config["REDIS_URL"])


def rq_queue(connection: Redis | None = None) -> Queue:
    return Queue(QUEUE_NAME, connection=connection or redis_connection())


def dispatch(job: Job) -> None:
    """Start `job` (already committed). Raises when Redis refuses it; the caller marks it failed."""
    if job.backend == "rq":
        rq_queue().enqueue_call(
            "app.jobs.worker.run_queued_job",
            args=(job.id,),
            job_id=job.queue_job_id,
            timeout=RQ_JOB_TIMEOUT,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
            description=f"{job.kind} {job.kabupaten_code} #{job.id}",
        )
    else:
        _submit_in_process(current_app._get_current_object(), job.id)  # type: ignore[attr-defined]


def rq_job_lost(job: Job) -> bool:
    """True when RQ no longer holds a queued job that the table still calls queued."""
    try:
        rq_job = RqJob.fetch(str(job.queue_job_id), connection=redis_connection())
    except NoSuchJobError:
        return True
    except Exception:  # Redis unreachable: not evidence that the job is lost
        log.warning("cannot reach Redis to check job %s", job.id, exc_info=True)
        return False
    # "finished" too: RQ ran it, yet the row is still queued, so nothing will ever run it.
    return rq_job.get_status(refresh=False) in ("finished", "failed", "stopped", "canceled")


# ---- the in-process worker ----

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kadercakap-job")
_futures: list[Future] = []


def _run_in_app(app: Flask, job_id: int) -> None:
    from app.jobs.worker import run_job

    with app.app_context():
        try:
            run_job(job_id)
        except Exception:  # run_job records task failures; this is the database itself failing
            log.exception("in-process job %s could not run", job_id)


def _submit_in_process(app: Flask, job_id: int) -> None:
    _futures[:] = [f for f in _futures if not f.done()]
    _futures.append(_executor.submit(_run_in_app, app, job_id))


def wait_for_in_process_jobs(timeout: float = 60) -> None:
    """Block until this process's in-process jobs have finished (CLI and tests)."""
    wait(list(_futures), timeout=timeout)
