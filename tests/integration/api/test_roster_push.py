"""Roster push over the API: the import's validation, preview and all-or-nothing commit."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.extensions import db
from app.rosters.models import Kader, RosterImport
from tests.integration.api.conftest import bearer

NEW = {
    "nik": "3329044506900003",
    "nama": "Dewi Lestari",
    "jenis_kelamin": "P",
    "tanggal_lahir": "05/06/1990",
    "no_hp": "081234567891",
    "pendidikan": "SMA",
    "posyandu": "PSY-B1",
    "peran": "anggota",
    "tahun_mulai": 2020,
}


def _push(client, secret, rows):
    return client.post("/api/v1/roster-imports", json={"rows": rows}, headers=bearer(secret))


def test_push_previews_then_commits_all_rows(app, world, tokens):
    client = app.test_client()
    pushed = _push(client, tokens["dinkes"], [NEW])
    assert pushed.status_code == 201, pushed.get_data(as_text=True)
    body = pushed.get_json()
    assert body["status"] == "preview" and body["counts"]["created"] == 1 and body["problems"] == []
    assert pushed.headers["Location"] == f"/api/v1/roster-imports/{body['id']}"
    assert db.session.scalar(select(func.count()).select_from(Kader)) == 3  # nothing written yet
    committed = client.post(f"/api/v1/roster-imports/{body['id']}/commit", headers=bearer(tokens["dinkes"]))
    assert committed.status_code == 200 and committed.get_json()["status"] == "committed"
    kader = db.session.scalar(select(Kader).where(Kader.nik == NEW["nik"]))
    assert kader.name == "Dewi Lestari" and kader.current_membership.posyandu_id == world.posyandu_brebes.id
    again = client.post(f"/api/v1/roster-imports/{body['id']}/commit", headers=bearer(tokens["dinkes"]))
    assert again.status_code == 409
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"api.roster_pushed", "roster.imported"} <= actions


def test_row_errors_come_back_as_json_and_nothing_is_written(app, world, tokens):
    client = app.test_client()
    bad = {**NEW, "nik": "123", "posyandu": "PSY-A1"}  # a short NIK, and a Posyandu of another district
    body = _push(client, tokens["dinkes"], [NEW, bad]).get_json()
    assert body["counts"]["errors"] == 1
    rows = {(p["row"], p["severity"]) for p in body["problems"]}
    assert (3, "error") in rows and all(p["message"] and p["code"] for p in body["problems"])
    refused = client.post(f"/api/v1/roster-imports/{body['id']}/commit", headers=bearer(tokens["dinkes"]))
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert {e["row"] for e in refused.get_json()["errors"] if e["severity"] == "error"} == {3}
    db.session.expire_all()
    assert db.session.scalar(select(Kader).where(Kader.nik == NEW["nik"])) is None
    assert db.session.get(RosterImport, body["id"]).status == "preview"  # the claim rolled back too


def test_csv_body_goes_through_the_same_reader(app, world, tokens):
    csv = "NIK,Nama,Jenis Kelamin,Tanggal Lahir,Posyandu\n3329044506900003,Dewi,P,05/06/1990,PSY-B1\n"
    response = app.test_client().post(
        "/api/v1/roster-imports?filename=roster.csv", data=csv.encode(), content_type="text/csv",
        headers=bearer(tokens["dinkes"]),
    )  # fmt: skip
    assert response.status_code == 201 and response.get_json()["filename"] == "roster.csv"
    unreadable = app.test_client().post(
        "/api/v1/roster-imports", data=b"NIK\n", content_type="text/csv", headers=bearer(tokens["dinkes"])
    )
    assert unreadable.status_code == 422 and unreadable.get_json()["code"] == "no_data_rows"


def test_discard_and_scope(app, world, tokens):
    client = app.test_client()
    body = _push(client, tokens["dinkes"], [NEW]).get_json()
    assert (
        client.get(f"/api/v1/roster-imports/{body['id']}", headers=bearer(tokens["other"])).status_code == 404
    )
    assert (
        client.post(
            f"/api/v1/roster-imports/{body['id']}/commit", headers=bearer(tokens["other"])
        ).status_code
        == 404
    )
    assert _push(client, tokens["fasil"], [NEW]).status_code == 403
    discarded = client.post(f"/api/v1/roster-imports/{body['id']}/discard", headers=bearer(tokens["dinkes"]))
    assert discarded.get_json()["status"] == "discarded"
    assert (
        client.post(
            f"/api/v1/roster-imports/{body['id']}/commit", headers=bearer(tokens["dinkes"])
        ).status_code
        == 409
    )
