"""Kader per level and certified kader on the dashboards come from posyandu_kader_count; after
every kind of change (a kader joins, moves, leaves, reaches a level, gets or loses a
certificate, a bulk UPDATE, a curriculum re-evaluation) it must equal a count over the
memberships themselves. Changes go through the services, as the pages make them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from app.certificates.services import issue, revoke
from app.extensions import db
from app.progress.levels import recompute_all_levels
from app.rosters import membership
from app.rosters.models import Posyandu, RosterMembership
from tests.conftest import login
from tests.factories import (
    add_bumiayu,
    add_kader,
    grant,
    kabupaten_counts_from_memberships,
    posyandu_counts_from_memberships,
    stored_kabupaten_counts,
    stored_posyandu_counts,
)


def in_step() -> bool:
    return (
        stored_posyandu_counts() == posyandu_counts_from_memberships()
        and stored_kabupaten_counts() == kabupaten_counts_from_memberships()
    )


def test_counts_follow_memberships_levels_and_certificates(world, synced, signatory):
    today = date.today()
    kader, home, other = world.kader_brebes, world.posyandu_brebes, world.posyandu_brebes_2
    extra = add_kader("3329045203850091", "Kader Baru", home)
    db.session.commit()
    assert in_step()
    before = stored_posyandu_counts()[(home.id, None)][0]

    grant(kader, "K01", "K02")  # reaches purwa
    db.session.commit()
    assert stored_posyandu_counts()[(home.id, "purwa")] == (1, 0)
    assert stored_posyandu_counts()[(home.id, None)] == (before - 1, 0)

    cert = issue(kader, "purwa", user_id=None, today=today)
    db.session.commit()
    assert stored_posyandu_counts()[(home.id, "purwa")] == (1, 1)

    membership.move(kader, other, "anggota", today, "Pindah", user_id=None)
    db.session.commit()
    assert (home.id, "purwa") not in stored_posyandu_counts()
    assert stored_posyandu_counts()[(other.id, "purwa")] == (1, 1)
    assert in_step()

    revoke(cert, "Salah cetak", user_id=None)
    db.session.commit()
    assert stored_posyandu_counts()[(other.id, "purwa")] == (1, 0)

    membership.leave(extra, today, "Berhenti", user_id=None)
    db.session.commit()
    assert in_step()

    # A bulk UPDATE through the session (as a roster import closes memberships).
    db.session.execute(
        update(RosterMembership)
        .where(RosterMembership.kader_id == kader.id, RosterMembership.end_date.is_(None))
        .values(end_date=today + timedelta(days=1))
    )
    db.session.commit()
    assert all(posyandu != other.id or level != "purwa" for posyandu, level in stored_posyandu_counts())
    assert in_step()

    recompute_all_levels()
    db.session.commit()
    assert in_step()


def test_kabupaten_roll_ups_follow_posyandu_changes(world, synced, signatory):
    """The national summary: a Posyandu closed, moved to another kabupaten or added."""
    home = world.posyandu_brebes
    grant(world.kader_brebes, "K01", "K02")
    db.session.commit()
    levels, coverage = stored_kabupaten_counts()
    assert levels[("33.29", "purwa")] == (1, 0) and coverage["33.29"][0] >= 2
    home.active = False
    db.session.commit()
    assert ("33.29", "purwa") not in stored_kabupaten_counts()[0]
    assert in_step()
    home.active = True
    db.session.commit()
    assert stored_kabupaten_counts()[0][("33.29", "purwa")] == (1, 0)
    assert in_step()
    other = add_bumiayu()[1]
    db.session.commit()
    assert stored_kabupaten_counts()[1]["33.29"][0] == coverage["33.29"][0] + 1
    db.session.delete(other)
    db.session.commit()
    assert in_step()


def test_the_dashboard_counts_match_the_memberships(world, synced, client):
    login(client, world.users["dinkes"].username)
    grant(world.kader_brebes, "K01", "K02")
    db.session.commit()
    page = client.get("/laporan/unduh/tingkat.csv").get_data(as_text=True)
    total = page.strip().splitlines()[-1].split(",")
    brebes = set(db.session.scalars(select(Posyandu.id).where(Posyandu.kabupaten_code == "33.29")))
    counted = posyandu_counts_from_memberships()
    assert int(total[1]) == sum(n for (posyandu, _level), (n, _c) in counted.items() if posyandu in brebes)
    assert int(total[3]) == counted[(world.posyandu_brebes.id, "purwa")][0] == 1
