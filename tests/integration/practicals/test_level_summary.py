"""The KaderLevel summary the dashboards count follows every change of evidence and of the rules."""

from __future__ import annotations

from sqlalchemy import select

from app.curriculum.loader import load_curriculum
from app.curriculum.models import Skill
from app.extensions import db
from app.practicals.models import PracticalResult
from app.practicals.services import confirm
from app.progress.levels import reached_levels, recompute_all_levels
from app.progress.models import KaderLevel
from tests.conftest import run_cli
from tests.curriculum_tree import build_tree, edit_yaml
from tests.factories import pass_quiz, practical_kompeten


def level_of(kader_id: int) -> str | None:
    db.session.expire_all()  # read what the services wrote, not the identity map
    row = db.session.get(KaderLevel, kader_id)
    return row.level_code if row else None


def test_summary_follows_quiz_practical_and_correction(world, synced):
    kader_id = world.kader_brebes.id
    skills = {s.code: s for s in db.session.scalars(select(Skill))}
    pass_quiz(kader_id, skills["K01"])
    practical_kompeten(world, kader_id, skills["K01"])
    db.session.commit()
    assert level_of(kader_id) is None and db.session.get(KaderLevel, kader_id).mastered == 1
    pass_quiz(kader_id, skills["K02"])
    practical_kompeten(world, kader_id, skills["K02"])
    db.session.commit()
    assert level_of(kader_id) == "purwa"  # mini curriculum: Purwa = all of PP (K01, K02)

    # the assessor corrects K02 to belum kompeten: the achievement and the level go
    result = db.session.scalar(
        select(PracticalResult).where(
            PracticalResult.kader_id == kader_id, PracticalResult.skill_id == skills["K02"].id
        )
    )
    confirm(
        result,
        "belum_kompeten",
        "langkah kritis terlewat",
        user_id=world.users["fasilitator"].id,
        min_share=0.75,
    )
    db.session.commit()
    assert level_of(kader_id) is None
    assert db.session.get(KaderLevel, kader_id).mastered == 1


def test_new_rules_recompute_every_level(app, world, synced, tmp_path):
    from tests.factories import grant

    grant(world.kader_brebes, "K01", "K02")
    grant(world.kader_brebes_other, "K01")
    assert level_of(world.kader_brebes.id) == "purwa"
    # a new curriculum version where Purwa needs only K01 (min_skills) and Madya all of PP
    tree = build_tree(tmp_path / "baru")
    edit_yaml(
        tree / "levels.yaml",
        lambda data: data.update(
            levels=[
                {
                    "code": "purwa",
                    "name": "Purwa",
                    "requires": [{"min_skills": {"at_least": 1, "from": ["K01"]}}],
                },
                {"code": "madya", "name": "Madya", "requires": [{"all_of_area": "PP"}]},
            ]
        ),
    )
    edit_yaml(tree / "curriculum.yaml", lambda data: data.update(version="uji-2"))
    load_curriculum(tree)  # valid
    result = run_cli(app, "curriculum", "sync", str(tree))
    assert result.exit_code == 0, result.output
    assert "levels re-evaluated for 2 kader" in result.output
    assert level_of(world.kader_brebes.id) == "madya"
    assert level_of(world.kader_brebes_other.id) == "purwa"
    live = reached_levels([world.kader_brebes.id, world.kader_brebes_other.id])
    assert {k: v.code for k, v in live.items()} == {
        world.kader_brebes.id: "madya",
        world.kader_brebes_other.id: "purwa",
    }


def test_recompute_repairs_a_drifted_summary(world, synced):
    from tests.factories import grant

    grant(world.kader_brebes, "K01", "K02")
    db.session.get(KaderLevel, world.kader_brebes.id).level_code = "utama"  # drift, e.g. a manual edit
    db.session.add(KaderLevel(kader_id=world.kader_aceh.id, level_code="purwa", mastered=3))  # no evidence
    db.session.commit()
    assert recompute_all_levels() == 1
    db.session.commit()
    assert level_of(world.kader_brebes.id) == "purwa"
    assert db.session.get(KaderLevel, world.kader_aceh.id) is None


def test_a_passed_attempt_closed_by_its_time_limit_still_grants_mastery(world, synced):
    from datetime import timedelta

    from app.core.models import utcnow
    from app.curriculum.models import ItemRevision
    from app.progress.models import SkillAchievement
    from app.quizzes.services import save_answer, start

    kader_id = world.kader_brebes.id
    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    practical_kompeten(world, kader_id, skill)
    attempt = start(kader_id, skill, utcnow(), max_per_day=99, cooldown_minutes=0)
    for item in attempt.items:
        rev = db.session.get(ItemRevision, item.item_revision_id)
        save_answer(attempt, item.position, item.option_order.index(rev.correct_index), utcnow())
    attempt.deadline = utcnow() - timedelta(minutes=1)  # the phone slept past the limit
    db.session.commit()
    # the kader comes back: resuming finds the attempt expired and closes it with its answers
    start(kader_id, skill, utcnow(), max_per_day=99, cooldown_minutes=0)
    db.session.commit()
    db.session.refresh(attempt)
    assert attempt.finish_reason == "expired" and attempt.passed
    achievement = db.session.scalar(select(SkillAchievement).where(SkillAchievement.kader_id == kader_id))
    assert achievement is not None and achievement.quiz_attempt_id == attempt.id
    assert db.session.get(KaderLevel, kader_id).mastered == 1
