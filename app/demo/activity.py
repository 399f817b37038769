"""Demo learning activity: quizzes, practical assessments, mastery and certificates.

Everything goes through the app's own services (so scores, pre-tests, achievements, levels
and the audit trail are exactly what real use would produce), over the six months before
the day of seeding. Deterministic apart from certificate verification codes.

Paguyangan (the demo fasilitator's Puskesmas) is furthest along: some kader reach the first or
second of the curriculum's levels and hold certificates, some wait for a practical. Kader of
the other Brebes kecamatan have only begun with quizzes; Aceh Selatan has not started, as a
district new to the programme would look.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.auth.models import User
from app.certificates.models import DistrictSettings
from app.certificates.services import CertificateError, issue
from app.curriculum.models import Area, ChecklistStep, ItemRevision, MaterialView, Skill
from app.curriculum.sync import active_version
from app.extensions import db
from app.practicals.services import confirm, create_session, result_for, set_ticks
from app.progress.levels import levels_and_areas, reached_levels
from app.progress.models import SkillAchievement
from app.progress.rules import evaluate
from app.quizzes.models import QuizAttempt
from app.quizzes.services import finish, save_answer, start
from app.rosters.models import Kader, Posyandu, RosterMembership

if TYPE_CHECKING:
    from app.demo.seed import SeedReport  # seed.py imports this module

DEMO_DAYS = 180
ACTIVE_KECAMATAN = "33.29.04"  # Paguyangan: quizzes, practicals and certificates
QUIZ_ONLY_KECAMATAN = ("33.29.03", "33.29.09", "33.29.15")  # Bumiayu, Brebes, Larangan
SIGNATORIES = {
    "33.29": ("Dinas Kesehatan Kabupaten Brebes", "Brebes"),
    "11.01": ("Dinas Kesehatan Kabupaten Aceh Selatan", "Tapaktuan"),
}
# Profiles for Paguyangan kader, with their weights: new (a pre-test or two), learning (the
# first area), and working towards the first or the second level of the curriculum's levels.
NEW, LEARNING = "baru", "belajar"
PROFILE_WEIGHTS = {NEW: 2, LEARNING: 3, 0: 3, 1: 1}  # level ranks as keys for the targets


# Posyandu id -> (kader id, skill, quiz-pass day) waiting for a practical there.
Waiting = dict[int, list[tuple[int, Skill, date]]]


def _at(day: date, hour: int, rng: random.Random) -> datetime:
    """A moment on `day` in Posyandu hours (WIB 08:00-15:00), as UTC."""
    local = datetime.combine(day, time(hour, rng.randint(0, 59)))
    return (local - timedelta(hours=7)).replace(tzinfo=UTC)


def _take_quiz(kader_id: int, skill: Skill, when: datetime, ability: float, rng: random.Random) -> bool:
    attempt = start(kader_id, skill, when, max_per_day=99, cooldown_minutes=0, rng=rng)
    for item in attempt.items:
        revision = db.session.get(ItemRevision, item.item_revision_id)
        right = item.option_order.index(revision.correct_index)
        wrong = [i for i in range(len(item.option_order)) if i != right]
        choice = right if rng.random() < ability else rng.choice(wrong)
        save_answer(attempt, item.position, choice, when + timedelta(seconds=45 * item.position))
    finish(attempt, when + timedelta(minutes=9), "submitted")
    return bool(attempt.passed)


def _learn(kader_id: int, skill: Skill, day: date, rng: random.Random, *, pretest: bool) -> date | None:
    """Optional pre-test, the material, then quizzes until passed (at most three days)."""
    if pretest:
        _take_quiz(kader_id, skill, _at(day, 9, rng), rng.uniform(0.35, 0.65), rng)
    db.session.add(MaterialView(kader_id=kader_id, skill_id=skill.id, first_opened_at=_at(day, 10, rng)))
    db.session.flush()
    ability = rng.uniform(0.8, 0.95)
    for attempt_day in (day, day + timedelta(days=1), day + timedelta(days=3)):
        if _take_quiz(kader_id, skill, _at(attempt_day, 13, rng), ability, rng):
            return attempt_day
        ability = min(0.98, ability + 0.08)
    return None


def seed_activity(today: date, report: SeedReport) -> None:
    version = active_version()
    if version is None:
        return  # no curriculum loaded yet: nothing to learn from
    if db.session.scalar(select(func.count()).select_from(QuizAttempt)):
        return  # already seeded (or real use has begun)
    rng = random.Random(f"kader-cakap-demo-{version.label}")
    plans = _profile_skills()
    profiles = list(plans)
    weights = [PROFILE_WEIGHTS[p] for p in profiles]
    first_area = plans[LEARNING]
    _signatories(report)
    first_day = today - timedelta(days=DEMO_DAYS)
    waiting: Waiting = defaultdict(list)

    for kader_id, posyandu_id, kecamatan in _roster():
        offset = rng.randint(0, 60)
        day = first_day + timedelta(days=offset)
        profile: str | int
        if kecamatan == ACTIVE_KECAMATAN:
            profile = rng.choices(profiles, weights=weights)[0]
            todo = plans[profile]
            if profile == NEW:
                todo = first_area[: rng.randint(1, 2)]
        elif kecamatan in QUIZ_ONLY_KECAMATAN:
            todo = first_area[: rng.choice((0, 1, 2, 3, 5))]
            profile = "quiz"
        else:
            continue
        for skill in todo:
            if day >= today - timedelta(days=2):
                break
            if profile == NEW:
                _take_quiz(kader_id, skill, _at(day, 9, rng), rng.uniform(0.3, 0.6), rng)  # a pre-test only
                day += timedelta(days=rng.randint(3, 10))
                continue
            passed_on = _learn(kader_id, skill, day, rng, pretest=rng.random() < 0.6)
            report.bump("skills studied")
            if passed_on and profile != "quiz":
                waiting[posyandu_id].append((kader_id, skill, passed_on))
            day += timedelta(days=rng.randint(1, 4) if isinstance(profile, int) else rng.randint(3, 9))
    db.session.flush()
    _run_practicals(waiting, first_day, today, rng, report)
    _issue_certificates(today, rng, report)
    report.bump("quiz attempts", db.session.scalar(select(func.count()).select_from(QuizAttempt)) or 0)


def _profile_skills() -> dict[str | int, list[Skill]]:
    """Per profile, the skills worked through in order. A level target takes the shortest route
    the level rules name (their shortfalls), lower levels first, so any levels file seeds."""
    levels, by_area = levels_and_areas()
    areas = list(db.session.scalars(select(Area.code).order_by(Area.position)))
    skills = {s.code: s for s in db.session.scalars(select(Skill).where(Skill.active))}
    place = {
        code: (areas.index(s.area_code) if s.area_code in areas else len(areas), code)
        for code, s in skills.items()
    }
    first = next((a for a in areas if by_area.get(a)), None)
    plans: dict[str | int, list[Skill]] = {NEW: [], LEARNING: [skills[c] for c in by_area.get(first, ())]}
    done: set[str] = set()
    rank = {lv.code: i for i, lv in enumerate(levels)}
    for target in range(min(2, len(levels))):
        status = evaluate(levels, by_area, done)
        while status.next is not None and (status.current is None or rank[status.current.code] < target):
            for short in status.shortfalls:
                done.update(sorted(short.skills, key=place.get)[: short.more_skills or None])
            status = evaluate(levels, by_area, done)
        plans[target] = [skills[c] for c in sorted(done, key=place.get)]
    return plans


def _roster() -> list[tuple[int, int, str]]:
    """Current Brebes kader with their Posyandu and kecamatan code, in a stable order."""
    rows = db.session.execute(
        select(RosterMembership.kader_id, Posyandu.id, func.substr(Posyandu.desa_code, 1, 8))
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .where(RosterMembership.end_date.is_(None), Posyandu.kabupaten_code == "33.29")
        .order_by(Posyandu.code, RosterMembership.kader_id)
    )
    return [(k, p, str(kec)) for k, p, kec in rows]


def _signatories(report: SeedReport) -> None:
    for code, (office, place) in SIGNATORIES.items():
        if db.session.get(DistrictSettings, code) is None:
            db.session.add(
                DistrictSettings(
                    kabupaten_code=code,
                    office_name=office,
                    signatory_name="dr. Contoh Penanda Tangan, M.Kes. (demo)",
                    signatory_title=f"Kepala {office}",
                    signatory_nip="197501012005012001",
                    place=place,
                )
            )
            report.bump("signatory settings")


def _run_practicals(
    waiting: dict[int, list[tuple[int, Skill, date]]],
    first_day: date,
    today: date,
    rng: random.Random,
    report: SeedReport,
) -> None:
    """Monthly visits per Posyandu; each pair is assessed at the first visit after its quiz.
    Now and then a kader misses a critical step and is assessed again at the next visit."""
    assessor = db.session.scalar(select(User).where(User.username == "fasilitator.demo"))
    if assessor is None:
        return
    share = float((active_version().settings or {}).get("practical_min_share", 0.75))
    for posyandu_id, pairs in sorted(waiting.items()):
        posyandu = db.session.get(Posyandu, posyandu_id)
        visit = first_day + timedelta(days=25 + posyandu_id % 7)
        pending = sorted(pairs, key=lambda p: p[2])
        while visit < today - timedelta(days=3) and pending:
            due = [p for p in pending if p[2] < visit]
            if due:
                session = create_session(
                    posyandu=posyandu,
                    assessor_id=assessor.id,
                    session_date=visit,
                    today=today,
                    skills=sorted({s for _, s, _ in due}, key=lambda s: s.code),
                    kader_ids=sorted({k for k, _, _ in due}),
                    note=None,
                )
                report.bump("assessment sessions")
                retry = []
                for kader_id, skill, passed_on in due:
                    if _observe(session, kader_id, skill, assessor.id, share, rng):
                        report.bump("practicals kompeten")
                    else:
                        retry.append((kader_id, skill, passed_on))
                pending = [p for p in pending if p not in due] + retry
            visit += timedelta(days=rng.randint(26, 35))


def _observe(
    session, kader_id: int, skill: Skill, assessor_id: int, share: float, rng: random.Random
) -> bool:
    steps = db.session.scalars(
        select(ChecklistStep).where(ChecklistStep.skill_id == skill.id, ChecklistStep.active)
    ).all()
    missed = {s.id for s in steps if s.critical and rng.random() < 0.04}
    result = result_for(session, kader_id, skill, assessor_id)
    set_ticks(result, {s.id: s.id not in missed for s in steps}, user_id=assessor_id, min_share=share)
    decision = "belum_kompeten" if missed else "kompeten"
    note = "Langkah kritis terlewat; diulang pada kunjungan berikutnya." if missed else None
    confirmed = _at(session.session_date, 11, rng)
    confirm(result, decision, note, user_id=assessor_id, min_share=share, now=confirmed)
    return not missed


def _issue_certificates(today: date, rng: random.Random, report: SeedReport) -> None:
    """Dinkes certifies most kader who reached a level, one to three weeks after the fact."""
    dinkes = db.session.scalar(select(User).where(User.username == "dinkes.brebes"))
    ids = list(db.session.scalars(select(Kader.id).where(Kader.kabupaten_code == "33.29").order_by(Kader.id)))
    levels = reached_levels(ids)
    reached_on = dict(
        db.session.execute(
            select(SkillAchievement.kader_id, func.max(SkillAchievement.achieved_at))
            .where(SkillAchievement.kader_id.in_([k for k, lv in levels.items() if lv]))
            .group_by(SkillAchievement.kader_id)
        ).all()
    )
    due = []
    for kader_id, level in levels.items():
        if level is None or rng.random() < 0.2:
            continue  # a few still wait in the dinkes "ready" list
        day = reached_on[kader_id].date() + timedelta(days=rng.randint(7, 21))
        if day <= today:
            due.append((day, kader_id, level.code))
    for day, kader_id, level_code in sorted(due):
        try:
            with db.session.begin_nested():
                issue(db.session.get(Kader, kader_id), level_code, user_id=dinkes and dinkes.id, today=day)
            report.bump("certificates")
        except CertificateError:
            continue
