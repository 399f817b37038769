"""`save_answer` (demo data, benches) refuses exactly as the request path's rule does."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.models import utcnow
from app.curriculum.models import Skill
from app.extensions import db
from app.quizzes.services import QuizError, finish, save_answer, start


@pytest.fixture
def attempt(world, synced):
    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    opened = start(world.kader_brebes.id, skill, utcnow(), max_per_day=99, cooldown_minutes=0)
    db.session.commit()
    return opened


def refusal(attempt, position: int, option: int, now=None) -> str | None:
    try:
        save_answer(attempt, position, option, now or utcnow())
    except QuizError as exc:
        return exc.code
    return None


def test_save_answer_stores_and_refuses_as_the_request_path(attempt):
    assert refusal(attempt, 1, 0) is None
    assert attempt.items[0].chosen == attempt.items[0].option_order[0]
    assert refusal(attempt, 99, 0) == "item_not_in_attempt"
    assert refusal(attempt, 1, 7) == "option_invalid"
    finish(attempt, utcnow(), "submitted")
    assert refusal(attempt, 2, 0) == "already_submitted"
