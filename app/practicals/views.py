"""Practical assessment pages: sessions, attendees, the observation checklist, confirmation."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug import Response
from wtforms.fields.choices import SelectChoice

from app.core.decorators import role_required, staff_required
from app.core.forms import BaseForm
from app.core.local_time import local_today
from app.core.models import utcnow
from app.core.numbers import parse_id
from app.core.pagination import paginate
from app.core.roles import Actor
from app.core.scope import current_actor, get_scoped_or_404, scoped_select
from app.core.templating import localized
from app.curriculum.models import Skill
from app.curriculum.sync import active_version
from app.extensions import db
from app.practicals import replay
from app.practicals.forms import AttendeesForm, DecisionForm, SessionForm
from app.practicals.models import AssessmentSession, PracticalResult
from app.practicals.policies import can_assess, correction_refusal
from app.practicals.services import (
    PracticalError,
    active_steps,
    add_kader,
    confirmed_at,
    create_session,
    record_observation,
    result_for,
    roster_kader,
)
from app.rosters.forms import kader_choices, kader_hints
from app.rosters.models import Kader, Posyandu

bp = Blueprint("practicals", __name__, url_prefix="/praktik")


def messages() -> dict[str, str]:
    return {
        "date_in_future": _("Tanggal penilaian tidak boleh di masa depan."),
        "no_skills": _("Pilih minimal satu keterampilan."),
        "kader_not_in_roster": _("Kader yang dipilih tidak terdaftar aktif di Posyandu ini."),
        "not_in_session": _("Kader atau keterampilan ini tidak termasuk dalam sesi."),
        "step_not_in_skill": _("Langkah yang dikirim bukan bagian dari daftar tilik keterampilan ini."),
        "decision_unknown": _("Keputusan tidak dikenal."),
        "steps_unticked": _("Isi semua langkah (dilakukan atau tidak) sebelum mengonfirmasi hasil."),
        "override_needs_note": _("Keputusan berbeda dari saran sistem: tulis alasannya di catatan."),
        "not_assessor": _("Hanya penilai yang mencatat hasil ini yang dapat mengubahnya."),
        "window_closed": _(
            "Batas waktu koreksi (%(days)d hari) sudah lewat; hasil tidak dapat diubah.",
            days=current_app.config["PRACTICAL_CORRECTION_DAYS"],
        ),
    }


def _min_share() -> float:
    version = active_version()
    return float(version.settings.get("practical_min_share", 0.75)) if version else 0.75


def _session_or_404(session_id: int) -> AssessmentSession:
    return get_scoped_or_404(AssessmentSession, session_id, current_actor())


def _require_assessor(actor: Actor, session: AssessmentSession) -> None:
    if not can_assess(actor, session.puskesmas_id):
        abort(403)


@bp.route("/")
@staff_required
def sessions() -> str:
    actor = current_actor()
    stmt = scoped_select(AssessmentSession, actor).order_by(
        AssessmentSession.session_date.desc(), AssessmentSession.id.desc()
    )
    page = paginate(stmt, request.args.get("page", 1, type=int))
    return render_template("practicals/sessions.html", page=page, can_create=actor.role == "fasilitator")


@bp.route("/baru", methods=["GET", "POST"])
@role_required("fasilitator")
def new_session() -> str | Response | tuple[str, int]:
    actor = current_actor()
    form = SessionForm()
    posyandu = db.session.scalars(
        scoped_select(Posyandu, actor, Posyandu.active).order_by(Posyandu.name)
    ).all()
    skills = db.session.scalars(select(Skill).where(Skill.active).order_by(Skill.code)).all()
    form.posyandu_id.choices = [SelectChoice(p.id, f"{p.name} ({p.desa.name})") for p in posyandu]
    form.skill_ids.choices = [SelectChoice(s.id, f"{s.code} {localized(s, 'title')}") for s in skills]
    if request.method == "GET" and not form.session_date.data:
        form.session_date.data = local_today(actor.kabupaten_code)
    error = None
    if form.validate_on_submit():
        target = get_scoped_or_404(Posyandu, form.posyandu_id.data, actor)
        chosen = [s for s in skills if s.id in set(form.skill_ids.data or [])]
        try:
            session = create_session(
                posyandu=target,
                assessor_id=actor.user_id,
                session_date=form.session_date.data,
                today=local_today(actor.kabupaten_code),
                skills=chosen,
                kader_ids=[],
                note=form.note.data,
            )
        except PracticalError as exc:  # refused before anything was written
            error = messages()[exc.code]
        else:
            return redirect(url_for(".attendees", session_id=session.id))
    status = 400 if (error or form.errors) else 200
    return render_template("practicals/new_session.html", form=form, error=error), status


@bp.route("/<int:session_id>/peserta", methods=["GET", "POST"])
@role_required("fasilitator")
def attendees(session_id: int) -> str | Response | tuple[str, int]:
    actor = current_actor()
    session = _session_or_404(session_id)
    _require_assessor(actor, session)
    form = AttendeesForm()
    roster = roster_kader(session.posyandu_id)
    # Two kader of the same name are told apart by age (and birth date) where they are picked.
    form.kader_ids.choices = kader_choices(roster, local_today(session.kabupaten_code))
    if request.method == "GET":
        form.kader_ids.data = [k.id for k in session.kaders]
    error = None
    if request.method == "POST":
        # Choices limit the form to the roster; an id from elsewhere is refused, not ignored.
        posted = request.form.getlist("kader_ids")
        if not all(parse_id(p) in {k.id for k in roster} for p in posted):
            error = messages()["kader_not_in_roster"]
        elif form.validate_on_submit():
            add_kader(session, form.kader_ids.data or [])
            return redirect(url_for(".session_view", session_id=session.id))
    status = 400 if (error or form.errors) else 200
    return render_template("practicals/attendees.html", form=form, session=session, error=error), status


@bp.route("/<int:session_id>")
@staff_required
def session_view(session_id: int) -> str:
    actor = current_actor()
    session = _session_or_404(session_id)
    results = {
        (r.kader_id, r.skill_id): r
        for r in db.session.scalars(select(PracticalResult).where(PracticalResult.session_id == session.id))
    }
    return render_template(
        "practicals/session.html",
        session=session,
        results=results,
        can_assess=can_assess(actor, session.puskesmas_id),
        hints=kader_hints(session.kaders, local_today(session.kabupaten_code)),
    )


def _load_result_context(
    session_id: int, kader_id: int, code: str
) -> tuple[Actor, AssessmentSession, Kader, Skill]:
    actor = current_actor()
    session = _session_or_404(session_id)
    kader = get_scoped_or_404(Kader, kader_id, actor)
    skill = db.session.scalar(select(Skill).where(Skill.code == code.upper()))
    if skill is None or skill not in session.skills or kader not in session.kaders:
        abort(404)
    return actor, session, kader, skill


@bp.route("/<int:session_id>/nilai/<int:kader_id>/<code>", methods=["GET", "POST"])
@staff_required
def observe(session_id: int, kader_id: int, code: str) -> str | Response | tuple[str, int]:
    actor, session, kader, skill = _load_result_context(session_id, kader_id, code)
    assessor = can_assess(actor, session.puskesmas_id)
    existing = db.session.scalar(
        select(PracticalResult).where(
            PracticalResult.session_id == session.id,
            PracticalResult.kader_id == kader.id,
            PracticalResult.skill_id == skill.id,
        )
    )
    form = DecisionForm(obj=existing) if request.method == "GET" else DecisionForm()
    if request.method == "GET" and existing is not None:
        # The decision recorded, or until there is one the system's suggestion from the ticks.
        form.decision.data = existing.result or existing.suggested or form.decision.data
    error = None
    if request.method == "POST":
        if not assessor:
            abort(403)
        # CSRF only: the decision fields matter for "confirm", which checks them itself.
        if BaseForm().validate_on_submit():
            result = existing or result_for(session, kader.id, skill, actor.user_id)
            error = _save_observation(actor, result)
            if error is None:
                if request.form.get("action") == "confirm":
                    flash(
                        _("Hasil %(skill)s untuk %(name)s sudah dicatat.", skill=skill.code, name=kader.name),
                        "success",
                    )
                    return redirect(url_for(".session_view", session_id=session.id))
                flash(_("Centang tersimpan."), "success")
                return redirect(request.path)
        else:
            error = _("Formulir tidak lengkap. Muat ulang halaman lalu coba lagi.")
    ticks = {t.step_id: t.done for t in existing.ticks} if existing else {}
    window_note = None
    if existing and existing.confirmed_at:
        window_note = correction_refusal(
            actor,
            existing.assessor_id,
            confirmed_at(existing),
            utcnow(),
            current_app.config["PRACTICAL_CORRECTION_DAYS"],
        )
    return render_template(
        "practicals/observe.html",
        session=session,
        kader=kader,
        skill=skill,
        steps=active_steps(skill.id),
        ticks=ticks,
        result=existing,
        form=form,
        error=error,
        can_edit=assessor and not window_note,
        locked_reason=window_note and messages()[window_note],
    ), (400 if error else 200)


def _parse_ticks() -> dict[int, bool]:
    ticks: dict[int, bool] = {}
    for key, value in request.form.items():
        if key.startswith("step-"):
            step = key.removeprefix("step-")
            step_id = parse_id(step)
            if step_id is None or value not in ("1", "0"):
                raise PracticalError("step_not_in_skill")
            ticks[step_id] = value == "1"
    return ticks


def _save_observation(actor: Actor, result: PracticalResult) -> str | None:
    refusal = correction_refusal(
        actor,
        result.assessor_id,
        confirmed_at(result),
        utcnow(),
        current_app.config["PRACTICAL_CORRECTION_DAYS"],
    )
    if refusal:
        return messages()[refusal]
    replayed = replay.check(result, request.form, actor.user_id)  # a phone's queued form
    if replayed == replay.DUPLICATE:
        return None
    if replayed:
        return replay.conflict_message()
    try:
        ticks = _parse_ticks()
    except PracticalError as exc:
        return messages()[exc.code]
    confirming = request.form.get("action") == "confirm"
    problem = record_observation(
        result,
        ticks,
        decision=request.form.get("decision", "") if confirming else None,
        note=request.form.get("note"),
        user_id=actor.user_id,
        min_share=_min_share(),
    )
    if problem:
        return messages()[problem]
    replay.remember(request.form, actor.user_id, result.id)
    return None


@bp.route("/<int:session_id>/nilai/<int:kader_id>/<code>/langkah", methods=["POST"])
@role_required("fasilitator")
def tick(session_id: int, kader_id: int, code: str) -> tuple[Response, int]:
    """One tick from the checklist script: saved at once, so a dropped connection loses nothing."""
    actor, session, kader, skill = _load_result_context(session_id, kader_id, code)
    _require_assessor(actor, session)
    if not BaseForm().validate_on_submit():
        return jsonify(error=_("Formulir sudah kedaluwarsa. Muat ulang halaman.")), 400
    result = result_for(session, kader.id, skill, actor.user_id)
    refusal = correction_refusal(
        actor,
        result.assessor_id,
        confirmed_at(result),
        utcnow(),
        current_app.config["PRACTICAL_CORRECTION_DAYS"],
    )
    if refusal:
        return jsonify(error=messages()[refusal]), 409
    replayed = replay.check(result, request.form, actor.user_id)  # a resend, or a conflict
    if replayed == replay.DUPLICATE:
        return jsonify(
            saved=True, duplicate=True, suggested=result.suggested, state=replay.state(result)
        ), 200
    if replayed:
        return jsonify(error=replay.conflict_message(), conflict=replayed, state=replay.state(result)), 409
    try:
        ticks = _parse_ticks()
    except PracticalError as exc:
        return jsonify(error=messages()[exc.code]), 400
    problem = record_observation(
        result, ticks, decision=None, note=None, user_id=actor.user_id, min_share=_min_share()
    )
    if problem:
        return jsonify(error=messages()[problem]), 400
    replay.remember(request.form, actor.user_id, result.id)
    return jsonify(saved=True, suggested=result.suggested), 200
