"""The one way a page starts a job: start (or find the running one), redirect, and hand it to a
worker once the request has committed it (the worker reads the row)."""

from __future__ import annotations

import logging
from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug import Response

from app.core.scope import current_actor
from app.core.transactions import after_commit
from app.extensions import db
from app.jobs import queue, services
from app.jobs.models import Job

log = logging.getLogger(__name__)


def launch(kind: str, params: dict[str, Any]) -> Response:
    actor = current_actor()
    assert actor.kabupaten_code  # callers let only dinkes, who always has a district, in
    job, created = services.start(kind, actor.kabupaten_code, params, actor.user_id)
    if not created:
        flash(_("Masih ada tugas latar yang berjalan untuk kabupaten ini; tunggu sampai selesai."), "error")
    else:
        job_id = job.id
        after_commit(lambda: _dispatch(job_id))
    return redirect(url_for("jobs.detail", job_id=job.id))


def _dispatch(job_id: int) -> None:
    """Runs after the request's commit, so a failure is recorded in a transaction of its own."""
    job = db.session.get_one(Job, job_id)
    try:
        queue.dispatch(job)
    except Exception as exc:  # Redis down: say so instead of leaving a job queued forever
        log.exception("job %s could not be queued", job.id)
        services.mark_dispatch_failed(job, f"{type(exc).__name__}: {exc}")
        db.session.commit()
        flash(_("Tugas tidak bisa dimasukkan ke antrean. Coba lagi nanti atau hubungi admin."), "error")
        return
    flash(_("Tugas dimulai. Halaman ini menunjukkan kemajuannya."), "success")
