"""Skill mastery: which quiz pass and practical result master a skill. Pure: no flask, no sqlalchemy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class QuizPass:
    attempt_id: int
    at: datetime


@dataclass(frozen=True)
class PracticalPass:
    result_id: int
    at: datetime
    assessor_id: int | None


@dataclass(frozen=True)
class Mastery:
    quiz: QuizPass
    practical: PracticalPass

    @property
    def at(self) -> datetime:
        return max(self.quiz.at, self.practical.at)


def mastery(
    quiz_passes: Iterable[QuizPass], practicals: Iterable[PracticalPass], quiz_before_practical: bool
) -> Mastery | None:
    """A skill is mastered with a passed quiz and a kompeten practical result.

    With `quiz_before_practical`, only a practical after a passed quiz counts. The evidence
    chosen is the earliest pair that satisfies the rule, so the achievement date is stable
    when more evidence arrives later.
    """
    quizzes = sorted(quiz_passes, key=lambda q: q.at)
    results = sorted(practicals, key=lambda p: p.at)
    if not quizzes or not results:
        return None
    if not quiz_before_practical:
        return Mastery(quizzes[0], results[0])
    first_quiz = quizzes[0]
    later = [p for p in results if p.at >= first_quiz.at]
    return Mastery(first_quiz, later[0]) if later else None
