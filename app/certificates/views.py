"""Certificate pages for dinkes and kader, and the public verification page."""

from __future__ import annotations

import io
import tempfile

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select
from werkzeug import Response
from werkzeug.datastructures import FileStorage

from app.certificates import scope_rules  # noqa: F401 - registers the scope rule
from app.certificates.document import CertificateSnapshot, public_snapshot
from app.certificates.forms import ReasonForm, SettingsForm
from app.certificates.keys import public_key_multibase
from app.certificates.models import Certificate, DistrictSettings
from app.certificates.rendering import badge, certificate_pdf, posyandu_batch_pdf, verify_url
from app.certificates.services import CertificateError, image_sha256, issue, normalise_code, reissue, revoke
from app.core import audit
from app.core.decorators import role_required
from app.core.forms import BaseForm
from app.core.local_time import local_today
from app.core.numbers import parse_id
from app.core.pagination import paginate
from app.core.roles import Actor
from app.core.scope import current_actor, get_scoped_or_404, scope_clause, scoped_select
from app.core.text_search import any_contains
from app.extensions import db, limiter
from app.jobs.launch import launch
from app.jobs.queries import district_kecamatan
from app.progress.levels import reached_levels
from app.rosters.models import Kader, Posyandu, RosterMembership, Wilayah

bp = Blueprint("certificates", __name__)
public = Blueprint("verify", __name__)


def messages() -> dict[str, str]:
    return {
        "level_not_reached": _("Kader ini belum mencapai tingkat tersebut."),
        "level_unknown": _("Tingkat tidak dikenal."),
        "already_certified": _("Kader ini sudah memiliki sertifikat sah untuk tingkat tersebut."),
        "no_signatory": _("Atur dulu penanda tangan sertifikat di Pengaturan sertifikat."),
        "not_on_roster": _("Kader ini tidak aktif di Posyandu mana pun; sertifikat harus terkait roster."),
        "already_revoked": _("Sertifikat ini sudah dicabut."),
        "reason_required": _("Tulis alasannya."),
    }


@bp.route("/sertifikat/")
@role_required("dinkes", "admin")  # admin reads every district's list
def index() -> str:
    actor = current_actor()
    q = request.args.get("q", "").strip()[:100]
    stmt = scoped_select(Certificate, actor).join(Kader, Kader.id == Certificate.kader_id)
    if q:
        stmt = stmt.where(any_contains(q, Kader.name, Certificate.number))
    status = request.args.get("status", "")
    if status in ("valid", "revoked"):
        stmt = stmt.where(Certificate.status == status)
    page = paginate(stmt.order_by(Certificate.id.desc()), request.args.get("page", 1, type=int))
    return render_template(
        "certificates/index.html",
        page=page,
        q=q,
        status=status,
        print_form=BaseForm(),
        kecamatan=district_kecamatan(actor.kabupaten_code or ""),
    )


@bp.route("/sertifikat/cetak", methods=["POST"])
@role_required("dinkes")
def print_district() -> Response:
    """Every valid certificate of the kabupaten, or of one kecamatan, as one PDF made by a job."""
    actor = current_actor()
    code = request.form.get("kecamatan", "").strip()[:20]
    params: dict[str, str] = {}
    if code:
        kecamatan = db.session.get(Wilayah, code)
        wanted = ("kecamatan", actor.kabupaten_code)
        if kecamatan is None or (kecamatan.level, kecamatan.parent_code) != wanted:
            abort(404)  # another district's kecamatan, or no kecamatan at all
        params = {"kecamatan": kecamatan.code, "kecamatan_name": kecamatan.name}
    return launch("certificates_print", params)


