"""Progress pages: a kader's own progress, a staff view of one kader, a Posyandu matrix."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.core.decorators import role_required, staff_required
from app.core.local_time import local_today
from app.core.scope import current_actor, get_scoped_or_404
from app.core.templating import localized
from app.progress import queries
from app.progress.levels import level_label
from app.rosters.forms import kader_hints
from app.rosters.models import Kader, Posyandu
from app.rosters.queries import current_roster

bp = Blueprint("progress", __name__)
# Every page names levels in its language: `{{ level | level_name }}`.
bp.add_app_template_filter(level_label, "level_name")


def _render_kader(kader: Kader, own: bool) -> str:
    cat = queries.catalog()
    row = queries.statuses([kader.id], cat)[kader.id]
    status = queries.level_status(row, cat)
    # The level box names areas and skills as the kader knows them, not by their codes.
    area_titles = {a.code: localized(a, "title") for a in cat.areas}
    skill_titles = {s.code: localized(s, "title") for s in cat.skills}
    return render_template(
        "progress/kader.html",
        kader=kader,
        cat=cat,
        row=row,
        status=status,
        area_names=lambda codes: ", ".join(area_titles.get(c, c) for c in codes),
        skill_names=lambda codes: ", ".join(skill_titles.get(c, c) for c in codes),
        achievements=queries.achievements(kader.id),
        own=own,
    )


@bp.route("/kemajuan")
@role_required("kader")
def my_progress() -> str:
    if current_user.kader is None:
        abort(404)
    return _render_kader(current_user.kader, own=True)


@bp.route("/kader/<int:kader_id>/kemajuan")
@staff_required
def kader_progress(kader_id: int) -> str:
    return _render_kader(get_scoped_or_404(Kader, kader_id, current_actor()), own=False)


@bp.route("/posyandu/<int:posyandu_id>/matriks")
@staff_required
def posyandu_matrix(posyandu_id: int) -> str:
    posyandu = get_scoped_or_404(Posyandu, posyandu_id, current_actor())
    roster = current_roster(posyandu.id)
    cat = queries.catalog()
    rows = queries.statuses([m.kader_id for m in roster], cat)
    levels = {k: queries.level_status(r, cat) for k, r in rows.items()}
    ready = sorted(
        {(m.kader.name, code) for m in roster for code, s in rows[m.kader_id].items() if s == queries.READY}
    )
    return render_template(
        "progress/matrix.html",
        posyandu=posyandu,
        roster=roster,
        cat=cat,
        rows=rows,
        levels=levels,
        ready=ready,
        hints=kader_hints([m.kader for m in roster], local_today(posyandu.kabupaten_code)),
    )
