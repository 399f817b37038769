"""The dashboard's quiz figures come from the kader_skill_quiz summary; they must equal what the
raw attempts give. Attempts are made through the quiz services (start, answers, finish), as
a kader makes them, and the figures are compared with the aggregate over every attempt that
the dashboard computed before the summary existed, and with a count done here in Python.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import and_, case, delete, func, select

from app.core.models import utcnow
from app.curriculum.models import ItemRevision, MaterialView, Skill
from app.extensions import db
from app.practicals.services import create_session
from app.quizzes.models import QuizAttempt
from app.quizzes.services import finish, save_answer, start
from app.reports import queries as q
from app.reports.queries import Node, QuizFigures
from app.rosters.models import Kader, Posyandu, RosterMembership
from tests.conftest import login
from tests.factories import add_kader, as_numbers, read_csv, stored_summary, summary_from_attempts

BREBES = Node("kabupaten", "33.29", "Brebes", "kecamatan", (Posyandu.kabupaten_code == "33.29",))


def take(kader: Kader, skill: Skill, right: int, *, days_ago: int, finished: bool = True) -> QuizAttempt:
    """One attempt through the services: `right` answers correct, the rest wrong."""
    now = utcnow() - timedelta(days=days_ago)
    attempt = start(kader.id, skill, now, max_per_day=99, cooldown_minutes=0)
    for item in attempt.items:
        correct = db.session.get(ItemRevision, item.item_revision_id).correct_index
        shown = item.option_order.index(correct)
        choice = shown if item.position <= right else (shown + 1) % len(item.option_order)
        save_answer(attempt, item.position, choice, now + timedelta(seconds=30 * item.position))
    if finished:
        finish(attempt, now + timedelta(minutes=8), "submitted")
    db.session.commit()
    return attempt


def opened_material(kader: Kader, skill: Skill) -> None:
    """After this, the kader's next first attempt is no longer a pre-test."""
    db.session.add(MaterialView(kader_id=kader.id, skill_id=skill.id, first_opened_at=utcnow()))
    db.session.commit()


@pytest.fixture
def attempts(world, synced):
    skills = {s.code: s for s in db.session.scalars(select(Skill))}
    k01, k02, k03 = skills["K01"], skills["K02"], skills["K03"]
    a, b = world.kader_brebes, world.kader_brebes_other
    c = add_kader("3329045203850071", "Kader C", world.posyandu_brebes_2)
    left = add_kader("3329045203850072", "Kader Pindah", world.posyandu_brebes)
    db.session.commit()

    take(a, k01, 3, days_ago=9)  # pre-test
    opened_material(a, k01)
    take(a, k01, 6, days_ago=8)
    take(a, k01, 9, days_ago=7)  # passes
    take(a, k02, 4, days_ago=6)  # a pre-test and nothing after it: no pair
    opened_material(b, k01)
    take(b, k01, 5, days_ago=5)  # no pre-test: the material came first
    take(b, k01, 10, days_ago=4)
    take(b, k03, 2, days_ago=4, finished=False)  # still open: counts nowhere
    take(c, k01, 8, days_ago=3)  # the pre-test passes at once
    take(c, k01, 7, days_ago=2)  # a later attempt scores lower
    take(c, k02, 1, days_ago=2)
    opened_material(c, k02)
    take(c, k02, 7, days_ago=1)
    take(left, k01, 10, days_ago=3)
    take(world.kader_aceh, k01, 2, days_ago=3)  # another district
    membership = db.session.scalar(select(RosterMembership).where(RosterMembership.kader_id == left.id))
    membership.end_date = date.today()
    db.session.commit()
    return {"skills": skills, "left": left}


# ---- the expectations, from the raw attempts ---------------------------------------------------


def raw_figures(node: Node) -> dict[int, QuizFigures]:
    """The aggregate the dashboard ran over every attempt before the summary existed."""
    percent = 100.0 * QuizAttempt.correct / QuizAttempt.total
    pre, post = QuizAttempt.is_pretest.is_(True), QuizAttempt.is_pretest.is_(False)
    per_kader = (
        select(
            QuizAttempt.skill_id,
            func.sum(case((post, 1), else_=0)).label("attempts"),
            func.sum(case((and_(post, QuizAttempt.passed.is_(True)), 1), else_=0)).label("passed"),
            func.max(case((pre, percent))).label("pre"),
            func.max(case((post, percent))).label("post"),
        )
        .where(
            QuizAttempt.submitted_at.is_not(None),
            QuizAttempt.passed.is_not(None),
            QuizAttempt.kader_id.in_(q.active_kader(node)),
        )
        .group_by(QuizAttempt.kader_id, QuizAttempt.skill_id)
        .subquery()
    )
    paired = and_(per_kader.c.pre.is_not(None), per_kader.c.post.is_not(None))
    rows = db.session.execute(
        select(
            per_kader.c.skill_id,
            func.sum(per_kader.c.attempts),
            func.sum(per_kader.c.passed),
            func.sum(case((per_kader.c.attempts > 0, 1), else_=0)),
            func.sum(case((per_kader.c.passed > 0, 1), else_=0)),
            func.sum(case((paired, 1), else_=0)),
            func.avg(case((paired, per_kader.c.pre))),
            func.avg(case((paired, per_kader.c.post))),
        ).group_by(per_kader.c.skill_id)
    )
    return {
        s: QuizFigures(
            int(a),
            int(p),
            int(t),
            int(kp),
            int(n),
            None if x is None else float(x),
            None if y is None else float(y),
        )
        for s, a, p, t, kp, n, x, y in rows
    }


