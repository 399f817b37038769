"""Evidence for mastery, read from the quiz and practical tables as pure dataclasses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from app.core.models import utc
from app.extensions import db
from app.practicals.models import AssessmentSession, PracticalResult
from app.progress.mastery import PracticalPass, QuizPass

Key = tuple[int, int]  # (kader_id, skill_id)


def quiz_passes(kader_ids: Iterable[int]) -> dict[Key, list[QuizPass]]:
    from app.quizzes.models import QuizAttempt  # the quiz package is optional for practical-only tests

    out: dict[Key, list[QuizPass]] = defaultdict(list)
    ids = list(kader_ids)
    if not ids:
        return out
    rows = db.session.execute(
        select(QuizAttempt.kader_id, QuizAttempt.skill_id, QuizAttempt.id, QuizAttempt.submitted_at).where(
            QuizAttempt.kader_id.in_(ids), QuizAttempt.passed.is_(True), QuizAttempt.submitted_at.is_not(None)
        )
    )
    for kader_id, skill_id, attempt_id, at in rows:
        out[(kader_id, skill_id)].append(QuizPass(attempt_id, utc(at)))
    return out


def practical_passes(kader_ids: Iterable[int]) -> dict[Key, list[PracticalPass]]:
    out: dict[Key, list[PracticalPass]] = defaultdict(list)
    ids = list(kader_ids)
    if not ids:
        return out
    rows = db.session.execute(
        select(
            PracticalResult.kader_id,
            PracticalResult.skill_id,
            PracticalResult.id,
            PracticalResult.confirmed_at,
            PracticalResult.assessor_id,
            AssessmentSession.session_date,
        )
        .join(AssessmentSession, AssessmentSession.id == PracticalResult.session_id)
        .where(PracticalResult.kader_id.in_(ids), PracticalResult.result == "kompeten")
    )
    for kader_id, skill_id, result_id, confirmed_at, assessor_id, _day in rows:
        out[(kader_id, skill_id)].append(PracticalPass(result_id, utc(confirmed_at), assessor_id))
    return out
