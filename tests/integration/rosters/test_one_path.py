"""One rulebook and one membership path: the kader form and the roster import leave the same
history and audit trail and apply the same age rule."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.core.audit import AuditLog
from app.extensions import db
from app.rosters.membership import Placement, place_many
from app.rosters.models import Kader, RosterMembership
from app.rosters.services import RosterError, create_kaders
from tests.conftest import csrf_token, login, run_cli
from tests.integration.rosters.roster_files import csv_bytes, kader_rows, nik_for


def trail(kader_id: int) -> list[tuple[str, dict | None, dict | None]]:
    return [
        (a.action, a.before, a.after)
        for a in db.session.scalars(
            select(AuditLog)
            .where(AuditLog.object_type == "kader", AuditLog.object_id == str(kader_id))
            .order_by(AuditLog.id)
        )
    ]


def history(kader_id: int) -> list[tuple[int, str, date, date | None, str | None]]:
    return [
        (m.posyandu_id, m.role, m.start_date, m.end_date, m.end_reason)
        for m in db.session.scalars(
            select(RosterMembership)
            .where(RosterMembership.kader_id == kader_id)
            .order_by(RosterMembership.start_date, RosterMembership.id)
        )
    ]


def kader_named(name: str) -> Kader:
    return db.session.scalar(select(Kader).where(Kader.name == name))


def test_an_imported_kader_and_move_leave_the_same_audit_rows_as_the_form(app, world, tmp_path):
    path = tmp_path / "roster.csv"
    rows = kader_rows(1)
    path.write_bytes(csv_bytes(rows))
    assert run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29").exit_code == 0
    kader = kader_named("Kader Uji 100")
    created, joined = trail(kader.id)
    assert created[0] == "kader.created" and created[2]["nik"] == kader.nik
    assert joined == (
        "roster.joined",
        None,
        {"posyandu_id": world.posyandu_brebes.id, "role": "anggota", "start_date": "2018-01-01"},
    )
    # Moved by a later file: closed the day before, reopened today, each step audited.
    db.session.execute(
        RosterMembership.__table__.update()
        .where(RosterMembership.kader_id == kader.id)
        .values(start_date=date.today() - timedelta(days=30))
    )
    db.session.commit()
    rows[0][6], rows[0][7] = "PSY-B2", "sekretaris"
    path.write_bytes(csv_bytes(rows))
    assert run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29").exit_code == 0
    left, joined_again = trail(kader.id)[2:]
    yesterday = date.today() - timedelta(days=1)
    assert left == (
        "roster.left",
        {"posyandu_id": world.posyandu_brebes.id, "role": "anggota"},
        {"end_date": yesterday.isoformat(), "reason": "Impor roster"},
    )
    assert joined_again[0] == "roster.joined" and joined_again[2]["role"] == "sekretaris"
    assert history(kader.id)[-2:] == [
        (world.posyandu_brebes.id, "anggota", date.today() - timedelta(days=30), yesterday, "Impor roster"),
        (world.posyandu_brebes_2.id, "sekretaris", date.today(), None, None),
    ]


def test_the_form_writes_the_same_shapes(client, world):
    login(client, "dinkes.brebes")
    kader = world.kader_brebes
    on = date.today() - timedelta(days=3)
    token = csrf_token(client, f"/kader/{kader.id}")
    client.post(
        f"/kader/{kader.id}/keanggotaan",
        data={"csrf_token": token, "posyandu_id": world.posyandu_brebes_2.id, "role": "anggota",
              "start_date": on.isoformat(), "reason": "Pindah rumah"},
    )  # fmt: skip
    assert [t[0] for t in trail(kader.id)] == ["roster.left", "roster.joined"]
    assert trail(kader.id)[0][1] == {"posyandu_id": world.posyandu_brebes.id, "role": "ketua"}
    assert trail(kader.id)[1][2] == {
        "posyandu_id": world.posyandu_brebes_2.id,
        "role": "anggota",
        "start_date": on.isoformat(),
    }


def test_a_refused_move_writes_nothing(client, world):
    login(client, "dinkes.brebes")
    kader = world.kader_brebes
    before = history(kader.id)
    token = csrf_token(client, f"/kader/{kader.id}")
    response = client.post(
        f"/kader/{kader.id}/keanggotaan",
        data={"csrf_token": token, "posyandu_id": world.posyandu_brebes_2.id, "role": "anggota",
              "start_date": "2014-06-01"},  # before the current membership began (2015)
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Tanggal harus setelah tanggal keanggotaan sebelumnya." in page
    db.session.expire_all()
    assert history(kader.id) == before and trail(kader.id) == []


def test_a_batch_joins_after_an_earlier_end_and_corrects_a_same_day_placement(app, world):
    (kader,) = create_kaders(
        [{"nik": nik_for(7), "name": "Kader Batch", "sex": "P", "birth_date": date(1985, 3, 12),
          "phone": None, "education": None, "start_year": None}],
        "33.29", user_id=None,
    )  # fmt: skip
    today = date.today()
    db.session.add(
        RosterMembership(kader_id=kader.id, posyandu_id=world.posyandu_brebes.id, role="anggota",
                         start_date=today - timedelta(days=90), end_date=today)
    )  # fmt: skip
    counts = place_many([Placement(kader, world.posyandu_brebes_2.id, "anggota", today)], user_id=None)
    assert counts.joined == 1
    assert history(kader.id)[-1][2] == today + timedelta(days=1)  # never overlapping the last one
    later = place_many([Placement(kader, world.posyandu_brebes.id, "ketua", today)], user_id=None)
    assert later.corrected == 1
    assert history(kader.id)[-1] == (world.posyandu_brebes.id, "ketua", today + timedelta(days=1), None, None)
    assert trail(kader.id)[-1][0] == "roster.corrected"
    same = place_many([Placement(kader, world.posyandu_brebes.id, "ketua", today)], user_id=None)
    assert same.unchanged == 1


@pytest.mark.parametrize(
    ("placement", "code"),
    [
        (("posyandu_aceh", "anggota"), "posyandu_other_kabupaten"),
        (("posyandu_brebes_2", "wakil"), "role_unknown"),
    ],
)
def test_a_batch_with_one_bad_placement_writes_nothing(app, world, placement, code):
    good = Placement(world.kader_brebes, world.posyandu_brebes_2.id, "anggota", date.today())
    bad = Placement(world.kader_brebes_other, getattr(world, placement[0]).id, placement[1], date.today())
    before = history(world.kader_brebes.id)
    with pytest.raises(RosterError) as raised:
        place_many([good, bad], user_id=None)
    assert raised.value.code == code
    assert history(world.kader_brebes.id) == before and trail(world.kader_brebes.id) == []


def _new_kader(client, born: date):
    token = csrf_token(client, "/kader/baru")
    return client.post(
        "/kader/baru",
        data={"csrf_token": token, "nik": nik_for(7, born), "name": "Rina Muda", "sex": "P",
              "birth_date": born.isoformat()},
    )  # fmt: skip


def test_the_form_counts_age_in_birthdays_like_the_import(client, world):
    login(client, "dinkes.brebes")
    today = date.today()
    fifteen_tomorrow = (today + timedelta(days=1)).replace(year=today.year - 15)
    refused = _new_kader(client, fifteen_tomorrow)
    assert refused.status_code == 400
    assert "Tanggal lahir tidak masuk akal: umur 14 tahun." in refused.get_data(as_text=True)
    assert kader_named("Rina Muda") is None
    fifteen_today = today.replace(year=today.year - 15)
    assert _new_kader(client, fifteen_today).status_code == 302
    assert kader_named("Rina Muda").birth_date == fifteen_today
