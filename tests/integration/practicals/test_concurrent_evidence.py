"""A kader's quiz and the fasilitator's practical for the same skill, committed at the same
moment, must still grant the skill: each transaction alone sees only its own evidence."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, select, text

from app import create_app
from app.curriculum.models import Skill
from app.extensions import db
from app.progress.models import KaderLevel, SkillAchievement
from tests.factories import pass_quiz, practical_kompeten


def wait_for_lock_waiter(url: str, timeout: float = 10.0) -> bool:
    """True once some session waits on a row lock (the practical's refresh)."""
    engine = create_engine(url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                waiting = conn.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                )
            if waiting:
                return True
            time.sleep(0.05)
        return False
    finally:
        engine.dispose()


def test_quiz_and_practical_committed_together_grant_the_skill(app, world, synced, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one write transaction at a time; the race needs PostgreSQL")
    kader_id = world.kader_brebes.id
    skill_id = db.session.scalar(select(Skill.id).where(Skill.code == "K01"))
    instance = create_app("testing", DATABASE_URL=database_url)
    quiz_written, errors = threading.Event(), []

    def kader_submits_quiz():
        try:
            with instance.app_context():
                pass_quiz(kader_id, db.session.get(Skill, skill_id))  # refreshes, not yet committed
                quiz_written.set()
                wait_for_lock_waiter(database_url.replace("+psycopg", ""))
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(repr(exc))
            quiz_written.set()

    quiz = threading.Thread(target=kader_submits_quiz)
    quiz.start()
    assert quiz_written.wait(30)
    practical_kompeten(world, kader_id, db.session.get(Skill, skill_id))  # waits for the quiz's commit
    db.session.commit()
    quiz.join()
    instance.extensions["kc_db"]["engine"].dispose()
    assert errors == []
    db.session.expire_all()
    granted = db.session.scalar(
        select(SkillAchievement).where(
            SkillAchievement.kader_id == kader_id, SkillAchievement.skill_id == skill_id
        )
    )
    assert granted is not None and granted.quiz_attempt_id and granted.practical_result_id
    assert db.session.get(KaderLevel, kader_id).mastered == 1
