"""Assessment sessions and results. Services flush; the request commits once.

Refusals are found before anything is written (raised as PracticalError, or returned as a
code by `record_observation`); a recorded result is announced as evidence (progress listens).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.core import audit
from app.core.events import evidence_recorded
from app.core.models import utc, utcnow
from app.curriculum.models import ChecklistStep, Skill
from app.extensions import db
from app.practicals.models import AssessmentSession, PracticalResult, StepResult
from app.practicals.rules import StepTick, suggest_kompeten
from app.rosters.locking import lock_kader
from app.rosters.models import Kader, Posyandu, RosterMembership

DECISIONS = ("kompeten", "belum_kompeten")


class PracticalError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def roster_kader(posyandu_id: int) -> list[Kader]:
    return list(
        db.session.scalars(
            select(Kader)
            .join(RosterMembership, RosterMembership.kader_id == Kader.id)
            .where(RosterMembership.posyandu_id == posyandu_id, RosterMembership.end_date.is_(None))
            .order_by(Kader.name)
        )
    )


def create_session(
    *,
    posyandu: Posyandu,
    assessor_id: int,
    session_date: date,
    today: date,
    skills: list[Skill],
    kader_ids: list[int],
    note: str | None,
) -> AssessmentSession:
    if session_date > today:
        raise PracticalError("date_in_future")
    if not skills:
        raise PracticalError("no_skills")
    session = AssessmentSession(
        posyandu_id=posyandu.id,
        puskesmas_id=posyandu.puskesmas_id,
        kabupaten_code=posyandu.kabupaten_code,
        assessor_id=assessor_id,
        session_date=session_date,
        note=note or None,
        skills=list(skills),
    )
    db.session.add(session)
    db.session.flush()
    add_kader(session, kader_ids)
    audit.record(
        "practical.session_created",
        "assessment_session",
        session.id,
        user_id=assessor_id,
        kabupaten_code=session.kabupaten_code,
        after={
            "posyandu_id": posyandu.id,
            "date": session_date,
            "skills": [s.code for s in skills],
            "kader_ids": kader_ids,
        },
    )
    return session


def add_kader(session: AssessmentSession, kader_ids: list[int]) -> None:
    """Attendees come from the Posyandu's current roster only."""
    roster = {k.id: k for k in roster_kader(session.posyandu_id)}
    unknown = [k for k in kader_ids if k not in roster]
    if unknown:
        raise PracticalError("kader_not_in_roster")
    for kader_id in kader_ids:
        if roster[kader_id] not in session.kaders:
            session.kaders.append(roster[kader_id])
    db.session.flush()


def result_for(session: AssessmentSession, kader_id: int, skill: Skill, assessor_id: int) -> PracticalResult:
    """The result row for a kader and skill of this session, created on first use."""
    if kader_id not in {k.id for k in session.kaders} or skill not in session.skills:
        raise PracticalError("not_in_session")
    # Ticks sent in parallel (the page saves each tap) queue here, so the first creates the
    # result and the others find it: no duplicate row, no lost tick.
    lock_kader(kader_id)
    result = db.session.scalar(
        select(PracticalResult).where(
            PracticalResult.session_id == session.id,
            PracticalResult.kader_id == kader_id,
            PracticalResult.skill_id == skill.id,
        )
    )
    if result is None:
        result = PracticalResult(
            session_id=session.id, kader_id=kader_id, skill_id=skill.id, assessor_id=assessor_id
        )
        db.session.add(result)
        db.session.flush()
    return result


def _snapshot(result: PracticalResult) -> dict[str, Any]:
    return {
        "result": result.result,
        "note": result.note,
        "ticks": {t.step.key: t.done for t in sorted(result.ticks, key=lambda t: t.step_id)},
    }


def active_steps(skill_id: int) -> list[ChecklistStep]:
    return list(
        db.session.scalars(
            select(ChecklistStep)
            .where(ChecklistStep.skill_id == skill_id, ChecklistStep.active)
            .order_by(ChecklistStep.position)
        )
    )


Steps = dict[int, ChecklistStep]


def steps_of(result: PracticalResult) -> Steps:
    return {s.id: s for s in active_steps(result.skill_id)}


def set_ticks(
    result: PracticalResult,
    ticks: dict[int, bool],
    *,
    user_id: int,
    min_share: float,
    steps: Steps | None = None,
) -> bool:
    """Save done/not done for steps of the result's skill; returns whether anything changed.

    A confirmed result may only change through `correct` (audited); the caller checks it.
    """
    steps = steps_of(result) if steps is None else steps
    refusal = observation_refusal(result, ticks, None, None, min_share, steps)
    if refusal is not None:
        raise PracticalError(refusal)
    existing = {t.step_id: t for t in result.ticks}
    changed = False
    for step_id, done in ticks.items():
        tick = existing.get(step_id)
        if tick is None:
            step = steps[step_id]
            result.ticks.append(
                StepResult(step_id=step_id, step_text=step.text, critical=step.critical, done=done)
            )
            changed = True
        elif tick.done != done:
            tick.done = done
            changed = True
    db.session.flush()
    result.suggested = suggested(result, steps, min_share)
    return changed