# ---- tests ----------------------------------------------------------------------------------------


def test_summary_rows_equal_the_attempts_made_through_the_services(attempts):
    expected = summary_from_attempts()
    assert stored_summary() == expected
    k01 = attempts["skills"]["K01"].id
    # by hand, kader C on K01: a passing pre-test (80%), one later attempt at 70%, which failed
    c = db.session.scalar(select(Kader).where(Kader.nik == "3329045203850071"))
    assert expected[(c.id, k01)] == (1, 0, 80.0, 70.0)
    assert (c.id, attempts["skills"]["K03"].id) not in expected  # nobody finished K03


def test_dashboard_figures_equal_the_aggregate_over_every_attempt(client, attempts):
    figures = q.quiz_figures(BREBES)
    raw = raw_figures(BREBES)
    assert figures.keys() == raw.keys() == {attempts["skills"]["K01"].id, attempts["skills"]["K02"].id}
    for skill_id, f in figures.items():
        r = raw[skill_id]
        assert (f.attempts, f.passed, f.kader_tried, f.kader_passed, f.pairs) == (
            r.attempts,
            r.passed,
            r.kader_tried,
            r.kader_passed,
            r.pairs,
        )
        for mine, before in ((f.pre_avg, r.pre_avg), (f.post_avg, r.post_avg)):
            assert (mine is None) == (before is None)
            assert before is None or mine == pytest.approx(before, abs=1e-9)  # summation order aside
    # the page's table, as dinkes downloads it; K01 worked by hand over A, B and C (the leaver
    # and Aceh not counted): 5 attempts after pre-tests, 2 passed; pairs A (30 -> 90), C (80 -> 70)
    login(client, "dinkes.brebes")
    rows = {r[0].split()[0]: as_numbers(r[1:]) for r in read_csv(client, "/laporan/unduh/kuis.csv")[1:]}
    assert rows["K01"] == [5, 2, 40, 3, 2, 2, 55.0, 80.0, 25.0]
    assert rows["K02"] == [1, 0, 0, 1, 0, 1, 10.0, 70.0, 60.0]


def test_summary_follows_attempts_added_changed_or_removed_through_the_session(attempts):
    """Any writer going through the session keeps the summary right (an import, a correction)."""
    k01, k02 = attempts["skills"]["K01"], attempts["skills"]["K02"]
    left = attempts["left"]
    at = utcnow()
    added = QuizAttempt(
        kader_id=left.id,
        skill_id=k01.id,
        started_at=at,
        submitted_at=at,
        finish_reason="submitted",
        correct=6,
        total=10,
        pass_mark=80,
        passed=False,
    )
    db.session.add(added)
    db.session.commit()
    # the leaver's first attempt was a passing pre-test (no material opened before it)
    assert stored_summary()[(left.id, k01.id)] == (1, 0, 100.0, 60.0)

    added.correct, added.passed = 9, True  # corrected
    db.session.commit()
    assert stored_summary()[(left.id, k01.id)] == (1, 1, 100.0, 90.0)

    db.session.delete(added)
    db.session.commit()
    assert stored_summary()[(left.id, k01.id)] == (0, 0, 100.0, None)
    assert stored_summary() == summary_from_attempts()

    db.session.execute(delete(QuizAttempt).where(QuizAttempt.skill_id == k02.id))
    db.session.commit()
    assert all(skill_id != k02.id for _, skill_id in stored_summary())
    assert stored_summary() == summary_from_attempts()


def test_an_open_attempt_counts_once_it_is_finished(world, synced):
    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    kader = world.kader_brebes
    take(kader, skill, 9, days_ago=1)  # a pre-test
    opened = take(kader, skill, 6, days_ago=0, finished=False)
    assert stored_summary() == {(kader.id, skill.id): (0, 0, 90.0, None)}
    assert finish(opened, utcnow(), "submitted")
    db.session.commit()
    assert stored_summary() == {(kader.id, skill.id): (1, 0, 90.0, 60.0)} == summary_from_attempts()


def test_migration_fills_the_summary_from_existing_attempts(attempts, database_url):
    from alembic import command

    from tests.conftest import alembic_config

    expected = summary_from_attempts()
    db.session.close()  # hold no lock on the table the downgrade drops
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "01c67d1c9f12")  # the revision before kader_skill_quiz
    command.upgrade(cfg, "head")
    assert len(expected) == 7 and stored_summary() == expected


def test_migration_counts_existing_practical_results(world, synced, database_url):
    from alembic import command

    from tests.conftest import alembic_config
    from tests.factories import counts_from_results, observe, stored_counts

    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    other = add_kader("3329045203850091", "Kader E", world.posyandu_brebes)
    session = create_session(
        posyandu=world.posyandu_brebes,
        assessor_id=world.users["fasilitator"].id,
        session_date=date.today(),
        today=date.today(),
        skills=[skill],
        kader_ids=[world.kader_brebes.id, other.id],
        note=None,
    )
    observe(world, session, world.kader_brebes.id, skill, "kompeten")
    observe(world, session, other.id, skill, "belum_kompeten")
    db.session.commit()
    db.session.close()
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "01c67d1c9f12")
    command.upgrade(cfg, "head")
    assert stored_counts() == {session.id: 2} == counts_from_results()
