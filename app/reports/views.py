"""Dashboards for dinkes, fasilitator and admin, with drill-down and XLSX/CSV export of every table."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.core.charts import Series, stacked_bars, stacked_columns
from app.core.decorators import staff_required
from app.core.exports import send_table
from app.core.local_time import local_today
from app.core.scope import current_actor
from app.reports import nodes
from app.reports.tables import Dashboard, Table, build_dashboard, month_label

bp = Blueprint("reports", __name__, url_prefix="/laporan")


def _request_node() -> tuple[nodes.Node, list[nodes.Crumb]]:
    code = request.args.get("wilayah", "").strip()[:20] or None
    found = nodes.resolve(current_actor(), code)
    if found is None:
        abort(404)
    return found


def _heat_by() -> str:
    return "skill" if request.args.get("heat") == "skill" else "area"


def _dashboard(node: nodes.Node, heat_by: str) -> Dashboard:
    def link(key: str) -> str | None:
        if node.child_kind == "posyandu":
            return url_for("progress.posyandu_matrix", posyandu_id=int(key))
        return url_for("reports.dashboard", wilayah=key, heat=heat_by if heat_by != "area" else None)

    # "The last 12 months" end on the district's date, not the server's UTC date.
    return build_dashboard(node, local_today(node.code or current_actor().kabupaten_code), heat_by, link)


def _charts(board: Dashboard) -> dict[str, object]:
    coverage = board.tables["tingkat"]
    level_keys = [c.key for c in board.levels]
    level_series = [Series(c.css, c.label) for c in board.levels]
    charts: dict[str, object] = {
        "levels": stacked_bars(
            "chart-levels",
            _("Kader aktif per tingkat kecakapan"),
            _(
                "Batang bertumpuk per wilayah: %(levels)s. Angka lengkap ada di tabel.",
                levels=", ".join(c.label for c in board.levels),
            ),
            [(row[0], coverage.pick(row, level_keys)) for row in coverage.rows],
            level_series,
        )
    }
    if "sertifikat-per-bulan" in board.tables:
        certs = board.tables["sertifikat-per-bulan"]
        issued_keys = [c.key for c in board.reached]
        charts["certificates"] = stacked_columns(
            "chart-certificates",
            _("Sertifikat diterbitkan per bulan"),
            _(
                "Kolom bertumpuk per bulan: %(levels)s. Angka lengkap ada di tabel.",
                levels=", ".join(c.label for c in board.reached),
            ),
            [
                (month_label(m)[2:], certs.pick(row, issued_keys))
                for m, row in zip(board.months, certs.rows, strict=True)
            ],
            level_series[1:],
        )
        practicals = board.tables["penilaian-praktik"]
        assert practicals.total is not None
        charts["practicals"] = stacked_columns(
            "chart-practicals",
            _("Penilaian praktik per bulan"),
            _("Hasil penilaian praktik yang dikonfirmasi per bulan. Rincian per fasilitator ada di tabel."),
            [(month_label(m)[2:], [n]) for m, n in zip(board.months, practicals.total[1:-1], strict=True)],
            [Series("practical", _("Hasil penilaian"))],
        )
    return charts


@bp.route("/")
@staff_required
def dashboard() -> ResponseReturnValue:
    node, crumbs = _request_node()
    heat_by = _heat_by()
    board = _dashboard(node, heat_by)
    return render_template(
        "reports/dashboard.html",
        board=board,
        crumbs=crumbs,
        heat_by=heat_by,
        charts=_charts(board),
        wilayah=node.code if len(crumbs) > 1 else None,
    )


@bp.route("/unduh/<name>.<fmt>")
@staff_required
def export(name: str, fmt: str) -> ResponseReturnValue:
    if fmt not in ("csv", "xlsx"):
        abort(404)
    node, _crumbs = _request_node()
    heat_by = "skill" if name == "penguasaan-keterampilan" else "area"
    table: Table | None = _dashboard(node, heat_by).tables.get(name)
    if table is None:
        abort(404)
    rows = [*table.rows, *([table.total] if table.total else [])]
    slug = (node.code or ("nasional" if node.kind == "national" else "puskesmas")).replace(".", "-")
    return send_table(table.header, rows, fmt, f"{name}-{slug}", table.name)