def suggested(result: PracticalResult, steps: Steps, min_share: float) -> str:
    return _suggestion({t.step_id: t.done for t in result.ticks}, steps, min_share)


def _suggestion(done: dict[int, bool], steps: Steps, min_share: float) -> str:
    ticks = [StepTick(s.critical, done.get(s.id, False)) for s in steps.values()]
    return "kompeten" if suggest_kompeten(ticks, min_share) else "belum_kompeten"


def observation_refusal(
    result: PracticalResult,
    ticks: dict[int, bool],
    decision: str | None,
    note: str | None,
    min_share: float,
    steps: Steps,
) -> str | None:
    """Why saving these ticks (and, with a decision, confirming) would be refused, judged on the
    ticks as they would stand afterwards, before anything is written. The one rule for saving
    ticks, confirming, and both at once."""
    if any(step_id not in steps for step_id in ticks):
        return "step_not_in_skill"
    if decision is None:
        return None
    if decision not in DECISIONS:
        return "decision_unknown"
    done = {t.step_id: t.done for t in result.ticks} | ticks
    if set(done) != set(steps):
        return "steps_unticked"
    if decision != _suggestion(done, steps, min_share) and not (note or "").strip():
        return "override_needs_note"
    return None


def record_observation(
    result: PracticalResult,
    ticks: dict[int, bool],
    *,
    decision: str | None,
    note: str | None,
    user_id: int,
    min_share: float,
) -> str | None:
    """Save ticks and, with a decision, confirm the result (or audit a correction of a confirmed
    one). Returns the refusal code, in which case nothing was written."""
    steps = steps_of(result)
    refusal = observation_refusal(result, ticks, decision, note, min_share, steps)
    if refusal is not None:
        return refusal
    before = _snapshot(result)
    changed = set_ticks(result, ticks, user_id=user_id, min_share=min_share, steps=steps)
    if decision is not None:
        confirm(result, decision, note, user_id=user_id, min_share=min_share, before=before, steps=steps)
    elif changed and result.confirmed_at is not None:
        record_tick_correction(result, before, user_id=user_id)
    return None


def confirm(
    result: PracticalResult,
    decision: str,
    note: str | None,
    *,
    user_id: int,
    min_share: float,
    before: dict[str, Any] | None = None,
    now: datetime | None = None,
    steps: Steps | None = None,
) -> bool:
    """Record the assessor's decision; a decision against the suggestion needs a note.

    `before` is the result as it stood before this request changed any ticks, so a
    correction's audit shows the old ticks too. Returns False when nothing differs
    from what was already confirmed (a double submit changes nothing).
    """
    steps = steps_of(result) if steps is None else steps
    refusal = observation_refusal(result, {}, decision, note, min_share, steps)
    if refusal is not None:
        raise PracticalError(refusal)
    result.suggested = suggested(result, steps, min_share)
    clean_note = (note or "").strip() or None
    first = result.confirmed_at is None
    prior = None if first else (before if before is not None else _snapshot(result))
    if prior is not None and prior == {**_snapshot(result), "result": decision, "note": clean_note}:
        return False
    result.result = decision
    result.note = clean_note
    if first:
        result.confirmed_at = now or utcnow()
    db.session.flush()
    session = result.session
    audit.record(
        "practical.confirmed" if first else "practical.corrected",
        "practical_result",
        result.id,
        user_id=user_id,
        kabupaten_code=session.kabupaten_code,
        before=prior,
        after=_snapshot(result),
    )
    _announce(result, user_id)
    return True


def record_tick_correction(result: PracticalResult, before: dict[str, Any], *, user_id: int) -> None:
    """Ticks changed on a confirmed result: audit, and re-check the achievement."""
    audit.record(
        "practical.corrected",
        "practical_result",
        result.id,
        user_id=user_id,
        kabupaten_code=result.session.kabupaten_code,
        before=before,
        after=_snapshot(result),
    )
    _announce(result, user_id)


def _announce(result: PracticalResult, user_id: int) -> None:
    """A confirmed or corrected result is evidence for (or, corrected, against) the skill."""
    evidence_recorded.send(
        "practicals",
        kader_id=result.kader_id,
        skill_id=result.skill_id,
        user_id=user_id,
        kabupaten_code=result.session.kabupaten_code,
    )


def confirmed_at(result: PracticalResult) -> datetime | None:
    return utc(result.confirmed_at) if result.confirmed_at else None


snapshot = _snapshot
