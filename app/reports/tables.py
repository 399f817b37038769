"""The dashboard's tables: one definition feeds the page, the charts and the XLSX/CSV exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.templating import localized
from app.curriculum.levels import Level
from app.curriculum.models import Area, Skill
from app.extensions import db
from app.progress.levels import active_levels, level_label
from app.reports import queries as q
from app.reports.queries import Node

BELOW = "below"  # the column of kader below the first level


@dataclass(frozen=True)
class LevelColumn:
    """One level column of the reports, from the curriculum's levels (None: below the first)."""

    key: str  # the column's key in a Table
    code: str | None
    label: str
    css: str  # chart colour class: s-<css>


def level_columns(levels: tuple[Level, ...] | None = None) -> list[LevelColumn]:
    """Below the first level, then every level lowest first. Charts colour levels counted from
    the top (the highest level is always the darkest), so three levels look as they always
    did and a fourth gets a lighter shade."""
    levels = active_levels() if levels is None else levels
    below = _("Belum %(level)s", level=level_label(levels[0])) if levels else _("Belum mencapai tingkat")
    columns = [LevelColumn(BELOW, None, below, "below")]
    for rank, level in enumerate(levels):
        top = min(len(levels) - 1 - rank, 5)
        columns.append(LevelColumn(f"level:{level.code}", level.code, level_label(level), f"level-top{top}"))
    return columns


def unit_label(kind: str) -> str:
    return {
        "provinsi": _("Provinsi"),
        "kabupaten": _("Kabupaten/kota"),
        "kecamatan": _("Kecamatan"),
        "desa": _("Desa/kelurahan"),
        "posyandu": _("Posyandu"),
    }[kind]


@dataclass
class Table:
    name: str  # the export file name
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)  # drill-down target of each row's first cell
    total: list[Any] | None = None
    keys: list[str] = field(default_factory=list)  # a name per column, where code picks columns

    def index(self, key: str) -> int:
        return self.keys.index(key)

    def pick(self, row: list[Any], keys: list[str]) -> list[Any]:
        """The named cells of one row (or of the total)."""
        return [row[self.index(k)] for k in keys]

    def total_of(self, key: str) -> Any:
        return self.total[self.index(key)] if self.total else None


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Units:
    """The node's children with their names and drill-down keys, in display order."""

    keys: list[str]
    names: dict[str, str]

    def label(self, key: str) -> str:
        return self.names.get(key, key)


def units_of(node: Node) -> Units:
    keys = q.unit_keys(node)
    names = q.unit_names(node, keys)
    keys.sort(key=lambda k: (names.get(k, k).lower(), k))
    return Units(keys, names)


def coverage_table(
    node: Node, units: Units, link: Callable[[str], str | None], columns: list[LevelColumn]
) -> Table:
    """Kader by level and Posyandu with at least 4 certified kader, per unit."""
    levels = q.level_counts(node)
    coverage = q.posyandu_coverage(node)
    table = Table(
        "tingkat",
        _("Kader per tingkat kecakapan"),
        [
            unit_label(node.child_kind),
            _("Kader aktif"),
            *(c.label for c in columns),
            _("Kader bersertifikat"),
            _("Posyandu"),
            _("Posyandu dengan ≥4 kader bersertifikat"),
            _("Posyandu ≥4 bersertifikat (%)"),
        ],
        keys=["unit", "active", *(c.key for c in columns), "certified", "posyandu", "posyandu_min", "share"],
    )
    sums = [0] * (len(columns) + 4)
    for key in units.keys:
        per_level = [levels.get(key, {}).get(c.code, 0) for c in columns]
        cov = coverage.get(key, q.PosyanduCoverage(0, 0, 0))
        values = [sum(per_level), *per_level, cov.certified_kader, cov.posyandu, cov.with_min_certified]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        table.rows.append([units.label(key), *values, _share(cov.with_min_certified, cov.posyandu)])
        table.links.append(link(key))
    table.total = [_("Jumlah"), *sums, _share(sums[-1], sums[-2])]
    return table


