"""Quiz services: start or resume, save an answer, finish once.

Services flush; the request commits. A refusal is returned (`Refusal`), not raised, whenever
the service may already have written something the request should keep (an expired attempt
closed on the way); refusals found before any write leave nothing to keep.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update

from app.core.events import evidence_recorded
from app.core.local_time import local_day_start, zone_for
from app.core.models import utc, utcnow
from app.curriculum.models import Item, ItemRevision, MaterialView, Skill
from app.extensions import db
from app.quizzes.models import QuizAttempt, QuizAttemptItem
from app.quizzes.scoring import authored_choice, draw, option_order, score
from app.rosters.locking import lock_kader
from app.rosters.models import Kader

_rng = random.SystemRandom()


class QuizError(ValueError):
    """A refusal raised by the services used outside a request (demo data, benches)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Refusal:
    """Why a quiz action was not done; `code` keys the message shown to the kader."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


def is_expired(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.submitted_at is None and deadline_passed(attempt.deadline, now)


def deadline_passed(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now > utc(deadline)


def open_attempt(kader_id: int, skill_id: int, now: datetime) -> QuizAttempt | None:
    attempt = db.session.scalar(
        select(QuizAttempt)
        .where(
            QuizAttempt.kader_id == kader_id,
            QuizAttempt.skill_id == skill_id,
            QuizAttempt.submitted_at.is_(None),
        )
        .order_by(QuizAttempt.id.desc())
    )
    if attempt is not None and is_expired(attempt, now):
        finish(attempt, now, "expired")
        return None
    return attempt


def start(
    kader_id: int,
    skill: Skill,
    now: datetime,
    *,
    max_per_day: int,
    cooldown_minutes: int,
    rng: random.Random | None = None,
) -> QuizAttempt | Refusal:
    """Resume the open attempt, or start a new one within the daily limit and cool-down.

    An expired open attempt found on the way is closed (and stays closed) even when the new
    attempt is then refused, so the refusal is returned rather than raised.
    """
    lock_kader(kader_id)  # parallel starts queue: the daily limit and "one open attempt" hold
    existing = open_attempt(kader_id, skill.id, now)
    if existing is not None:
        return existing
    kabupaten_code = db.session.scalar(select(Kader.kabupaten_code).where(Kader.id == kader_id))
    day_start = local_day_start(now, zone_for(kabupaten_code))  # the kader's own midnight
    today = db.session.scalar(
        select(func.count())
        .select_from(QuizAttempt)
        .where(
            QuizAttempt.kader_id == kader_id,
            QuizAttempt.skill_id == skill.id,
            QuizAttempt.started_at >= day_start,
        )
    )
    if today >= max_per_day:
        return Refusal("daily_limit", {"limit": max_per_day})
    last = db.session.scalar(
        select(func.max(QuizAttempt.submitted_at)).where(
            QuizAttempt.kader_id == kader_id, QuizAttempt.skill_id == skill.id
        )
    )
    if last is not None and cooldown_minutes and now < utc(last) + timedelta(minutes=cooldown_minutes):
        wait = utc(last) + timedelta(minutes=cooldown_minutes) - now
        return Refusal("cooldown", {"minutes": max(1, int(wait.total_seconds() // 60) + 1)})
    revisions = db.session.execute(
        select(ItemRevision.id, ItemRevision.options)
        .join(Item, Item.current_revision_id == ItemRevision.id)
        .where(Item.skill_id == skill.id, Item.active)
    ).all()
    if not revisions:
        return Refusal("no_items")
    rng = rng or _rng
    options = dict(revisions)
    chosen = draw([r[0] for r in revisions], skill.items_per_attempt, rng)
    previous = db.session.scalar(
        select(func.count())
        .select_from(QuizAttempt)
        .where(QuizAttempt.kader_id == kader_id, QuizAttempt.skill_id == skill.id)
    )
    opened = db.session.scalar(
        select(MaterialView.id).where(MaterialView.kader_id == kader_id, MaterialView.skill_id == skill.id)
    )
    attempt = QuizAttempt(
        kader_id=kader_id,
        skill_id=skill.id,
        started_at=now,
        total=len(chosen),
        pass_mark=skill.pass_mark,
        deadline=now + timedelta(minutes=skill.time_limit_minutes) if skill.time_limit_minutes else None,
        is_pretest=previous == 0 and opened is None,
    )
    db.session.add(attempt)
    db.session.flush()
    db.session.add_all(
        QuizAttemptItem(
            attempt_id=attempt.id,
            position=i,
            item_revision_id=rev_id,
            option_order=option_order(len(options[rev_id]), rng),
        )
        for i, rev_id in enumerate(chosen, start=1)
    )
    db.session.flush()
    return attempt


def lock(attempt_id: int) -> QuizAttempt | None:
    """Reload the attempt with a row lock (PostgreSQL) so a save and a submit never interleave."""
    return db.session.scalar(
        select(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


@dataclass(frozen=True)
class AnswerSlot:
    """What saving one answer needs of a locked attempt: its state and the one item answered."""

    attempt_id: int
    total: int
    submitted: bool
    deadline: datetime | None
    item_id: int | None  # None: the attempt has no question at this position
    option_order: list[int] | None
    chosen: int | None


# The answer save is the busiest write of the platform: its two statements are built once and
# run on the session's connection (Core), which spares the ORM's per-call work.
_ANSWER_SLOT = (
    select(
        QuizAttempt.total,
        QuizAttempt.submitted_at,
        QuizAttempt.deadline,
        QuizAttemptItem.id,
        QuizAttemptItem.option_order,
        QuizAttemptItem.chosen,
    )
    .select_from(QuizAttempt)
    .outerjoin(
        QuizAttemptItem,
        (QuizAttemptItem.attempt_id == QuizAttempt.id) & (QuizAttemptItem.position == bindparam("position")),
    )
    .where(QuizAttempt.id == bindparam("attempt_id"), QuizAttempt.kader_id == bindparam("kader_id"))
    .with_for_update(of=QuizAttempt)
)
_STORE_ANSWER = (
    update(QuizAttemptItem.__table__)
    .where(QuizAttemptItem.__table__.c.id == bindparam("item_id"))
    .values(chosen=bindparam("chosen"), answered_at=bindparam("answered_at"))
)


def lock_answer_slot(attempt_id: int, kader_id: int, position: int) -> AnswerSlot | None:
    """The kader's own attempt, locked (PostgreSQL) so a save and a submit never interleave, with
    only the item at `position`: one statement. None when the attempt is not the kader's (404)."""
    row = (
        db.session.connection()
        .execute(_ANSWER_SLOT, {"attempt_id": attempt_id, "kader_id": kader_id, "position": position})
        .one_or_none()
    )
    if row is None:
        return None
    total, submitted_at, deadline, item_id, order, chosen = row
    return AnswerSlot(attempt_id, total, submitted_at is not None, deadline, item_id, order, chosen)


