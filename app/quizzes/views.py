"""Quiz pages: start/resume, one question per page (autosaved), summary, submit, result, history,
and item statistics for staff."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response

from app.core.decorators import role_required, staff_required
from app.core.forms import BaseForm
from app.core.numbers import parse_int
from app.core.scope import current_actor, get_scoped_or_404
from app.curriculum.models import Skill
from app.extensions import db
from app.quizzes import queries
from app.quizzes.answer_statement import lock_and_store
from app.quizzes.models import QuizAttempt
from app.quizzes.services import (
    Refusal,
    finish,
    is_expired,
    lock_answer_slot,
    now_utc,
    start,
    store_answer,
)

bp = Blueprint("quizzes", __name__, url_prefix="/kuis")


def messages(params: dict[str, object]) -> dict[str, str]:
    return {
        "daily_limit": _(
            "Batas %(n)d kali kuis per hari untuk keterampilan ini sudah tercapai. Coba lagi besok.",
            n=params.get("limit", 0),
        ),
        "cooldown": _(
            "Istirahat dulu: kuis ini bisa diulang dalam %(m)d menit. Baca lagi materinya.",
            m=params.get("minutes", 0),
        ),
        "no_items": _("Soal untuk keterampilan ini belum tersedia."),
        "already_submitted": _("Kuis ini sudah dikirim; jawaban tidak bisa diubah lagi."),
        "expired": _("Waktu kuis sudah habis; jawaban yang tersimpan sudah dinilai."),
        "item_not_in_attempt": _("Soal ini tidak termasuk dalam kuis Anda."),
        "option_invalid": _("Pilihan jawaban tidak sah. Muat ulang halaman lalu pilih lagi."),
    }


def learning_page_results() -> dict[str, dict[int, tuple[int, bool]]]:
    """`quiz` on the learning pages (connected to the curriculum blueprint in create_app, since
    curriculum sits below quizzes): skill id -> the kader's best percent and ever passed."""
    if current_user.is_authenticated and current_user.role == "kader" and current_user.kader_id:
        return {"quiz": queries.best_by_skill(current_user.kader_id)}
    return {"quiz": {}}


def _skill(code: str) -> Skill:
    skill = db.session.scalar(select(Skill).where(Skill.code == code.upper(), Skill.active))
    if skill is None:
        abort(404)
    return skill


def _attempt(attempt_id: int) -> QuizAttempt:
    return get_scoped_or_404(QuizAttempt, attempt_id, current_actor())


def _own_attempt(attempt_id: int) -> QuizAttempt:
    attempt = _attempt(attempt_id)
    if attempt.kader_id != current_user.kader_id:
        abort(404)
    return attempt


def _close(attempt: QuizAttempt, reason: str) -> None:
    finish(attempt, now_utc(), reason, user_id=current_user.id)


@bp.route("/<code>/mulai", methods=["POST"])
@role_required("kader")
def begin(code: str) -> Response:
    skill = _skill(code)
    if not BaseForm().validate_on_submit():
        abort(400)
    attempt = start(
        current_user.kader_id,
        skill,
        now_utc(),
        max_per_day=current_app.config["QUIZ_MAX_ATTEMPTS_PER_DAY"],
        cooldown_minutes=current_app.config["QUIZ_COOLDOWN_MINUTES"],
    )
    if isinstance(attempt, Refusal):  # an expired attempt closed on the way stays closed (302)
        flash(messages(attempt.params)[attempt.code], "error")
        return redirect(url_for("curriculum.skill_page", code=skill.code))
    return redirect(url_for(".resume", attempt_id=attempt.id))


@bp.route("/percobaan/<int:attempt_id>")
@role_required("kader")
def resume(attempt_id: int) -> Response:
    attempt = _own_attempt(attempt_id)
    if is_expired(attempt, now_utc()):
        _close(attempt, "expired")
        flash(messages({})["expired"], "info")
    if attempt.submitted_at is not None:
        return redirect(url_for(".result", attempt_id=attempt.id))
    first_open = next((i.position for i in attempt.items if i.chosen is None), None)
    if first_open is None:
        return redirect(url_for(".summary", attempt_id=attempt.id))
    return redirect(url_for(".question", attempt_id=attempt.id, position=first_open))


@bp.route("/percobaan/<int:attempt_id>/soal/<int:position>", methods=["GET", "POST"])
@role_required("kader")
def question(attempt_id: int, position: int) -> str | Response | tuple[str, int]:
    form = BaseForm()
    error = None
    if request.method == "POST":
        outcome = _answer_from_form(attempt_id, position, form)
        if not isinstance(outcome, str):
            return outcome
        error = outcome
    attempt = _own_attempt(attempt_id)
    row = next((i for i in attempt.items if i.position == position), None)
    if row is None:
        abort(404)
    if attempt.submitted_at is not None:
        return redirect(url_for(".result", attempt_id=attempt.id))
    if is_expired(attempt, now_utc()):
        _close(attempt, "expired")
        return redirect(url_for(".result", attempt_id=attempt.id))
    options = [(display, row.revision.options[authored]) for display, authored in enumerate(row.option_order)]
    chosen_display = row.option_order.index(row.chosen) if row.chosen is not None else None
    return render_template(
        "quizzes/question.html",
        attempt=attempt,
        row=row,
        options=options,
        chosen=chosen_display,
        form=form,
        error=error,
    ), (400 if error else 200)