def mastery_table(
    node: Node, units: Units, by: str, kader_per_unit: dict[str, int], skills: list[Skill]
) -> Table:
    """Share (%) of active kader who mastered each skill (or, by area, the area's skills on average)."""
    counts = q.mastery_counts(node)
    if by == "skill":
        columns = [(s.code, [s.id]) for s in skills]
    else:
        areas = db.session.scalars(select(Area).order_by(Area.position)).all()
        columns = [(a.code, [s.id for s in skills if s.area_code == a.code]) for a in areas]
    table = Table(
        "penguasaan-" + ("keterampilan" if by == "skill" else "bidang"),
        _("Penguasaan keterampilan (% kader aktif)"),
        [unit_label(node.child_kind), _("Kader aktif"), *(code for code, _ids in columns)],
    )
    all_units: dict[int, int] = {}
    for key in units.keys:
        kader = kader_per_unit.get(key, 0)
        row: list[Any] = [units.label(key), kader]
        for _code, ids in columns:
            mastered = sum(counts.get(key, {}).get(i, 0) for i in ids)
            row.append(_share(mastered, kader * len(ids)))
        table.rows.append(row)
        table.links.append(None)
        for skill_id, n in counts.get(key, {}).items():
            all_units[skill_id] = all_units.get(skill_id, 0) + n
    kader_total = sum(kader_per_unit.get(k, 0) for k in units.keys)
    table.total = [
        _("Jumlah"),
        kader_total,
        *(_share(sum(all_units.get(i, 0) for i in ids), kader_total * len(ids)) for _c, ids in columns),
    ]
    return table


def quiz_table(node: Node, skills: list[Skill]) -> Table:
    figures = q.quiz_figures(node)
    table = Table(
        "kuis",
        _("Kuis: kelulusan dan peningkatan pre-test → post-test"),
        [
            _("Keterampilan"),
            _("Percobaan"),
            _("Lulus"),
            _("Lulus (%)"),
            _("Kader mencoba"),
            _("Kader lulus"),
            _("Kader dengan pre-test"),
            _("Rata-rata pre-test (%)"),
            _("Rata-rata post-test terbaik (%)"),
            _("Peningkatan (poin)"),
        ],
    )
    for skill in skills:
        f = figures.get(skill.id)
        if f is None:
            continue
        gain = round(f.post_avg - f.pre_avg, 1) if f.pre_avg is not None and f.post_avg is not None else None
        table.rows.append(
            [
                f"{skill.code} {localized(skill, 'title')}",
                f.attempts,
                f.passed,
                _share(f.passed, f.attempts),
                f.kader_tried,
                f.kader_passed,
                f.pairs,
                None if f.pre_avg is None else round(f.pre_avg, 1),
                None if f.post_avg is None else round(f.post_avg, 1),
                gain,
            ]
        )
        table.links.append(None)
    return table


def month_label(month: q.Month) -> str:
    return f"{month[0]}-{month[1]:02d}"


def practicals_table(node: Node, months: list[q.Month]) -> Table:
    names, counts = q.practical_counts(node, months)
    table = Table(
        "penilaian-praktik",
        _("Penilaian praktik per fasilitator dan bulan"),
        [_("Fasilitator"), *(month_label(m) for m in months), _("Jumlah")],
    )
    for assessor_id in sorted(names, key=lambda a: (names[a].lower(), a)):
        per_month = [counts.get((assessor_id, m), 0) for m in months]
        table.rows.append([names[assessor_id], *per_month, sum(per_month)])
        table.links.append(None)
    table.total = [
        _("Jumlah"),
        *(sum(counts.get((a, m), 0) for a in names) for m in months),
        sum(counts.values()),
    ]
    return table


def certificates_table(node: Node, months: list[q.Month], columns: list[LevelColumn]) -> Table:
    counts = q.certificate_counts(node, months)
    issued = [c for c in columns if c.code is not None]
    table = Table(
        "sertifikat-per-bulan",
        _("Sertifikat diterbitkan per bulan"),
        [_("Bulan"), *(c.label for c in issued), _("Jumlah")],
        keys=["month", *(c.key for c in issued), "all"],
    )
    for m in months:
        values = [counts.get((m, c.code), 0) for c in issued]
        table.rows.append([month_label(m), *values, sum(values)])
        table.links.append(None)
    table.total = [
        _("Jumlah"),
        *(sum(counts.get((m, c.code), 0) for m in months) for c in issued),
        sum(counts.values()),
    ]
    return table


@dataclass
class Dashboard:
    node: Node
    units: Units
    tables: dict[str, Table]
    months: list[q.Month]
    levels: list[LevelColumn]  # below the first level, then each level

    @property
    def reached(self) -> list[LevelColumn]:
        return [c for c in self.levels if c.code is not None]


def build_dashboard(node: Node, today: date, heat_by: str, link: Callable[[str], str | None]) -> Dashboard:
    units = units_of(node)
    months = q.last_months(today)
    columns = level_columns()
    coverage = coverage_table(node, units, link, columns)
    tables = {coverage.name: coverage}
    if node.detailed:
        active = coverage.index("active")
        kader_per_unit = {key: row[active] for key, row in zip(units.keys, coverage.rows, strict=True)}
        skills = q.active_skills()
        for table in (
            mastery_table(node, units, heat_by, kader_per_unit, skills),
            quiz_table(node, skills),
            practicals_table(node, months),
            certificates_table(node, months, columns),
        ):
            tables[table.name] = table
    return Dashboard(node, units, tables, months, columns)