def answer_refusal(slot: AnswerSlot, display_index: int, now: datetime) -> Refusal | int:
    """Why the answer chosen at `display_index` cannot be stored in `slot`, or the authored
    option it stands for. Pure: both save paths decide with it."""
    if slot.submitted:
        return Refusal("already_submitted")
    if deadline_passed(slot.deadline, now):
        return Refusal("expired")
    if slot.item_id is None or slot.option_order is None:
        return Refusal("item_not_in_attempt")
    try:
        return authored_choice(slot.option_order, display_index)
    except ValueError:
        return Refusal("option_invalid")


def store_answer(slot: AnswerSlot, display_index: int, now: datetime) -> Refusal | None:
    """Store the answer chosen at `display_index` in a locked slot; a refusal writes nothing.

    An answer after the deadline is refused without closing the attempt here: whichever page
    the kader sees next (result, resume, a new start) closes and scores it. The same answer
    stored already (the form re-posting what the background save wrote) is not written again.
    """
    authored = answer_refusal(slot, display_index, now)
    if isinstance(authored, Refusal):
        return authored
    if authored != slot.chosen:
        db.session.connection().execute(
            _STORE_ANSWER, {"item_id": slot.item_id, "chosen": authored, "answered_at": now}
        )
    return None


def save_answer(attempt: QuizAttempt, position: int, display_index: int, now: datetime) -> QuizAttemptItem:
    """Save an answer on a loaded attempt (demo data, benches): its ORM objects stay current.
    A refusal (the same rule as the request path's) is raised before anything is written; an
    expired attempt is left to `finish`."""
    attempt = lock(attempt.id) or attempt
    row = next((i for i in attempt.items if i.position == position), None)
    slot = AnswerSlot(
        attempt.id,
        attempt.total,
        attempt.submitted_at is not None,
        attempt.deadline,
        row.id if row else None,
        row.option_order if row else None,
        row.chosen if row else None,
    )
    authored = answer_refusal(slot, display_index, now)
    if isinstance(authored, Refusal):
        raise QuizError(authored.code, **authored.params)
    assert row is not None  # answer_refusal refused a missing item
    if row.chosen != authored:
        row.chosen = authored
        row.answered_at = now
        db.session.flush()
    return row


def finish(attempt: QuizAttempt, now: datetime, reason: str, *, user_id: int | None = None) -> bool:
    """Score and close the attempt once; False when it was already closed (double submit).

    A passed attempt is evidence, whichever path closed it (submit, or the time limit noticed
    on a later page), so it is announced here (`evidence_recorded`: progress listens).
    """
    attempt = lock(attempt.id) or attempt
    if attempt.submitted_at is not None:
        return False
    result = score([(i.chosen, i.revision.correct_index) for i in attempt.items], attempt.pass_mark)
    closed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=now, finish_reason=reason, correct=result.correct, passed=result.passed)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(attempt)
    if closed and attempt.passed:
        kabupaten = db.session.scalar(select(Kader.kabupaten_code).where(Kader.id == attempt.kader_id))
        evidence_recorded.send(
            "quizzes",
            kader_id=attempt.kader_id,
            skill_id=attempt.skill_id,
            user_id=user_id,
            kabupaten_code=kabupaten,
        )
    return bool(closed)


def now_utc() -> datetime:
    return utcnow()
