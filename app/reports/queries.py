"""Read-only aggregates for the dashboards. Every figure is a GROUP BY in the database.

All figures count kader by their *current* roster membership (open, at an active Posyandu):
a kader who moved is counted where they serve now, one who left is not counted. The
Posyandu set is the node's filters plus the one scoping helper for the actor. Kader per
level and certified kader come from the per-Posyandu summary (reports.posyandu_counts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FunctionElement,
    Integer,
    Select,
    and_,
    case,
    extract,
    func,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles

from app.auth.models import User
from app.certificates.models import Certificate
from app.curriculum.models import Skill
from app.extensions import db
from app.practicals.models import AssessmentSession
from app.progress.models import KaderSkillQuiz, SkillAchievement
from app.reports.models import KabupatenCoverage, KabupatenLevelCount, PosyanduKaderCount, SessionResultCount
from app.reports.posyandu_counts import CERTIFIED_POSYANDU_MIN
from app.rosters.models import Posyandu, RosterMembership, Wilayah

# How a node's children are formed from a Posyandu row.
UNIT_COLUMNS: dict[str, Any] = {
    "provinsi": func.substr(Posyandu.kabupaten_code, 1, 2),
    "kabupaten": Posyandu.kabupaten_code,
    "kecamatan": func.substr(Posyandu.desa_code, 1, 8),
    "desa": Posyandu.desa_code,
    "posyandu": Posyandu.id,
}


@dataclass(frozen=True)
class Node:
    """Where a dashboard looks: a set of Posyandu and the kind of unit its rows are."""

    kind: str  # national | provinsi | kabupaten | kecamatan | desa | puskesmas
    code: str | None  # the wilayah code (None for national and a Puskesmas area)
    name: str
    child_kind: str  # provinsi | kabupaten | kecamatan | desa | posyandu
    filters: tuple[ColumnElement[bool], ...]  # on Posyandu; include the actor's scope

    @property
    def unit(self) -> Any:
        return UNIT_COLUMNS[self.child_kind]

    @property
    def detailed(self) -> bool:
        """Below a district the full dashboard; above it, the coverage summary only."""
        return self.kind not in ("national", "provinsi")


def posyandu_where(node: Node) -> ColumnElement[bool]:
    return and_(Posyandu.active.is_(True), *node.filters)


def active_kader(node: Node) -> Select[Any]:
    """Ids of kader serving now at a Posyandu of the node."""
    return (
        select(RosterMembership.kader_id)
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .where(RosterMembership.end_date.is_(None), posyandu_where(node))
    )


def rolled_up(node: Node) -> bool:
    """The whole country or a provinsi: read the kabupaten roll-ups, not every Posyandu.

    nodes.py builds these nodes for admin only, whose scope is everything, so the node's
    area is its only filter (`kabupaten_where`).
    """
    return node.child_kind in ("provinsi", "kabupaten")


def kabupaten_where(node: Node, column: Any) -> ColumnElement[bool]:
    return column.like(f"{node.code}.%") if node.kind == "provinsi" else true()


def kabupaten_unit(node: Node, column: Any) -> Any:
    return func.substr(column, 1, 2) if node.child_kind == "provinsi" else column


def unit_keys(node: Node) -> list[str]:
    if rolled_up(node):
        code = KabupatenCoverage.kabupaten_code
        keys = db.session.scalars(
            select(kabupaten_unit(node, code)).where(kabupaten_where(node, code)).distinct()
        )
    else:
        keys = db.session.scalars(select(node.unit).where(posyandu_where(node)).distinct())
    return sorted(str(k) for k in keys)


def unit_names(node: Node, keys: Sequence[str]) -> dict[str, str]:
    if node.child_kind == "posyandu":
        ids = [int(k) for k in keys]
        rows = db.session.execute(select(Posyandu.id, Posyandu.name).where(Posyandu.id.in_(ids)))
        return {str(i): n for i, n in rows}
    rows = db.session.execute(select(Wilayah.code, Wilayah.name).where(Wilayah.code.in_(list(keys))))
    return {code: name for code, name in rows}


def level_counts(node: Node) -> dict[str, dict[str | None, int]]:
    """unit -> level code (None below the first level) -> active kader."""
    out: dict[str, dict[str | None, int]] = defaultdict(dict)
    if rolled_up(node):
        rolled = KabupatenLevelCount
        unit = kabupaten_unit(node, rolled.kabupaten_code)
        query = (
            select(unit, rolled.level_code, func.sum(rolled.kader))
            .where(kabupaten_where(node, rolled.kabupaten_code))
            .group_by(unit, rolled.level_code)
        )
    else:
        counts = PosyanduKaderCount
        query = (
            select(node.unit, counts.level_code, func.sum(counts.kader))
            .join(Posyandu, Posyandu.id == counts.posyandu_id)
            .where(posyandu_where(node))
            .group_by(node.unit, counts.level_code)
        )
    for unit_key, level, n in db.session.execute(query):
        out[str(unit_key)][level] = out[str(unit_key)].get(level, 0) + int(n)
    return out


@dataclass(frozen=True)
class PosyanduCoverage:
    posyandu: int
    with_min_certified: int  # Posyandu with at least CERTIFIED_POSYANDU_MIN certified kader
    certified_kader: int  # active kader holding a valid certificate (any level)


def posyandu_coverage(node: Node) -> dict[str, PosyanduCoverage]:
    if rolled_up(node):
        return _rolled_up_coverage(node)
    # The node's filter goes inside the grouped subquery too: the database cannot push it
    # through GROUP BY, and a district would otherwise sum the whole country's counts.
    counts = PosyanduKaderCount
    certified = (
        select(counts.posyandu_id, func.sum(counts.certified).label("n"))
        .join(Posyandu, Posyandu.id == counts.posyandu_id)
        .where(posyandu_where(node))
        .group_by(counts.posyandu_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            node.unit,
            func.count(Posyandu.id),
            func.sum(case((certified.c.n >= CERTIFIED_POSYANDU_MIN, 1), else_=0)),
            func.sum(func.coalesce(certified.c.n, 0)),
        )
        .select_from(Posyandu)
        .outerjoin(certified, certified.c.posyandu_id == Posyandu.id)
        .where(posyandu_where(node))
        .group_by(node.unit)
    )
    return {str(u): PosyanduCoverage(int(p), int(c or 0), int(k or 0)) for u, p, c, k in rows}


def _rolled_up_coverage(node: Node) -> dict[str, PosyanduCoverage]:
    coverage, levels = KabupatenCoverage, KabupatenLevelCount
    certified: dict[str, int] = defaultdict(int)
    unit = kabupaten_unit(node, levels.kabupaten_code)
    for key, n in db.session.execute(
        select(unit, func.sum(levels.certified))
        .where(kabupaten_where(node, levels.kabupaten_code))
        .group_by(unit)
    ):
        certified[str(key)] = int(n)
    unit = kabupaten_unit(node, coverage.kabupaten_code)
    rows = db.session.execute(
        select(unit, func.sum(coverage.posyandu), func.sum(coverage.with_min_certified))
        .where(kabupaten_where(node, coverage.kabupaten_code))
        .group_by(unit)
    )
    return {str(u): PosyanduCoverage(int(p), int(c), certified[str(u)]) for u, p, c in rows}


def active_skills() -> list[Skill]:
    return list(db.session.scalars(select(Skill).where(Skill.active).order_by(Skill.code)))


def mastery_counts(node: Node) -> dict[str, dict[int, int]]:
    """unit -> skill id -> active kader who mastered it."""
    out: dict[str, dict[int, int]] = defaultdict(dict)
    rows = db.session.execute(
        select(node.unit, SkillAchievement.skill_id, func.count())
        .select_from(SkillAchievement)
        .join(
            RosterMembership,
            and_(RosterMembership.kader_id == SkillAchievement.kader_id, RosterMembership.end_date.is_(None)),
        )
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .where(posyandu_where(node))
        .group_by(node.unit, SkillAchievement.skill_id)
    )
    for unit, skill_id, n in rows:
        out[str(unit)][skill_id] = n
    return out


@dataclass(frozen=True)
class QuizFigures:
    attempts: int  # finished attempts that were not pre-tests
    passed: int
    kader_tried: int
    kader_passed: int
    pairs: int  # kader with a pre-test and at least one later attempt
    pre_avg: float | None  # mean pre-test score of those kader (percent)
    post_avg: float | None  # mean of their best later score (percent)


class key_order_scan(FunctionElement[int]):
    """The column, with SQLite told not to look it up through an index (SQLite's unary `+`).

    For a whole district SQLite would otherwise fetch the summary kader by kader and then sort
    every row for the GROUP BY; reading the table in its (skill, kader) key order is twice as
    fast. Other databases get the plain column and choose for themselves.
    """

    type = Integer()
    name = "key_order_scan"
    inherit_cache = True


@compiles(key_order_scan)
def _plain_column(element: key_order_scan, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(key_order_scan, "sqlite")
def _unindexed_column(element: key_order_scan, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


def quiz_figures(node: Node) -> dict[int, QuizFigures]:
    """skill id -> pass rates and pre/post learning gain, over the node's active kader.

    One scan of the per-kader-per-skill summary (KaderSkillQuiz, kept in step with the
    attempts by the progress package), grouped per skill.
    """
    per_kader = KaderSkillQuiz
    paired = and_(per_kader.pre_percent.is_not(None), per_kader.post_percent.is_not(None))
    # a district or wider reads most of the table; a kecamatan or desa only its kader's rows
    wide = node.kind in ("national", "provinsi", "kabupaten")
    kader = key_order_scan(per_kader.kader_id) if wide else per_kader.kader_id
    rows = db.session.execute(
        select(
            per_kader.skill_id,
            func.sum(per_kader.attempts),
            func.sum(per_kader.passed),
            func.sum(case((per_kader.attempts > 0, 1), else_=0)),
            func.sum(case((per_kader.passed > 0, 1), else_=0)),
            func.sum(case((paired, 1), else_=0)),
            func.avg(case((paired, per_kader.pre_percent))),
            func.avg(case((paired, per_kader.post_percent))),
        )
        .where(kader.in_(active_kader(node)))
        .group_by(per_kader.skill_id)
    )
    out: dict[int, QuizFigures] = {}
    for skill_id, attempts, passed, tried, kader_passed, pairs, pre_avg, post_avg in rows:
        out[skill_id] = QuizFigures(
            int(attempts or 0),
            int(passed or 0),
            int(tried or 0),
            int(kader_passed or 0),
            int(pairs or 0),
            float(pre_avg) if pre_avg is not None else None,
            float(post_avg) if post_avg is not None else None,
        )
    return out


Month = tuple[int, int]


def last_months(today: date, count: int = 12) -> list[Month]:
    """The `count` calendar months up to and including today's, oldest first."""
    months: list[Month] = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def practical_counts(
    node: Node, months: Sequence[Month]
) -> tuple[dict[int, str], dict[tuple[int, Month], int]]:
    """(assessor id -> name, (assessor, month) -> confirmed practical results) for the months.

    Sums the per-session counts (SessionResultCount, kept in step with the results) rather
    than joining every result.
    """
    start = date(months[0][0], months[0][1], 1)
    year = extract("year", AssessmentSession.session_date)
    month = extract("month", AssessmentSession.session_date)
    rows = db.session.execute(
        select(AssessmentSession.assessor_id, year, month, func.sum(SessionResultCount.confirmed))
        .join(SessionResultCount, SessionResultCount.session_id == AssessmentSession.id)
        .join(Posyandu, Posyandu.id == AssessmentSession.posyandu_id)
        .where(AssessmentSession.session_date >= start, posyandu_where(node))
        .group_by(AssessmentSession.assessor_id, year, month)
    ).all()
    counts = {(a, (int(y), int(m))): int(n) for a, y, m, n in rows}
    ids = sorted({a for a, _ in counts})
    names = {i: n for i, n in db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))}
    return names, counts


def certificate_counts(node: Node, months: Sequence[Month]) -> dict[tuple[Month, str], int]:
    """(month, level code) -> certificates issued to the node's active kader (later revocations included)."""
    start = date(months[0][0], months[0][1], 1)
    year = extract("year", Certificate.issued_on)
    month = extract("month", Certificate.issued_on)
    rows = db.session.execute(
        select(year, month, Certificate.level_code, func.count())
        .where(Certificate.issued_on >= start, Certificate.kader_id.in_(active_kader(node)))
        .group_by(year, month, Certificate.level_code)
    )
    return {((int(y), int(m)), level): int(n) for y, m, level, n in rows}
