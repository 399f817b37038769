"""Roster import pages for dinkes: template, upload, preview with row problems, commit, discard."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from werkzeug import Response

from app.core.decorators import role_required
from app.core.exports import CSV_MIMETYPE, XLSX_MIMETYPE, to_csv
from app.core.forms import BaseForm
from app.core.scope import current_actor, get_scoped_or_404
from app.rosters import queries
from app.rosters.import_messages import issue_text
from app.rosters.models import RosterImport
from app.rosters.roster_file import TEMPLATE_HEADER, RosterFileError, read_table
from app.rosters.roster_import import (
    ImportResult,
    commit_stored,
    max_rows,
    prepare_table,
    store_upload,
    validate_stored,
)

bp = Blueprint("roster_import", __name__, url_prefix="/kader/impor")
SHOWN_PROBLEMS = 300


class UploadForm(BaseForm):
    file = FileField(
        _l("Berkas roster (CSV atau XLSX)"),
        validators=[FileRequired(_l("Pilih berkas."))],
        render_kw={"accept": ".csv,.xlsx,text/csv"},
    )


class ConfirmForm(BaseForm):
    pass


@bp.route("/", methods=["GET", "POST"])
@role_required("dinkes")
def upload() -> str | Response | tuple[str, int]:
    actor = current_actor()
    form = UploadForm()
    error = None
    if form.validate_on_submit():
        upload_file = form.file.data
        data = upload_file.read()
        filename = (upload_file.filename or "roster")[:200]
        try:
            header, body = read_table(data, filename, max_rows=max_rows())
            digest = hashlib.sha256(data).hexdigest()
            result = prepare_table(
                header, body, actor.kabupaten_code or "", today=date.today(), sha256=digest
            )
        except RosterFileError as exc:
            error = issue_text(exc.issue)
        else:
            record = store_upload(
                actor.kabupaten_code or "", filename, data, header, body, result, user_id=actor.user_id
            )
            return redirect(url_for(".preview", import_id=record.id))
    recent = queries.recent_imports(actor.kabupaten_code or "")
    status = 400 if error or form.errors else 200
    return render_template(
        "rosters/import_upload.html",
        form=form,
        error=error,
        recent=recent,
        max_rows=max_rows(),
        max_mb=current_app.config["MAX_CONTENT_LENGTH"] // 2**20,
    ), status


@bp.route("/templat.<fmt>")
@role_required("dinkes")
def template(fmt: str) -> Response:
    actor = current_actor()
    if fmt == "csv":
        return send_file(
            io.BytesIO(to_csv(TEMPLATE_HEADER, [])),
            mimetype=CSV_MIMETYPE,
            as_attachment=True,
            download_name="templat-roster-kader.csv",
        )
    if fmt != "xlsx":
        return Response(status=404)
    return send_file(
        io.BytesIO(_template_xlsx(actor.kabupaten_code or "")),
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name="templat-roster-kader.xlsx",
    )


def _template_xlsx(kabupaten_code: str) -> bytes:
    from openpyxl import Workbook

    from app.core.exports import neutralise

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Kader"
    sheet.append(list(TEMPLATE_HEADER))
    for column in ("A", "E"):  # NIK and phone keep their leading digits as text
        for cell in sheet[column][1:2000]:
            cell.number_format = "@"
    guide = wb.create_sheet("Petunjuk")
    for line in (
        _("Isi satu baris per kader di lembar Kader. Judul kolom jangan diubah."),
        _("NIK: 16 angka. Jenis Kelamin: L atau P. Tanggal Lahir: 31/12/1985."),
        _("No HP: 08…; boleh kosong. Pendidikan: SD, SMP, SMA, D3, S1, S2 atau tidak sekolah."),
        _("Posyandu: kode atau nama persis seperti di lembar Posyandu."),
        _("Peran: ketua, sekretaris, bendahara atau anggota."),
        _("Tahun Mulai: tahun mulai menjadi kader, misalnya 2019."),
        _("Mengimpor berkas yang sama lagi memperbarui data, tidak membuat data ganda."),
    ):
        guide.append([line])
    posyandu_sheet = wb.create_sheet("Posyandu")
    posyandu_sheet.append([_("Kode"), _("Nama"), _("Desa/kelurahan")])
    for code, name, desa in queries.posyandu_codes_names_desa(kabupaten_code):
        posyandu_sheet.append([neutralise(code), neutralise(name), neutralise(desa)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _load(import_id: int) -> RosterImport:
    return get_scoped_or_404(RosterImport, import_id, current_actor())


def _render_preview(
    record: RosterImport, result: ImportResult | None, file_error: str | None, status: int = 200
) -> tuple[str, int]:
    problems = []
    if result is not None:
        for row in result.rows:
            problems.extend((row.number, "error", issue_text(i)) for i in row.errors)
            problems.extend((row.number, "warning", issue_text(i)) for i in row.warnings)
    changes = [p for p in result.plans if p.action == "update"] if result else []
    created = [p for p in result.plans if p.action == "create"] if result else []
    shown_ids = {p.row.values.get("posyandu_id") for p in created[:SHOWN_PROBLEMS]}
    posyandu_names = queries.posyandu_names(record.kabupaten_code, shown_ids - {None})
    return render_template(
        "rosters/import_preview.html",
        record=record,
        result=result,
        file_error=file_error,
        problems=problems[:SHOWN_PROBLEMS],
        problem_total=len(problems),
        changes=changes[:SHOWN_PROBLEMS],
        created=created[:SHOWN_PROBLEMS],
        created_total=len(created),
        posyandu_names=posyandu_names,
        form=ConfirmForm(),
    ), status


@bp.route("/<int:import_id>")
@role_required("dinkes")
def preview(import_id: int) -> tuple[str, int]:
    record = _load(import_id)
    if record.status != "preview":
        return _render_preview(record, None, None)
    try:
        result = validate_stored(record, date.today())
    except RosterFileError as exc:
        return _render_preview(record, None, issue_text(exc.issue))
    return _render_preview(record, result, None)


@bp.route("/<int:import_id>/commit", methods=["POST"])
@role_required("dinkes")
def commit(import_id: int) -> Response | tuple[str, int]:
    record = _load(import_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for(".preview", import_id=record.id))
    try:
        result = commit_stored(record, user_id=current_actor().user_id, today=date.today())
    except RosterFileError as exc:
        return _render_preview(record, None, issue_text(exc.issue), 400)
    if result is None:  # of two simultaneous clicks only one claims the import
        flash(_("Berkas ini sudah diimpor atau dibatalkan; tidak ada yang diubah."), "info")
        return redirect(url_for(".preview", import_id=record.id))
    if result.errors:
        flash(_("Ada baris yang bermasalah; tidak ada data yang diimpor."), "error")
        return _render_preview(record, result, None, 400)
    flash(
        _(
            "Impor selesai: %(created)d kader baru, %(updated)d diperbarui, %(unchanged)d tidak berubah.",
            **{k: result.counts[k] for k in ("created", "updated", "unchanged")},
        ),
        "success",
    )
    return redirect(url_for(".preview", import_id=record.id))


@bp.route("/<int:import_id>/discard", methods=["POST"])
@role_required("dinkes")
def discard(import_id: int) -> Response:
    record = _load(import_id)
    if ConfirmForm().validate_on_submit() and record.status == "preview":
        record.status = "discarded"
        flash(_("Impor dibatalkan; tidak ada data yang diubah."), "info")
    return redirect(url_for(".upload"))
