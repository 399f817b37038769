"""Job pages for dinkes: the district's jobs, one job's progress, its status as JSON, its file."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug import Response

from app.auth.models import User
from app.core.decorators import role_required
from app.core.exports import XLSX_MIMETYPE
from app.core.forms import BaseForm
from app.core.scope import current_actor, get_scoped_or_404, scoped_select
from app.extensions import db
from app.jobs import services, storage
from app.jobs.launch import launch
from app.jobs.models import Job
from app.rosters.models import Wilayah
from app.rosters.queries import district_kecamatan

bp = Blueprint("jobs", __name__, url_prefix="/tugas")

MIMETYPES = {"pdf": "application/pdf", "xlsx": XLSX_MIMETYPE}


def _load(job_id: int) -> Job:
    """The job in the user's district (else 404), retired first if its worker has vanished."""
    job = get_scoped_or_404(Job, job_id, current_actor())
    if job.active:
        services.retire_if_abandoned(job)
    return job


@bp.route("/")
@role_required("dinkes")
def index() -> str:
    actor = current_actor()
    jobs = db.session.scalars(scoped_select(Job, actor).order_by(Job.id.desc()).limit(20)).all()
    return render_template(
        "jobs/index.html",
        jobs=jobs,
        form=BaseForm(),
        kecamatan=district_kecamatan(actor.kabupaten_code or ""),
    )


@bp.route("/<int:job_id>")
@role_required("dinkes")
def detail(job_id: int) -> str:
    job = _load(job_id)
    starter = db.session.get(User, job.created_by) if job.created_by else None
    return render_template(
        "jobs/detail.html", job=job, starter=starter, has_file=storage.file_path(job) is not None
    )


@bp.route("/<int:job_id>.json")
@role_required("dinkes")
def status(job_id: int) -> Response:
    job = _load(job_id)
    ready = job.status == "done" and storage.file_path(job) is not None
    return jsonify(
        status=job.status,
        done=job.done,
        total=job.total,
        percent=job.percent,
        download_url=url_for(".download", job_id=job.id, name=job.download_name) if ready else None,
    )


@bp.route("/<int:job_id>/unduh/<name>")
@role_required("dinkes")
def download(job_id: int, name: str) -> Response:
    """The finished file, under its own name (so the URL ends in .pdf or .xlsx)."""
    job = _load(job_id)
    path = storage.file_path(job) if job.status == "done" else None
    if path is None:
        flash(_("Berkas tugas ini belum siap atau sudah dihapus."), "error")
        return redirect(url_for(".detail", job_id=job.id))
    if name != job.download_name:
        abort(404)
    return send_file(
        path,
        mimetype=MIMETYPES.get(path.suffix.lstrip("."), "application/octet-stream"),
        as_attachment=True,
        download_name=job.download_name or path.name,
    )


@bp.route("/ekspor-kader", methods=["POST"])
@role_required("dinkes")
def start_kader_export() -> Response:
    # CSRFProtect has already refused a post without a valid token (400).
    return launch("kader_export", {})


@bp.route("/cetak-sertifikat", methods=["POST"])
@role_required("dinkes")
def start_certificates_print() -> Response:
    """Every valid certificate of the kabupaten, or of one kecamatan, as one PDF made by a job."""
    actor = current_actor()
    code = request.form.get("kecamatan", "").strip()[:20]
    params: dict[str, str] = {}
    if code:
        kecamatan = db.session.get(Wilayah, code)
        if kecamatan is None or (kecamatan.level, kecamatan.parent_code) != (
            "kecamatan",
            actor.kabupaten_code,
        ):
            abort(404)  # another district's kecamatan, or no kecamatan at all
        params = {"kecamatan": kecamatan.code, "kecamatan_name": kecamatan.name}
    return launch("certificates_print", params)
