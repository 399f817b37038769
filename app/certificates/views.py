"""Certificate pages for dinkes and kader: the list, who is ready, issue, revoke, re-issue, PDFs.

Routes only: the rule for who can be certified is in eligibility.py, the lookups in queries.py,
the changes in services.py. The request handler commits (app/core/transactions.py).
"""

from __future__ import annotations

import io
import tempfile

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug import Response

from app.certificates import public_views, queries, settings_views  # noqa: F401 - their routes join bp
from app.certificates.blueprints import bp, messages, public  # noqa: F401 - `public` is registered by create_app
from app.certificates.document import CertificateSnapshot
from app.certificates.eligibility import Candidate, candidates, sort_choice
from app.certificates.forms import ReasonForm
from app.certificates.models import Certificate
from app.certificates.rendering import badge, certificate_pdf, posyandu_batch_pdf, verify_url
from app.certificates.services import CertificateError, issue, reissue, revoke
from app.core.decorators import role_required
from app.core.forms import BaseForm
from app.core.local_time import local_today
from app.core.numbers import parse_id
from app.core.pagination import paginate
from app.core.roles import Actor
from app.core.scope import current_actor, get_scoped_or_404
from app.extensions import db
from app.progress.levels import active_levels, reached_levels
from app.rosters.models import Kader, Posyandu
from app.rosters.queries import district_kecamatan

ISSUED_LINKS_MAX = 5  # more new certificates than this: the message links to the list instead


@bp.route("/sertifikat/")
@role_required("dinkes", "admin")  # admin reads every district's list
def index() -> str:
    actor = current_actor()
    q = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "")
    page = paginate(queries.certificate_list(actor, q, status), request.args.get("page", 1, type=int))
    return render_template(
        "certificates/index.html",
        page=page,
        q=q,
        status=status,
        print_form=BaseForm(),
        kecamatan=district_kecamatan(actor.kabupaten_code or ""),
    )


@bp.route("/sertifikat/siap", methods=["GET", "POST"])
@role_required("dinkes")
def eligible() -> str | Response:
    actor = current_actor()
    form = BaseForm()
    filters = {k: request.values.get(k, "") for k in ("kecamatan", "desa", "posyandu")}
    rows = queries.roster_rows(actor.kabupaten_code or "", filters)
    held = queries.valid_levels_held(actor.kabupaten_code or "")
    found = candidates(rows, reached_levels([k.id for k, _ in rows]), held)
    if request.method == "POST" and form.validate_on_submit():
        chosen = {i for i in map(parse_id, request.form.getlist("kader_id")) if i is not None}
        _require_in_scope(chosen - {c.kader.id for c in found}, actor)
        choice = sort_choice(chosen, found, held)
        names = {k.id: k.name for k, _ in rows}
        problems = [
            f"{names.get(i, i)}: {messages()['already_certified']}" for i in choice.certified_meanwhile
        ]
        problems += [
            _("Kader #%(id)d tidak memenuhi syarat atau di luar kabupaten.", id=i)
            for i in choice.not_eligible
        ]
        issued = _issue_each(choice.to_issue, actor, problems)
        if issued:
            flash(_issued_message(issued), "success")
        for p in problems:
            flash(p, "error")
        return redirect(url_for(".eligible", **{k: v for k, v in filters.items() if v}))
    places = queries.place_filters(actor.kabupaten_code or "", filters)
    return render_template(
        "certificates/eligible.html",
        candidates=found,
        form=form,
        filters=filters,
        kecamatan=places.kecamatan,
        desa=places.desa,
        posyandu=places.posyandu,
    )


def _issue_each(
    chosen: list[Candidate[Kader, Posyandu]], actor: Actor, problems: list[str]
) -> list[Certificate]:
    """Issue each candidate's certificate in its own savepoint: one refusal leaves the others."""
    issued: list[Certificate] = []
    for candidate in chosen:
        kader = candidate.kader
        try:
            with db.session.begin_nested():
                today = local_today(kader.kabupaten_code)  # the district's date, not UTC's
                issued.append(issue(kader, candidate.level.code, user_id=actor.user_id, today=today))
        except CertificateError as exc:
            problems.append(f"{kader.name}: {messages()[exc.code]}")
    return issued


def _issued_message(issued: list[Certificate]) -> Markup:
    """'2 sertifikat diterbitkan.' with a link to each new certificate (or to the list when many).

    Markup.format escapes every part that is not already markup: numbers and names stay text."""
    text = _("%(n)d sertifikat diterbitkan.", n=len(issued))
    if len(issued) > ISSUED_LINKS_MAX:
        link = Markup('<a href="{}">{}</a>').format(url_for(".index"), _("Lihat daftar sertifikat"))
        return Markup("{} {}").format(text, link)
    links = Markup(", ").join(
        Markup('<a href="{}">{}</a>').format(
            url_for(".detail", cert_id=c.id), f"{c.number} ({c.snapshot.get('kader_name', '')})"
        )
        for c in issued
    )
    return Markup("{} {}").format(text, links)