@bp.route("/sertifikat/siap", methods=["GET", "POST"])
@role_required("dinkes")
def eligible() -> str | Response:
    actor = current_actor()
    form = BaseForm()
    filters = {k: request.values.get(k, "") for k in ("kecamatan", "desa", "posyandu")}
    stmt = (
        select(Kader, Posyandu)
        .join(RosterMembership, (RosterMembership.kader_id == Kader.id) & RosterMembership.end_date.is_(None))
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .join(Wilayah, Wilayah.code == Posyandu.desa_code)
        .where(Kader.kabupaten_code == actor.kabupaten_code)
    )
    if filters["kecamatan"]:
        stmt = stmt.where(Wilayah.parent_code == filters["kecamatan"])
    if filters["desa"]:
        stmt = stmt.where(Posyandu.desa_code == filters["desa"])
    if (posyandu_id := parse_id(filters["posyandu"])) is not None:
        stmt = stmt.where(Posyandu.id == posyandu_id)
    rows = db.session.execute(stmt.order_by(Wilayah.name, Posyandu.name, Kader.name)).all()
    levels = reached_levels([k.id for k, _ in rows])
    held = {
        (k, lv)
        for k, lv in db.session.execute(
            select(Certificate.kader_id, Certificate.level_code).where(
                Certificate.kabupaten_code == actor.kabupaten_code, Certificate.status == "valid"
            )
        )
    }
    candidates = [
        (k, p, levels[k.id]) for k, p in rows if levels[k.id] and (k.id, levels[k.id].code) not in held
    ]
    if request.method == "POST" and form.validate_on_submit():
        chosen = {i for i in map(parse_id, request.form.getlist("kader_id")) if i is not None}
        by_id = {k.id: (k, lv) for k, _, lv in candidates}
        _require_in_scope(chosen - set(by_id), actor)
        issued, problems = [], []
        names = {k.id: k.name for k, _ in rows}
        for kader_id in sorted(chosen):
            if kader_id not in by_id:
                if kader_id in {k for k, _ in held}:  # issued meanwhile (another tab or colleague)
                    problems.append(f"{names.get(kader_id, kader_id)}: {messages()['already_certified']}")
                else:
                    problems.append(
                        _("Kader #%(id)d tidak memenuhi syarat atau di luar kabupaten.", id=kader_id)
                    )
                continue
            kader, level = by_id[kader_id]
            try:
                with db.session.begin_nested():
                    today = local_today(kader.kabupaten_code)  # the district's date, not UTC's
                    issued.append(issue(kader, level.code, user_id=actor.user_id, today=today))
            except CertificateError as exc:
                problems.append(f"{kader.name}: {messages()[exc.code]}")
        db.session.commit()
        if issued:
            flash(_issued_message(issued), "success")
        for p in problems:
            flash(p, "error")
        return redirect(url_for(".eligible", **{k: v for k, v in filters.items() if v}))
    kecamatan = db.session.scalars(
        select(Wilayah).where(Wilayah.parent_code == actor.kabupaten_code).order_by(Wilayah.name)
    ).all()
    desa_stmt = select(Wilayah).where(Wilayah.level == "desa", Wilayah.code.like(f"{actor.kabupaten_code}.%"))
    if filters["kecamatan"]:
        desa_stmt = desa_stmt.where(Wilayah.parent_code == filters["kecamatan"])
    desa = db.session.scalars(desa_stmt.order_by(Wilayah.name)).all()
    posyandu_stmt = select(Posyandu).where(Posyandu.kabupaten_code == actor.kabupaten_code)
    if filters["desa"]:
        posyandu_stmt = posyandu_stmt.where(Posyandu.desa_code == filters["desa"])
    posyandu = db.session.scalars(posyandu_stmt.order_by(Posyandu.name)).all()
    return render_template(
        "certificates/eligible.html",
        candidates=candidates,
        form=form,
        filters=filters,
        kecamatan=kecamatan,
        desa=desa,
        posyandu=posyandu,
    )


ISSUED_LINKS_MAX = 5  # more new certificates than this: the message links to the list instead


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
    if not kader_ids:
        return
    known = db.session.scalar(
        select(func.count()).select_from(Kader).where(Kader.id.in_(kader_ids), scope_clause(Kader, actor))
    )
    if known != len(kader_ids):
        abort(404)


def _load(cert_id: int) -> Certificate:
    return get_scoped_or_404(Certificate, cert_id, current_actor())


@bp.route("/sertifikat/<int:cert_id>")
@role_required("dinkes", "kader", "admin")
def detail(cert_id: int) -> str:
    cert = _load(cert_id)
    replaced_by = db.session.scalar(select(Certificate).where(Certificate.replaces_id == cert.id))
    return render_template(
        "certificates/detail.html",
        cert=cert,
        snap=CertificateSnapshot.from_json(cert.snapshot),
        form=ReasonForm(),
        replaced_by=replaced_by,
    )


def _revoked_page(cert: Certificate) -> tuple[str, int]:
    """A revoked certificate's PDF or badge is not handed out again: it would look valid."""
    replaced_by = db.session.scalar(select(Certificate).where(Certificate.replaces_id == cert.id))
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
    signed = badge(cert)
    db.session.commit()  # the district key may have just been created
    response = jsonify(signed)
    response.headers["Content-Disposition"] = f'attachment; filename="{cert.number.replace("/", "-")}.json"'
    return response


