"""The demo's rosters come through the same roster services as the kader form and the import:
every kader and membership has its audit row, and a move closes the old membership the day
before the new one opens."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.extensions import db
from app.rosters.models import Kader, RosterMembership
from tests.conftest import run_cli


def test_demo_rosters_go_through_the_roster_services(app):
    result = run_cli(app, "seed-demo")
    assert result.exit_code == 0, result.output

    kader_ids = set(db.session.scalars(select(Kader.id)))
    assert len(kader_ids) > 100
    created = set(db.session.scalars(select(AuditLog.object_id).where(AuditLog.action == "kader.created")))
    assert {int(i) for i in created} == kader_ids
    joined = db.session.scalar(
        select(func.count()).select_from(AuditLog).where(AuditLog.action == "roster.joined")
    )
    assert joined == db.session.scalar(select(func.count()).select_from(RosterMembership))

    closed = db.session.scalars(select(RosterMembership).where(RosterMembership.end_date.is_not(None))).all()
    assert closed
    for old in closed:
        assert old.end_reason == "Pindah domisili"
        new = db.session.scalar(
            select(RosterMembership).where(
                RosterMembership.kader_id == old.kader_id, RosterMembership.end_date.is_(None)
            )
        )
        assert new.posyandu_id != old.posyandu_id
        assert new.start_date == old.end_date + timedelta(days=1)
