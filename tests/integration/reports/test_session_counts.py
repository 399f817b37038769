"""The dashboard's practicals per fasilitator and month come from session_result_count; they
must equal the count over every confirmed result. Results are made through the practicals
services (session, ticks, confirmation, correction), as a fasilitator makes them."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import delete, select

from app.curriculum.models import ChecklistStep, Skill
from app.extensions import db
from app.practicals.models import AssessmentSession, PracticalResult
from app.practicals.services import confirm, create_session, set_ticks
from app.reports import queries as q
from app.rosters.models import Posyandu
from tests.factories import add_kader, counts_from_results, observe, stored_counts

BREBES = q.Node("kabupaten", "33.29", "Brebes", "kecamatan", (Posyandu.kabupaten_code == "33.29",))


def raw_counts(node: q.Node) -> dict[tuple[int, q.Month], int]:
    """(assessor, month) -> confirmed results, counted over every result (the old query's rows)."""
    start = date(*q.last_months(date.today())[0], 1)
    out: Counter = Counter()
    for result, session in db.session.execute(
        select(PracticalResult, AssessmentSession)
        .join(AssessmentSession, AssessmentSession.id == PracticalResult.session_id)
        .join(Posyandu, Posyandu.id == AssessmentSession.posyandu_id)
        .where(q.posyandu_where(node))
    ).all():
        if result.result is not None and session.session_date >= start:
            out[(session.assessor_id, (session.session_date.year, session.session_date.month))] += 1
    return dict(out)


def test_practicals_per_month_follow_confirmations_and_corrections(world, synced):
    skills = {s.code: s for s in db.session.scalars(select(Skill))}
    other = add_kader("3329045203850081", "Kader D", world.posyandu_brebes)
    db.session.commit()
    kader = world.kader_brebes.id
    today = date.today()
    sessions = []
    for day in (today, today - timedelta(days=40)):
        session = create_session(
            posyandu=world.posyandu_brebes,
            assessor_id=world.users["fasilitator"].id,
            session_date=day,
            today=today,
            skills=[skills["K01"], skills["K02"]],
            kader_ids=[kader, other.id],
            note=None,
        )
        sessions.append(session)
    observe(world, sessions[0], kader, skills["K01"], "kompeten")
    wrong = observe(world, sessions[0], other.id, skills["K01"], "belum_kompeten")
    observe(world, sessions[0], kader, skills["K02"], None)  # ticked, not confirmed: not counted
    observe(world, sessions[1], other.id, skills["K02"], "kompeten")
    db.session.commit()
    assert stored_counts() == {sessions[0].id: 2, sessions[1].id: 1} == counts_from_results()
    assert q.practical_counts(BREBES, q.last_months(today))[1] == raw_counts(BREBES)
    assert sum(raw_counts(BREBES).values()) == 3

    # the assessor corrects a result: still one confirmed result, the count does not move
    steps = db.session.scalars(
        select(ChecklistStep.id).where(ChecklistStep.skill_id == skills["K01"].id, ChecklistStep.active)
    ).all()
    assessor = world.users["fasilitator"].id
    set_ticks(wrong, dict.fromkeys(steps, True), user_id=assessor, min_share=0.75)
    assert confirm(wrong, "kompeten", None, user_id=assessor, min_share=0.75)
    db.session.commit()
    assert stored_counts() == {sessions[0].id: 2, sessions[1].id: 1}

    # results deleted through the session, and a whole session: the counts follow
    db.session.execute(delete(PracticalResult).where(PracticalResult.kader_id == other.id))
    db.session.commit()
    assert stored_counts() == {sessions[0].id: 1} == counts_from_results()
    assert q.practical_counts(BREBES, q.last_months(today))[1] == raw_counts(BREBES)
    db.session.execute(delete(AssessmentSession).where(AssessmentSession.id == sessions[0].id))
    db.session.commit()
    assert stored_counts() == {} == counts_from_results()