def _require_in_scope(kader_ids: set[int], actor: Actor) -> None:
    """A kader id outside the actor's scope (or none at all) is a forged request: 404."""
    if kader_ids and queries.count_in_scope(kader_ids, actor) != len(kader_ids):
        abort(404)


def _load(cert_id: int) -> Certificate:
    return get_scoped_or_404(Certificate, cert_id, current_actor())


@bp.route("/sertifikat/<int:cert_id>")
@role_required("dinkes", "kader", "admin")
def detail(cert_id: int) -> str:
    cert = _load(cert_id)
    return render_template(
        "certificates/detail.html",
        cert=cert,
        snap=CertificateSnapshot.from_json(cert.snapshot),
        form=ReasonForm(),
        replaced_by=queries.replacement_of(cert),
    )


def _revoked_page(cert: Certificate) -> tuple[str, int]:
    """A revoked certificate's PDF or badge is not handed out again: it would look valid."""
    replaced_by = queries.replacement_of(cert)
    return render_template(
        "certificates/revoked.html", cert=cert, replaced_by=replaced_by, verify=verify_url(cert)
    ), 410


@bp.route("/sertifikat/<int:cert_id>.pdf")
@role_required("dinkes", "kader")
def pdf(cert_id: int) -> Response | tuple[str, int]:
    cert = _load(cert_id)
    if cert.status == "revoked":
        return _revoked_page(cert)
    data = certificate_pdf([cert])
    name = cert.number.replace("/", "-")
    return send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=f"{name}.pdf"
    )


@bp.route("/sertifikat/<int:cert_id>/badge.json")
@role_required("dinkes", "kader")
def badge_json(cert_id: int) -> Response | tuple[str, int]:
    cert = _load(cert_id)
    if cert.status == "revoked":
        return _revoked_page(cert)
    response = jsonify(badge(cert))  # the district key may be created here: the handler commits it
    response.headers["Content-Disposition"] = f'attachment; filename="{cert.number.replace("/", "-")}.json"'
    return response


@bp.route("/sertifikat/<int:cert_id>/cabut", methods=["POST"])
@role_required("dinkes")
def revoke_view(cert_id: int) -> Response | tuple[str, int]:
    cert = _load(cert_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(messages()["reason_required"], "error")
    else:
        try:
            revoke(cert, form.reason.data or "", user_id=current_actor().user_id)
        except CertificateError as exc:  # refused before anything was written
            flash(messages()[exc.code], "error")
        else:
            flash(_("Sertifikat %(n)s dicabut.", n=cert.number), "success")
    return redirect(url_for(".detail", cert_id=cert.id))


@bp.route("/sertifikat/<int:cert_id>/terbitkan-ulang", methods=["POST"])
@role_required("dinkes")
def reissue_view(cert_id: int) -> Response:
    cert = _load(cert_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(messages()["reason_required"], "error")
        return redirect(url_for(".detail", cert_id=cert.id))
    try:
        # Re-issue revokes, then issues; a refused issue undoes the revocation with the savepoint,
        # so the redirect (which commits) leaves the old certificate valid.
        with db.session.begin_nested():
            today = local_today(cert.kabupaten_code)
            new = reissue(cert, form.reason.data or "", user_id=current_actor().user_id, today=today)
    except CertificateError as exc:
        flash(messages()[exc.code], "error")
        return redirect(url_for(".detail", cert_id=cert.id))
    flash(_("Sertifikat pengganti %(n)s diterbitkan.", n=new.number), "success")
    return redirect(url_for(".detail", cert_id=new.id))


@bp.route("/posyandu/<int:posyandu_id>/sertifikat.pdf")
@role_required("dinkes")
def posyandu_batch(posyandu_id: int) -> Response:
    posyandu = get_scoped_or_404(Posyandu, posyandu_id, current_actor())
    # Large batches go to disk, not memory; send_file closes the file when the response ends.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    posyandu_batch_pdf(posyandu, spool)
    spool.seek(0)
    return send_file(
        spool, mimetype="application/pdf", as_attachment=True, download_name=f"sertifikat-{posyandu.code}.pdf"
    )


@bp.route("/sertifikat-saya")
@role_required("kader")
def mine() -> str:
    levels = active_levels()
    return render_template(
        "certificates/mine.html",
        certs=queries.certificates_of_kader(current_user.kader_id),
        first_level=levels[0] if levels else None,  # what a kader without certificates aims for
    )