def _answer_from_form(attempt_id: int, position: int, form: BaseForm) -> Response | str:
    """The question form without JavaScript, or "Simpan dan lanjut"/"Sebelumnya" after the
    background save: store the answer unless it is stored already, then move on. Returns where
    to go, or the message to show on the page again."""
    slot = lock_answer_slot(attempt_id, current_user.kader_id, position)
    if slot is None or slot.item_id is None:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    choice, go = request.form.get("option", ""), request.form.get("go", "")
    if choice == "" and go:
        return _go(attempt_id, slot.total, position, go)
    chosen = parse_int(choice, 0, 99)
    refusal = store_answer(slot, -1 if chosen is None else chosen, now_utc())
    if refusal is not None:
        if refusal.code in ("already_submitted", "expired"):  # the result page closes it
            flash(messages(refusal.params)[refusal.code], "info")
            return redirect(url_for(".result", attempt_id=attempt_id))
        return messages(refusal.params)[refusal.code]
    return _go(attempt_id, slot.total, position, go or "next")


def _go(attempt_id: int, total: int, position: int, where: str) -> Response:
    if where == "prev" and position > 1:
        return redirect(url_for(".question", attempt_id=attempt_id, position=position - 1))
    if where == "next" and position < total:
        return redirect(url_for(".question", attempt_id=attempt_id, position=position + 1))
    return redirect(url_for(".summary", attempt_id=attempt_id))


@bp.route("/percobaan/<int:attempt_id>/jawab", methods=["POST"])
@role_required("kader")
def answer(attempt_id: int) -> tuple[Response, int]:
    """The background save from quiz.js: one answer, stored at once. After the user load it
    takes one statement on PostgreSQL (lock and store, answer_statement.py); on SQLite one to
    find and lock the attempt with the answered item, and one UPDATE."""
    position, option = request.form.get("position", ""), request.form.get("option", "")
    at, chosen = parse_int(position, 1, 999), parse_int(option, 0, 99)
    if at is not None and chosen is not None and db.engine.dialect.name == "postgresql":
        saved = lock_and_store(attempt_id, current_user.kader_id, at, chosen, now_utc())
        if saved is None:
            abort(404)
        refusal = saved[1]
    else:
        slot = lock_answer_slot(attempt_id, current_user.kader_id, at or 0)
        if slot is None:
            abort(404)
        if at is None or chosen is None:
            return jsonify(error=messages({})["option_invalid"]), 400
        refusal = store_answer(slot, chosen, now_utc())
    if refusal is not None:  # nothing was written; the next page closes an expired attempt
        status = 409 if refusal.code in ("already_submitted", "expired") else 400
        return jsonify(error=messages(refusal.params)[refusal.code], code=refusal.code), status
    return jsonify(saved=True), 200


@bp.route("/percobaan/<int:attempt_id>/ringkasan")
@role_required("kader")
def summary(attempt_id: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for(".result", attempt_id=attempt.id))
    return render_template("quizzes/summary.html", attempt=attempt, form=BaseForm())


@bp.route("/percobaan/<int:attempt_id>/kirim", methods=["POST"])
@role_required("kader")
def submit(attempt_id: int) -> Response:
    attempt = _own_attempt(attempt_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    _close(
        attempt, "expired" if is_expired(attempt, now_utc()) else "submitted"
    )  # a second tap finds it closed
    return redirect(url_for(".result", attempt_id=attempt.id))


@bp.route("/percobaan/<int:attempt_id>/hasil")
@role_required("kader", "fasilitator", "dinkes", "admin")
def result(attempt_id: int) -> str | Response:
    attempt = _attempt(attempt_id)
    if attempt.submitted_at is None:
        if is_expired(attempt, now_utc()) and current_user.role == "kader":
            _close(attempt, "expired")
        else:
            return redirect(url_for(".resume", attempt_id=attempt.id))
    rows = []
    for item in attempt.items:
        rev = item.revision
        shown = [(rev.options[a], a == rev.correct_index, a == item.chosen) for a in item.option_order]
        rows.append((item, rev, shown))
    return render_template("quizzes/result.html", attempt=attempt, rows=rows)


@bp.route("/<code>/riwayat")
@role_required("kader")
def history(code: str) -> str:
    skill = _skill(code)
    return render_template(
        "quizzes/history.html",
        skill=skill,
        attempts=queries.history(current_user.kader_id, skill.id),
        form=BaseForm(),
    )


@bp.route("/statistik/")
@staff_required
def statistics_index() -> str:
    skills = db.session.scalars(select(Skill).where(Skill.active).order_by(Skill.code)).all()
    return render_template("quizzes/statistics_index.html", skills=skills)


@bp.route("/statistik/<code>")
@staff_required
def statistics(code: str) -> str:
    skill = _skill(code)
    stats, revisions, summary = queries.skill_statistics(current_actor(), skill)
    return render_template(
        "quizzes/statistics.html", skill=skill, stats=stats, revisions=revisions, summary=summary
    )
