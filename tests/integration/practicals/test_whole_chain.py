"""The whole chain on the real curriculum: quizzes passed + practicals kompeten -> Purwa, and the
progress page names what is missing for Madya."""

import re

from sqlalchemy import select

from app.curriculum.loader import load_curriculum
from app.curriculum.models import Skill
from app.curriculum.sync import sync_curriculum
from app.extensions import db
from app.progress.models import SkillAchievement
from app.quizzes.models import QuizAttemptItem
from tests.conftest import login
from tests.curriculum_tree import REAL_TREE
from tests.factories import pass_quiz, practical_kompeten

PURWA = [
    "K01",
    "K02",
    "K03",
    "K04",
    "K05",
    "K06",
    "K07",
    "K08",
    "K09",
    "K10",
    "K11",
    "K12",
    "K13",
    "K18",
    "K19",
    "K20",
]  # PP + BB + UR (the smallest third area)


def test_quiz_and_practical_make_purwa_and_progress_names_madya_gap(client, world):
    sync_curriculum(load_curriculum(REAL_TREE))
    db.session.commit()
    kader_id = world.kader_brebes.id
    for code in PURWA:
        skill = db.session.scalar(select(Skill).where(Skill.code == code))
        pass_quiz(kader_id, skill)
        if code != "K20":
            practical_kompeten(world, kader_id, skill)
        db.session.commit()
    assert (
        db.session.scalar(
            select(SkillAchievement)
            .where(SkillAchievement.kader_id == kader_id)
            .join(Skill)
            .where(Skill.code == "K20")
        )
        is None
    )  # quiz alone is not mastery
    login(client, "kader.siti")
    page = client.get("/kemajuan").get_data(as_text=True)
    assert "Belum mencapai tingkat" in page
    # The level box names the missing skill (and its area), not its code.
    assert "kurang Deteksi dini perilaku berisiko (merokok)" in page and "Purwa: kurang K20" not in page
    practical_kompeten(world, kader_id, db.session.scalar(select(Skill).where(Skill.code == "K20")))
    db.session.commit()
    page = client.get("/kemajuan").get_data(as_text=True)
    assert re.search(r'<p class="level-now">\s*Purwa\s*</p>', page)
    # IH is the shortest route to a second other area: named, with its skills, in the level box
    assert "tercepat: Ibu Hamil dan Menyusui, kurang Menimbang dan mengukur LiLA ibu hamil, " in page
    evidence = db.session.scalar(
        select(SkillAchievement).join(Skill).where(SkillAchievement.kader_id == kader_id, Skill.code == "K05")
    )
    assert evidence.quiz_attempt_id and evidence.practical_result_id and evidence.assessor_id
    assert db.session.scalar(select(QuizAttemptItem.id)) is not None
