"""The background answer save on PostgreSQL in one statement (issue 16: at most 4 round trips).

Finding and locking the kader's attempt with the answered item, and storing the answer, are
one data-modifying CTE: with the user load, BEGIN and COMMIT a save is four round trips. The
UPDATE inside repeats `answer_refusal`'s conditions in SQL, so it writes exactly when that pure
rule accepts; the returned slot lets the view explain a refusal. SQLite (no network) keeps the
two-statement path in services.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from app.extensions import db
from app.quizzes.services import AnswerSlot, Refusal, answer_refusal

_LOCK_AND_STORE = text(
    """
WITH slot AS (
    SELECT a.total, a.submitted_at, a.deadline,
           i.id AS item_id, i.option_order, i.chosen
    FROM quiz_attempt AS a
    LEFT JOIN quiz_attempt_item AS i ON i.attempt_id = a.id AND i.position = :position
    WHERE a.id = :attempt_id AND a.kader_id = :kader_id
    FOR UPDATE OF a
), stored AS (
    UPDATE quiz_attempt_item AS t
    SET chosen = CAST(slot.option_order ->> CAST(:display AS integer) AS integer),
        answered_at = :now
    FROM slot
    WHERE t.id = slot.item_id
      AND slot.submitted_at IS NULL
      AND (slot.deadline IS NULL OR slot.deadline >= :now)
      AND slot.option_order ->> CAST(:display AS integer) IS NOT NULL
      AND t.chosen IS DISTINCT FROM CAST(slot.option_order ->> CAST(:display AS integer) AS integer)
    RETURNING t.id
)
SELECT slot.total, slot.submitted_at, slot.deadline, slot.item_id, slot.option_order, slot.chosen
FROM slot
"""
)


def lock_and_store(
    attempt_id: int, kader_id: int, position: int, display_index: int, now: datetime
) -> tuple[AnswerSlot, Refusal | None] | None:
    """Store the answer in one statement; None when the attempt is not the kader's (404).
    The slot is as it was before the write."""
    row = (
        db.session.connection()
        .execute(
            _LOCK_AND_STORE,
            {
                "attempt_id": attempt_id,
                "kader_id": kader_id,
                "position": position,
                "display": display_index,
                "now": now,
            },
        )
        .one_or_none()
    )
    if row is None:
        return None
    total, submitted_at, deadline, item_id, order, chosen = row
    slot = AnswerSlot(attempt_id, total, submitted_at is not None, deadline, item_id, order, chosen)
    decided = answer_refusal(slot, display_index, now)
    return slot, decided if isinstance(decided, Refusal) else None
