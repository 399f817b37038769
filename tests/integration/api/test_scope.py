"""Every resource with a token of each role: the same scope as the pages. Objects belong
to Brebes; the Aceh Selatan dinkes ("other") gets 404 for each, kader only see themselves."""

from __future__ import annotations

from datetime import date

import pytest

from app.certificates.services import issue
from app.extensions import db
from app.rosters.models import Pustu, RosterImport
from tests.factories import grant
from tests.integration.api.conftest import bearer

ROLES = ("admin", "dinkes", "other", "fasil", "kader")


@pytest.fixture
def found(world, synced, signatory):
    grant(world.kader_brebes, "K01", "K02")
    cert = issue(world.kader_brebes, "purwa", user_id=None, today=date.today())
    pustu = Pustu(name="Pustu Kretek", desa_code="33.29.04.2002", puskesmas_id=world.puskesmas_brebes.id)
    record = RosterImport(
        kabupaten_code="33.29", user_id=world.users["dinkes"].id, filename="r.csv", sha256="0",
        content=b"NIK,Nama\n", parsed_table={"header": ["NIK", "Nama"], "body": []},
    )  # fmt: skip
    db.session.add_all([pustu, record])
    db.session.commit()
    return {
        "kader": world.kader_brebes.id,
        "kader_aceh": world.kader_aceh.id,
        "posyandu": world.posyandu_brebes.id,
        "puskesmas": world.puskesmas_brebes.id,
        "pustu": pustu.id,
        "cert": cert.id,
        "import": record.id,
    }


def status_by_role(app, tokens, path: str, method: str = "GET") -> dict[str, int]:
    client = app.test_client()
    return {
        role: client.open(path, method=method, headers=bearer(tokens[role])).status_code for role in ROLES
    }


OBJECTS = {
    "/api/v1/kader/{kader}": dict(admin=200, dinkes=200, other=404, fasil=200, kader=200),
    "/api/v1/kader/{kader_aceh}": dict(admin=200, dinkes=404, other=200, fasil=404, kader=404),
    "/api/v1/kader/{kader}/progress": dict(admin=200, dinkes=200, other=404, fasil=200, kader=200),
    "/api/v1/posyandu/{posyandu}": dict(admin=200, dinkes=200, other=404, fasil=200, kader=403),
    "/api/v1/puskesmas/{puskesmas}": dict(admin=200, dinkes=200, other=404, fasil=200, kader=403),
    "/api/v1/pustu/{pustu}": dict(admin=200, dinkes=200, other=404, fasil=200, kader=403),
    "/api/v1/certificates/{cert}": dict(admin=200, dinkes=200, other=404, fasil=403, kader=200),
    "/api/v1/roster-imports/{import}": dict(admin=403, dinkes=422, other=404, fasil=403, kader=403),
    "/api/v1/level-summaries?wilayah=33.29.04": dict(admin=200, dinkes=200, other=404, fasil=200, kader=403),
    "/api/v1/level-summaries?wilayah=33": dict(admin=200, dinkes=404, other=404, fasil=404, kader=403),
}


@pytest.mark.parametrize("template", sorted(OBJECTS))
def test_each_object_answers_each_role_as_the_pages_do(app, tokens, found, template):
    # The stored import above is not a valid roster: its owner gets the reason (422), not data.
    assert status_by_role(app, tokens, template.format(**found)) == OBJECTS[template]


LISTS = {
    "/api/v1/wilayah": dict(admin=200, dinkes=200, other=200, fasil=200, kader=403),
    "/api/v1/puskesmas": dict(admin=200, dinkes=200, other=200, fasil=200, kader=403),
    "/api/v1/pustu": dict(admin=200, dinkes=200, other=200, fasil=200, kader=403),
    "/api/v1/posyandu": dict(admin=200, dinkes=200, other=200, fasil=200, kader=403),
    "/api/v1/kader": dict(admin=200, dinkes=200, other=200, fasil=200, kader=200),
    "/api/v1/certificates": dict(admin=200, dinkes=200, other=200, fasil=403, kader=200),
    "/api/v1/level-summaries": dict(admin=200, dinkes=200, other=200, fasil=200, kader=403),
}


def _ids(app, secret: str, path: str) -> set:
    body = app.test_client().get(path + "?limit=200", headers=bearer(secret)).get_json()
    return {item["id"] for item in body["items"]}


@pytest.mark.parametrize("path", sorted(LISTS))
def test_each_list_answers_each_role(app, tokens, found, path):
    assert status_by_role(app, tokens, path) == LISTS[path]


