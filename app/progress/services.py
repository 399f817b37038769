"""Keep SkillAchievement in step with the evidence (quiz passes, kompeten practicals).

Progress learns about evidence through `app.core.events.evidence_recorded` (the quiz and
practical packages do not import progress); the listeners below are connected at app start
in `app/__init__.py`. A kader's level rising is announced in turn (`level_reached`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core import audit
from app.core.events import level_reached
from app.curriculum.sync import active_version
from app.extensions import db
from app.progress.evidence import practical_passes, quiz_passes
from app.progress.levels import recompute_all_levels, refresh_levels
from app.progress.mastery import mastery
from app.progress.models import KaderLevel, SkillAchievement
from app.rosters.locking import lock_kader


def on_evidence_recorded(
    _sender: Any, *, kader_id: int, skill_id: int, user_id: int | None, kabupaten_code: str | None
) -> None:
    refresh_achievement(kader_id, skill_id, user_id=user_id, kabupaten_code=kabupaten_code)


def on_curriculum_synced(_sender: Any, **_details: Any) -> str:
    """New level rules or skills may change anyone's level: bring the summary in step."""
    return f"levels re-evaluated for {recompute_all_levels()} kader"


def quiz_must_come_first() -> bool:
    version = active_version()
    return bool(version and version.settings.get("quiz_before_practical"))


def refresh_achievement(
    kader_id: int, skill_id: int, *, user_id: int | None, kabupaten_code: str | None
) -> SkillAchievement | None:
    """Grant, update or withdraw the achievement for one kader and skill; audited when it changes.

    The kader's KaderLevel summary is refreshed in the same transaction; a level reached by
    this evidence is announced (`level_reached`).
    """
    # One evidence change per kader at a time: a quiz submit and a practical confirm for the
    # same skill, committed together, would each miss the other's uncommitted evidence and
    # neither grant the skill. The row lock makes the second wait and then read both (on
    # PostgreSQL; SQLite already runs one write transaction at a time).
    lock_kader(kader_id)
    key = (kader_id, skill_id)
    found = mastery(
        quiz_passes([kader_id]).get(key, []),
        practical_passes([kader_id]).get(key, []),
        quiz_must_come_first(),
    )
    current = db.session.scalar(
        select(SkillAchievement).where(
            SkillAchievement.kader_id == kader_id, SkillAchievement.skill_id == skill_id
        )
    )
    if found is None:
        if current is not None:
            audit.record(
                "achievement.withdrawn",
                "kader",
                kader_id,
                user_id=user_id,
                kabupaten_code=kabupaten_code,
                before={
                    "skill_id": skill_id,
                    "practical_result_id": current.practical_result_id,
                    "quiz_attempt_id": current.quiz_attempt_id,
                },
            )
            db.session.delete(current)
            db.session.flush()
            refresh_levels([kader_id])
        return None
    evidence = {
        "achieved_at": found.at,
        "quiz_attempt_id": found.quiz.attempt_id,
        "practical_result_id": found.practical.result_id,
        "assessor_id": found.practical.assessor_id,
    }
    if current is None:
        current = SkillAchievement(kader_id=kader_id, skill_id=skill_id, **evidence)
        db.session.add(current)
        audit.record(
            "achievement.granted",
            "kader",
            kader_id,
            user_id=user_id,
            kabupaten_code=kabupaten_code,
            after={"skill_id": skill_id, **evidence},
        )
    elif any(getattr(current, k) != v for k, v in evidence.items() if k != "achieved_at"):
        before = {k: getattr(current, k) for k in evidence}
        for k, v in evidence.items():
            setattr(current, k, v)
        audit.record(
            "achievement.updated",
            "kader",
            kader_id,
            user_id=user_id,
            kabupaten_code=kabupaten_code,
            before=before,
            after=evidence,
        )
    db.session.flush()
    before = _level_code(kader_id)
    refresh_levels([kader_id])
    after = _level_code(kader_id)
    # More mastered skills never lower a level, so a change on this path is a level reached.
    if after is not None and after != before:
        level_reached.send(
            "progress",
            kader_id=kader_id,
            level_code=after,
            previous_code=before,
            user_id=user_id,
            kabupaten_code=kabupaten_code,
        )
    return current


def _level_code(kader_id: int) -> str | None:
    return db.session.scalar(select(KaderLevel.level_code).where(KaderLevel.kader_id == kader_id))