@bp.route("/sertifikat/<int:cert_id>/cabut", methods=["POST"])
@role_required("dinkes")
def revoke_view(cert_id: int) -> Response | tuple[str, int]:
    cert = _load(cert_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            revoke(cert, form.reason.data or "", user_id=current_actor().user_id)
        except CertificateError as exc:
            db.session.rollback()
            flash(messages()[exc.code], "error")
        else:
            db.session.commit()
            flash(_("Sertifikat %(n)s dicabut.", n=cert.number), "success")
    else:
        flash(messages()["reason_required"], "error")
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
        today = local_today(cert.kabupaten_code)
        new = reissue(cert, form.reason.data or "", user_id=current_actor().user_id, today=today)
    except CertificateError as exc:
        db.session.rollback()  # nothing half-written: the old certificate stays valid
        flash(messages()[exc.code], "error")
        return redirect(url_for(".detail", cert_id=cert.id))
    db.session.commit()
    flash(_("Sertifikat pengganti %(n)s diterbitkan.", n=new.number), "success")
    return redirect(url_for(".detail", cert_id=new.id))


# A logo or a scanned signature never needs more; every printed certificate decodes it.
MAX_IMAGE_PIXELS = 4096 * 4096


def _image(field) -> bytes | None:
    """The uploaded image, None when none was uploaded, b"" when it is not a usable image."""
    if not isinstance(field.data, FileStorage) or not field.data.filename:
        return None  # without an upload the field holds the stored image (from `obj`)
    data = field.data.read()
    too_large = _("Gambar terlalu besar: maksimal 4096 × 4096 piksel. Perkecil gambar lalu unggah lagi.")
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                field.errors.append(too_large)
                return b""
            image.verify()
    except Image.DecompressionBombError:
        field.errors.append(too_large)
        return b""
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        field.errors.append(_("Berkas gambar tidak bisa dibaca."))
        return b""
    return data


SETTINGS_FIELDS = ("office_name", "signatory_name", "signatory_title", "signatory_nip", "place")


def _settings_facts(row: DistrictSettings) -> dict[str, str | None]:
    """What the audit keeps of the settings: the text fields and which images are set."""
    facts: dict[str, str | None] = {f: getattr(row, f) for f in SETTINGS_FIELDS}
    facts["logo_sha256"] = image_sha256(row.logo)
    facts["signature_sha256"] = image_sha256(row.signature)
    return facts


@bp.route("/sertifikat/pengaturan", methods=["GET", "POST"])
@role_required("dinkes")
def settings() -> str | Response | tuple[str, int]:
    actor = current_actor()
    current = db.session.get(DistrictSettings, actor.kabupaten_code)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        logo, signature = _image(form.logo), _image(form.signature)
        if logo != b"" and signature != b"":
            row = current or DistrictSettings(kabupaten_code=actor.kabupaten_code)
            before = _settings_facts(current) if current else None
            for field in SETTINGS_FIELDS:
                setattr(row, field, getattr(form, field).data)
            if logo:
                row.logo = logo
            if signature:
                row.signature = signature
            db.session.add(row)
            audit.record(
                "certificate.settings_changed",
                "district_settings",
                actor.kabupaten_code,
                user_id=actor.user_id,
                kabupaten_code=actor.kabupaten_code,
                before=before,
                after=_settings_facts(row),
            )
            db.session.commit()
            flash(_("Pengaturan sertifikat disimpan."), "success")
            return redirect(url_for(".settings"))
    status = 400 if form.errors else 200
    return render_template("certificates/settings.html", form=form, current=current), status


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
    certs = db.session.scalars(
        select(Certificate)
        .where(Certificate.kader_id == current_user.kader_id)
        .order_by(Certificate.issued_on.desc())
    ).all()
    return render_template("certificates/mine.html", certs=certs)


def _public_view(code: str) -> tuple[Certificate | None, str]:
    normalised = normalise_code(code)
    cert = (
        db.session.scalar(select(Certificate).where(Certificate.verification_code == normalised))
        if normalised
        else None
    )
    if cert is None:
        return None, "unknown"
    return cert, cert.status


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@public.route("/v/<code>")
@limiter.limit(_verify_limit)
def verify_page(code: str) -> tuple[str, int]:
    if code.endswith(".json"):
        return verify_json(code.removesuffix(".json"))
    cert, status = _public_view(code)
    if cert is not None:
        g.display_area = cert.kabupaten_code  # dates in the issuing district's time zone
    snap = CertificateSnapshot.from_json(cert.snapshot) if cert else None
    return render_template("certificates/verify.html", cert=cert, snap=snap, status=status), (
        404 if cert is None else 200
    )


def verify_json(code: str):
    cert, status = _public_view(code)
    if cert is None:
        return jsonify(status="unknown"), 404
    body = {"status": status, "certificate": public_snapshot(cert.snapshot)}
    if status == "revoked":
        body["revoked"] = {"at": cert.revoked_at.isoformat(), "reason": cert.revoked_reason}
    return jsonify(body), 200


@public.route("/issuers/<kabupaten_code>")
@limiter.limit(_verify_limit)
def issuer(kabupaten_code: str) -> tuple[Response, int]:
    key = public_key_multibase(kabupaten_code)
    settings = db.session.get(DistrictSettings, kabupaten_code)
    if key is None or settings is None:
        abort(404)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    issuer_id = f"{base}/issuers/{kabupaten_code}"
    return jsonify(
        {
            "id": issuer_id,
            "type": ["Profile"],
            "name": settings.office_name,
            "verificationMethod": [
                {
                    "id": f"{issuer_id}#key-1",
                    "type": "Multikey",
                    "controller": issuer_id,
                    "publicKeyMultibase": key,
                }
            ],
        }
    ), 200