def test_lists_hold_only_what_the_role_may_see(app, tokens, found, world):
    brebes_kader = {world.kader_brebes.id, world.kader_brebes_other.id}
    assert _ids(app, tokens["dinkes"], "/api/v1/kader") == brebes_kader
    assert _ids(app, tokens["other"], "/api/v1/kader") == {world.kader_aceh.id}
    assert _ids(app, tokens["kader"], "/api/v1/kader") == {world.kader_brebes.id}
    assert _ids(app, tokens["fasil"], "/api/v1/kader") == brebes_kader
    assert _ids(app, tokens["admin"], "/api/v1/kader") == brebes_kader | {world.kader_aceh.id}
    assert _ids(app, tokens["other"], "/api/v1/posyandu") == {world.posyandu_aceh.id}
    assert _ids(app, tokens["other"], "/api/v1/certificates") == set()
    assert _ids(app, tokens["kader"], "/api/v1/certificates") == {found["cert"]}
    assert all(code.startswith("11.01") for code in _ids(app, tokens["other"], "/api/v1/wilayah"))
    assert _ids(app, tokens["other"], "/api/v1/pustu") == set()
    assert _ids(app, tokens["fasil"], "/api/v1/puskesmas") == {world.puskesmas_brebes.id}


def test_nik_is_masked_unless_the_role_keeps_registers(app, tokens, found):
    niks = {}
    for role in ("admin", "dinkes", "fasil", "kader"):
        body = (
            app.test_client().get(f"/api/v1/kader/{found['kader']}", headers=bearer(tokens[role])).get_json()
        )
        niks[role] = (body["nik"], body["nik_masked"])
    assert niks["dinkes"] == niks["admin"] == ("3329045203850001", False)
    assert niks["fasil"] == niks["kader"] == ("3329************", True)


def test_kader_carries_level_and_certificates_their_verification(app, tokens, found):
    client = app.test_client()
    kader = client.get(f"/api/v1/kader/{found['kader']}", headers=bearer(tokens["dinkes"])).get_json()
    assert (kader["level"], kader["mastered_skills"], kader["posyandu_id"]) == ("purwa", 2, found["posyandu"])
    cert = client.get(f"/api/v1/certificates/{found['cert']}", headers=bearer(tokens["dinkes"])).get_json()
    assert cert["status"] == "valid" and cert["level"] == "purwa"
    code = cert["verification_url"].rsplit("/v/", 1)[1]
    assert client.get(f"/v/{code}").status_code == 200
    progress = client.get(
        f"/api/v1/kader/{found['kader']}/progress", headers=bearer(tokens["kader"])
    ).get_json()
    assert progress["level"] == "purwa"
    assert {s["code"]: s["status"] for s in progress["skills"]}["K01"] == "mastered"


def test_level_summary_counts_kader_per_level(app, tokens, found):
    body = app.test_client().get("/api/v1/level-summaries", headers=bearer(tokens["dinkes"])).get_json()
    assert body["area"]["id"] == "33.29"
    (kecamatan,) = body["items"]
    levels = {row["level"]: row["kader"] for row in kecamatan["levels"]}
    assert (kecamatan["id"], levels["purwa"], levels["none"], kecamatan["total"]) == ("33.29.04", 1, 1, 2)


def test_facilities_answer_their_stored_values_under_the_documented_names(app, tokens, found, world):
    client = app.test_client()

    def get(path: str) -> dict:
        return client.get(path, headers=bearer(tokens["dinkes"])).get_json()

    posyandu = get(f"/api/v1/posyandu/{found['posyandu']}")
    stored = world.posyandu_brebes
    assert posyandu == {
        "id": stored.id,
        "code": stored.code,
        "name": stored.name,
        "desa": stored.desa_code,
        "dusun_rw": stored.dusun_rw,
        "puskesmas_id": stored.puskesmas_id,
        "kabupaten": "33.29",
        "active": True,
        "updated_at": posyandu["updated_at"],
    }
    assert posyandu["updated_at"].endswith("+00:00")
    puskesmas = get(f"/api/v1/puskesmas/{found['puskesmas']}")
    assert (puskesmas["kecamatan"], puskesmas["kabupaten"]) == (
        world.puskesmas_brebes.kecamatan_code,
        "33.29",
    )
    pustu = get(f"/api/v1/pustu/{found['pustu']}")
    assert (pustu["name"], pustu["desa"]) == ("Pustu Kretek", "33.29.04.2002")
    (kabupaten,) = get("/api/v1/wilayah?level=kabupaten")["items"]
    assert kabupaten == {"id": "33.29", "name": kabupaten["name"], "level": "kabupaten", "parent": "33"}
