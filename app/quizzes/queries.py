"""Quiz read side: a kader's status per skill, history, and item statistics over a scope."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.core.roles import Actor
from app.core.scope import scope_clause
from app.curriculum.models import Item, ItemRevision, Skill
from app.extensions import db
from app.quizzes.models import QuizAttempt, QuizAttemptItem
from app.quizzes.statistics import ItemStats, Response, item_stats, learning_gain
from app.rosters.models import Kader


def best_by_skill(kader_id: int) -> dict[int, tuple[int, bool]]:
    """skill id -> (best percent, ever passed) over the kader's submitted attempts."""
    out: dict[int, tuple[int, bool]] = {}
    for skill_id, correct, total, passed in db.session.execute(
        select(QuizAttempt.skill_id, QuizAttempt.correct, QuizAttempt.total, QuizAttempt.passed).where(
            QuizAttempt.kader_id == kader_id, QuizAttempt.submitted_at.is_not(None)
        )
    ):
        percent = round(100 * (correct or 0) / total) if total else 0
        best, ever = out.get(skill_id, (0, False))
        out[skill_id] = (max(best, percent), ever or bool(passed))
    return out


def history(kader_id: int, skill_id: int) -> list[QuizAttempt]:
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.kader_id == kader_id, QuizAttempt.skill_id == skill_id)
            .order_by(QuizAttempt.id.desc())
        )
    )


def skill_statistics(actor: Actor, skill: Skill) -> tuple[list[ItemStats], dict[int, ItemRevision], dict]:
    """Item statistics and learning gain over the submitted attempts of kader in the actor's scope."""
    in_scope = select(Kader.id).where(scope_clause(Kader, actor))
    attempts = {
        a.id: a
        for a in db.session.scalars(
            select(QuizAttempt).where(
                QuizAttempt.skill_id == skill.id,
                QuizAttempt.submitted_at.is_not(None),
                QuizAttempt.kader_id.in_(in_scope),
            )
        )
    }
    rows = db.session.execute(
        select(
            QuizAttemptItem.attempt_id,
            QuizAttemptItem.chosen,
            ItemRevision.item_id,
            ItemRevision.correct_index,
        )
        .join(ItemRevision, ItemRevision.id == QuizAttemptItem.item_revision_id)
        .where(QuizAttemptItem.attempt_id.in_(list(attempts) or [0]))
    ).all()
    responses = [
        Response(
            a_id,
            (attempts[a_id].correct or 0) / attempts[a_id].total,
            item_id,
            chosen,
            chosen is not None and chosen == right,
        )
        for a_id, chosen, item_id, right in rows
    ]
    stats = item_stats(responses)
    current = {
        rev.item_id: rev
        for rev in db.session.scalars(
            select(ItemRevision)
            .join(Item, Item.current_revision_id == ItemRevision.id)
            .where(Item.skill_id == skill.id)
        )
    }
    pre: dict[int, float] = {}
    post: dict[int, float] = defaultdict(float)
    for a in attempts.values():
        share = (a.correct or 0) / a.total
        if a.is_pretest:
            pre[a.kader_id] = share
        else:
            post[a.kader_id] = max(post[a.kader_id], share)
    both = [k for k in pre if k in post]
    gain = learning_gain([pre[k] for k in both], [post[k] for k in both])
    summary = {
        "attempts": len(attempts),
        "kader": len({a.kader_id for a in attempts.values()}),
        "pass_rate": (sum(1 for a in attempts.values() if a.passed) / len(attempts)) if attempts else None,
        "gain": gain,
        "gain_kader": len(both),
    }
    return stats, current, summary
