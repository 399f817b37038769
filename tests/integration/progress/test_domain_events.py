"""Evidence reaches progress through `evidence_recorded`, and a level reached is announced once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.events import evidence_recorded, level_reached
from app.curriculum.models import Skill
from app.extensions import db
from app.progress.models import SkillAchievement
from tests.factories import pass_quiz, practical_kompeten


def _skill(code: str) -> Skill:
    return db.session.scalar(select(Skill).where(Skill.code == code))


def _master(world, code: str) -> None:
    pass_quiz(world.kader_brebes.id, _skill(code))
    practical_kompeten(world, world.kader_brebes.id, _skill(code))
    db.session.commit()


def test_the_last_skill_of_a_level_announces_it_once(world, synced):
    heard: list[dict[str, Any]] = []

    def listener(sender: Any, **details: Any) -> None:
        heard.append({"sender": sender, **details})

    with level_reached.connected_to(listener):
        _master(world, "K01")
        assert heard == []  # one of the two PP skills: no level yet
        _master(world, "K02")  # all of PP: Purwa in the mini curriculum
        practical_kompeten(world, world.kader_brebes.id, _skill("K02"))  # more evidence, same level
        db.session.commit()
    assert heard == [
        {
            "sender": "progress",
            "kader_id": world.kader_brebes.id,
            "level_code": "purwa",
            "previous_code": None,
            "user_id": world.users["fasilitator"].id,
            "kabupaten_code": world.kader_brebes.kabupaten_code,
        }
    ]


def test_progress_learns_of_evidence_only_through_the_signal(world, synced):
    with evidence_recorded.muted():
        _master(world, "K01")
    assert db.session.scalar(select(SkillAchievement.id)) is None
    _master(world, "K02")
    assert db.session.scalar(select(SkillAchievement.skill_id)) == _skill("K02").id
