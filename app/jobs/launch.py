"""The one way a page starts a job: start (or find the running one), commit, dispatch, redirect."""

from __future__ import annotations

import logging
from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug import Response

from app.core.scope import current_actor
from app.extensions import db
from app.jobs import queue, services

log = logging.getLogger(__name__)


def launch(kind: str, params: dict[str, Any]) -> Response:
    actor = current_actor()
    assert actor.kabupaten_code  # callers let only dinkes, who always has a district, in
    job, created = services.start(kind, actor.kabupaten_code, params, actor.user_id)
    db.session.commit()  # the worker reads the row: it must exist before it is dispatched
    if not created:
        flash(_("Masih ada tugas latar yang berjalan untuk kabupaten ini; tunggu sampai selesai."), "error")
        return redirect(url_for("jobs.detail", job_id=job.id))
    try:
        queue.dispatch(job)
    except Exception as exc:  # Redis down: say so instead of leaving a job queued forever
        log.exception("job %s could not be queued", job.id)
        services.mark_dispatch_failed(job, f"{type(exc).__name__}: {exc}")
        db.session.commit()
        flash(_("Tugas tidak bisa dimasukkan ke antrean. Coba lagi nanti atau hubungi admin."), "error")
        return redirect(url_for("jobs.detail", job_id=job.id))
    flash(_("Tugas dimulai. Halaman ini menunjukkan kemajuannya."), "success")
    return redirect(url_for("jobs.detail", job_id=job.id))
