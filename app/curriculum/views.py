"""Learning pages (skills by area, one skill's material and checklist) and the version page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required

from app.core.decorators import staff_required
from app.curriculum import queries
from app.curriculum.levels import levels_from_data
from app.curriculum.services import record_material_view
from app.curriculum.sync import active_version

bp = Blueprint("curriculum", __name__)


@bp.app_context_processor
def _area_titles() -> dict:
    """`area_title(code, kept)`: an area's name in the page's language, for text kept elsewhere in
    Indonesian (a certificate's snapshot is the official Indonesian wording)."""

    def area_title(code: str, kept: str) -> str:
        if str(get_locale()) != "en":
            return kept
        if "area_titles_en" not in g:
            g.area_titles_en = queries.area_titles_en()
        return g.area_titles_en.get(code) or kept

    return {"area_title": area_title}


@bp.route("/belajar/")
@login_required
def skills_index() -> str:
    is_kader = current_user.role == "kader"
    opened = queries.opened_skill_ids(current_user.kader_id) if is_kader else set()
    # `quiz` (the kader's best result per skill) comes from the quiz package's context processor.
    return render_template(
        "curriculum/index.html", groups=queries.areas_with_skills(), opened=opened, is_kader=is_kader
    )


@bp.route("/belajar/<code>")
@login_required
def skill_page(code: str) -> str:
    skill = queries.skill_by_code(code.upper())
    if skill is None:
        abort(404)
    is_kader = current_user.role == "kader" and current_user.kader_id
    # The phone storing all material for later is not the kader reading it.
    stored_for_later = request.headers.get("X-Offline-Store") == "1"
    if is_kader and not stored_for_later:
        record_material_view(current_user.kader_id, skill.id)
    return render_template("curriculum/skill.html", skill=skill)


# A picture never changes under its hash: phones may keep it for a year (and offline).
PICTURE_HEADERS = {
    "Cache-Control": "private, max-age=31536000, immutable",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}


@bp.route("/belajar/gambar/<string(length=64):sha256>.svg")
@login_required
def picture(sha256: str) -> Response:
    data = queries.picture_data(sha256.lower())
    if data is None:
        abort(404)
    return Response(data, mimetype="image/svg+xml", headers=PICTURE_HEADERS)


@bp.route("/kurikulum/")
@staff_required
def versions_page() -> str:
    version = active_version()
    levels = levels_from_data(version.levels) if version else ()
    return render_template(
        "curriculum/versions.html",
        version=version,
        versions=queries.versions(),
        counts=queries.active_counts(),
        levels=levels,
        basis=(version.summary or {}).get("basis", []) if version else [],
        unconfirmed=[s for _, skills in queries.areas_with_skills() for s in skills if s.confidence != "C2"],
    )
