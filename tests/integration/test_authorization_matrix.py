"""Every route x every kind of user -> the expected status, declared once per route.

A route added to the app without a declaration here fails `test_every_route_is_declared`.
Objects come from Kabupaten Brebes: dinkes of Aceh Selatan must get 404 for all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from app.certificates.services import issue
from app.core.models import utcnow
from app.curriculum.models import Skill
from app.extensions import db
from app.jobs.models import Job
from app.jobs.storage import save_file
from app.quizzes.services import start
from app.rosters.models import Pustu, RosterImport
from tests.conftest import csrf_token, login
from tests.factories import grant, k01_session

ROLES = ("anon", "kader", "fasil", "dinkes", "other", "admin")
USERS = {
    "kader": "kader.siti",
    "fasil": "fasilitator.paguyangan",
    "dinkes": "dinkes.brebes",
    "other": "dinkes.acehselatan",
    "admin": "admin",
}


@dataclass(frozen=True)
class Route:
    method: str
    path: Callable[[dict], str]
    expect: dict[str, int | frozenset[int]]


def roles(anon=302, kader=403, fasil=403, dinkes=403, other=403, admin=403) -> dict:
    return {"anon": anon, "kader": kader, "fasil": fasil, "dinkes": dinkes, "other": other, "admin": admin}


OK_OR_REDIRECT = frozenset({200, 302})
STAFF_SCOPED = roles(fasil=200, dinkes=200, other=404, admin=200)
DINKES_SCOPED = roles(dinkes=200, other=404, admin=404)  # admin has no district: the object is not "theirs"

# The JSON API takes bearer tokens only: a signed-in browser session is no credential there (401
# for everyone); tests/integration/api/ covers each role with tokens. Its docs are public.
API_SESSION = roles(401, 401, 401, 401, 401, 401)
API_ROUTES = {
    "api.list_wilayah": ("GET", "/api/v1/wilayah"),
    "api.list_puskesmas": ("GET", "/api/v1/puskesmas"),
    "api.get_puskesmas": ("GET", "/api/v1/puskesmas/{puskesmas}"),
    "api.list_pustu": ("GET", "/api/v1/pustu"),
    "api.get_pustu": ("GET", "/api/v1/pustu/{pustu}"),
    "api.list_posyandu": ("GET", "/api/v1/posyandu"),
    "api.get_posyandu": ("GET", "/api/v1/posyandu/{posyandu}"),
    "api.list_kader": ("GET", "/api/v1/kader"),
    "api.get_kader": ("GET", "/api/v1/kader/{kader}"),
    "api.get_progress": ("GET", "/api/v1/kader/{kader}/progress"),
    "api.list_certificates": ("GET", "/api/v1/certificates"),
    "api.get_certificate": ("GET", "/api/v1/certificates/{cert}"),
    "api.list_level_summaries": ("GET", "/api/v1/level-summaries"),
    "api.push_roster": ("POST", "/api/v1/roster-imports"),
    "api.get_roster_import": ("GET", "/api/v1/roster-imports/{import}"),
    "api.commit_roster_import": ("POST", "/api/v1/roster-imports/{import}/commit"),
    "api.discard_roster_import": ("POST", "/api/v1/roster-imports/{import}/discard"),
}

ROUTES: dict[str, Route] = {
    "accounts.posyandu_accounts": Route("GET", lambda o: f"/posyandu/{o['posyandu']}/akun", STAFF_SCOPED),
    "accounts.create_posyandu_accounts": Route(
        "POST",
        lambda o: f"/posyandu/{o['posyandu']}/akun",
        roles(fasil=OK_OR_REDIRECT, dinkes=OK_OR_REDIRECT, other=404, admin=OK_OR_REDIRECT),
    ),
    "accounts.reset_kader_pin": Route(
        "POST",
        lambda o: f"/kader/{o['kader']}/akun/reset",
        roles(fasil=OK_OR_REDIRECT, dinkes=OK_OR_REDIRECT, other=404, admin=OK_OR_REDIRECT),
    ),
    "audit.trail": Route("GET", lambda o: "/audit", roles(dinkes=200, other=200, admin=200)),
    "auth.change_password_view": Route(
        "GET", lambda o: "/account/password", roles(kader=200, fasil=200, dinkes=200, other=200, admin=200)
    ),
    "auth.login": Route(
        "GET", lambda o: "/login", roles(anon=200, kader=302, fasil=302, dinkes=302, other=302, admin=302)
    ),
    "auth.end_all_sessions": Route(
        "POST",
        lambda o: "/account/sessions/end",
        roles(anon=302, kader=302, fasil=302, dinkes=302, other=302, admin=302),
    ),
    "auth.logout": Route(
        "POST", lambda o: "/logout", roles(anon=302, kader=302, fasil=302, dinkes=302, other=302, admin=302)
    ),
    "certificates.badge_json": Route(
        "GET", lambda o: f"/sertifikat/{o['cert']}/badge.json", roles(kader=200, dinkes=200, other=404)
    ),
    "certificates.detail": Route(  # admin sees everything, read-only
        "GET", lambda o: f"/sertifikat/{o['cert']}", roles(kader=200, dinkes=200, other=404, admin=200)
    ),
    "certificates.pdf": Route(
        "GET", lambda o: f"/sertifikat/{o['cert']}.pdf", roles(kader=200, dinkes=200, other=404)
    ),
    "certificates.eligible": Route("GET", lambda o: "/sertifikat/siap", roles(dinkes=200, other=200)),
    "certificates.index": Route("GET", lambda o: "/sertifikat/", roles(dinkes=200, other=200, admin=200)),
    "certificates.mine": Route("GET", lambda o: "/sertifikat-saya", roles(kader=200)),
    "certificates.posyandu_batch": Route(
        "GET", lambda o: f"/posyandu/{o['posyandu']}/sertifikat.pdf", roles(dinkes=200, other=404)
    ),
    "certificates.reissue_view": Route(
        "POST", lambda o: f"/sertifikat/{o['cert']}/terbitkan-ulang", roles(dinkes=302, other=404)
    ),
    "certificates.revoke_view": Route(
        "POST", lambda o: f"/sertifikat/{o['cert']}/cabut", roles(dinkes=302, other=404)
    ),
    "certificates.settings": Route("GET", lambda o: "/sertifikat/pengaturan", roles(dinkes=200, other=200)),
    "core.healthz": Route("GET", lambda o: "/healthz", roles(200, 200, 200, 200, 200, 200)),
    "home.index": Route("GET", lambda o: "/", roles(kader=200, fasil=200, dinkes=200, other=200, admin=200)),
    "core.set_language": Route("POST", lambda o: "/lang", roles(302, 302, 302, 302, 302, 302)),
    "curriculum.picture": Route(
        "GET",
        lambda o: f"/belajar/gambar/{'0' * 64}.svg",  # unknown picture: 404 once signed in
        roles(kader=404, fasil=404, dinkes=404, other=404, admin=404),
    ),
    "curriculum.skill_page": Route(
        "GET", lambda o: "/belajar/K01", roles(kader=200, fasil=200, dinkes=200, other=200, admin=200)
    ),
    "curriculum.skills_index": Route(
        "GET", lambda o: "/belajar/", roles(kader=200, fasil=200, dinkes=200, other=200, admin=200)
    ),
    "curriculum.versions_page": Route(
        "GET", lambda o: "/kurikulum/", roles(fasil=200, dinkes=200, other=200, admin=200)
    ),
    "jobs.index": Route("GET", lambda o: "/tugas/", roles(dinkes=200, other=200)),
    "jobs.detail": Route("GET", lambda o: f"/tugas/{o['job']}", roles(dinkes=200, other=404)),
    "jobs.status": Route("GET", lambda o: f"/tugas/{o['job']}.json", roles(dinkes=200, other=404)),
    "jobs.download": Route(
        "GET", lambda o: f"/tugas/{o['job']}/unduh/sertifikat-33-29.pdf", roles(dinkes=200, other=404)
    ),
    "jobs.start_kader_export": Route("POST", lambda o: "/tugas/ekspor-kader", roles(dinkes=302, other=302)),
    "jobs.start_certificates_print": Route(
        "POST", lambda o: "/tugas/cetak-sertifikat", roles(dinkes=302, other=302)
    ),
    "offline.service_worker": Route("GET", lambda o: "/sw.js", roles(200, 200, 200, 200, 200, 200)),
    "offline.manifest": Route("GET", lambda o: "/manifest.webmanifest", roles(200, 200, 200, 200, 200, 200)),
    "offline.fallback": Route("GET", lambda o: "/tanpa-sinyal", roles(200, 200, 200, 200, 200, 200)),
    "offline.token": Route(
        "GET", lambda o: "/offline/token", roles(kader=200, fasil=200, dinkes=200, other=200, admin=200)
    ),
    "practicals.attendees": Route("GET", lambda o: f"/praktik/{o['session']}/peserta", roles(fasil=200)),
    "practicals.new_session": Route("GET", lambda o: "/praktik/baru", roles(fasil=200)),
    "practicals.observe": Route(
        "GET", lambda o: f"/praktik/{o['session']}/nilai/{o['kader']}/K01", STAFF_SCOPED
    ),
    "practicals.session_view": Route("GET", lambda o: f"/praktik/{o['session']}", STAFF_SCOPED),
    "practicals.sessions": Route(
        "GET", lambda o: "/praktik/", roles(fasil=200, dinkes=200, other=200, admin=200)
    ),
    "practicals.tick": Route(
        "POST",
        lambda o: f"/praktik/{o['session']}/nilai/{o['kader']}/K01/langkah",
        roles(fasil=200, other=403),
    ),
    "reports.dashboard": Route(
        "GET", lambda o: "/laporan/?wilayah=33.29.04", roles(fasil=200, dinkes=200, other=404, admin=200)
    ),
    "reports.export": Route(
        "GET",
        lambda o: "/laporan/unduh/tingkat.csv?wilayah=33.29.04",
        roles(fasil=200, dinkes=200, other=404, admin=200),
    ),
    "progress.kader_progress": Route("GET", lambda o: f"/kader/{o['kader']}/kemajuan", STAFF_SCOPED),
    "progress.my_progress": Route("GET", lambda o: "/kemajuan", roles(kader=200)),
    "progress.posyandu_matrix": Route("GET", lambda o: f"/posyandu/{o['posyandu']}/matriks", STAFF_SCOPED),
    "roster_import.commit": Route(  # the stored file is not a valid roster: 400 with the reason
        "POST", lambda o: f"/kader/impor/{o['import']}/commit", roles(dinkes=400, other=404)
    ),
    "roster_import.discard": Route(
        "POST", lambda o: f"/kader/impor/{o['import']}/discard", roles(dinkes=302, other=404)
    ),
    "roster_import.preview": Route(
        "GET", lambda o: f"/kader/impor/{o['import']}", roles(dinkes=200, other=404)
    ),
    "roster_import.template": Route(
        "GET", lambda o: "/kader/impor/templat.csv", roles(dinkes=200, other=200)
    ),
    "roster_import.upload": Route("GET", lambda o: "/kader/impor/", roles(dinkes=200, other=200)),
    "quizzes.begin": Route("POST", lambda o: "/kuis/K01/mulai", roles(kader=302)),
    "quizzes.resume": Route("GET", lambda o: f"/kuis/percobaan/{o['attempt']}", roles(kader=302)),
    "quizzes.question": Route("GET", lambda o: f"/kuis/percobaan/{o['attempt']}/soal/1", roles(kader=200)),
    "quizzes.answer": Route("POST", lambda o: f"/kuis/percobaan/{o['attempt']}/jawab", roles(kader=400)),
    "quizzes.summary": Route("GET", lambda o: f"/kuis/percobaan/{o['attempt']}/ringkasan", roles(kader=200)),
    "quizzes.submit": Route("POST", lambda o: f"/kuis/percobaan/{o['attempt']}/kirim", roles(kader=302)),
    "quizzes.result": Route(
        "GET",
        lambda o: f"/kuis/percobaan/{o['attempt']}/hasil",
        roles(
            kader=OK_OR_REDIRECT, fasil=OK_OR_REDIRECT, dinkes=OK_OR_REDIRECT, other=404, admin=OK_OR_REDIRECT
        ),
    ),
    "quizzes.history": Route("GET", lambda o: "/kuis/K01/riwayat", roles(kader=200)),
    "quizzes.statistics_index": Route(
        "GET", lambda o: "/kuis/statistik/", roles(fasil=200, dinkes=200, other=200, admin=200)
    ),
    "quizzes.statistics": Route(
        "GET", lambda o: "/kuis/statistik/K01", roles(fasil=200, dinkes=200, other=200, admin=200)
    ),
    "rosters.kader_list": Route(
        "GET", lambda o: "/kader/", roles(fasil=200, dinkes=200, other=200, admin=200)
    ),
    "rosters.kader_new": Route("GET", lambda o: "/kader/baru", roles(dinkes=200, other=200)),
    "rosters.kader_edit": Route("GET", lambda o: f"/kader/{o['kader']}/ubah", roles(dinkes=200, other=404)),
    "rosters.membership_change": Route(
        "POST", lambda o: f"/kader/{o['kader']}/keanggotaan", roles(dinkes=302, other=404)
    ),
    "rosters.membership_leave": Route(
        "POST", lambda o: f"/kader/{o['kader']}/keluar", roles(dinkes=302, other=404)
    ),
    "rosters.posyandu_new": Route("GET", lambda o: "/posyandu/baru", roles(dinkes=200, other=200)),
    "rosters.posyandu_edit": Route(
        "GET", lambda o: f"/posyandu/{o['posyandu']}/ubah", roles(dinkes=200, other=404)
    ),
    "rosters.puskesmas_list": Route(
        "GET", lambda o: "/puskesmas/", roles(fasil=200, dinkes=200, other=200, admin=200)
    ),
    "rosters.puskesmas_new": Route("GET", lambda o: "/puskesmas/baru", roles(dinkes=200, other=200)),
    "rosters.puskesmas_edit": Route(
        "GET", lambda o: f"/puskesmas/{o['puskesmas']}/ubah", roles(dinkes=200, other=404)
    ),
    "rosters.pustu_new": Route("GET", lambda o: "/pustu/baru", roles(dinkes=200, other=200)),
    "rosters.pustu_edit": Route("GET", lambda o: f"/pustu/{o['pustu']}/ubah", roles(dinkes=200, other=404)),
    "rosters.wilayah_page": Route(
        "GET", lambda o: "/wilayah/", roles(fasil=200, dinkes=200, other=200, admin=200)
    ),
    "rosters.kader_detail": Route("GET", lambda o: f"/kader/{o['kader']}", STAFF_SCOPED),
    "rosters.posyandu_detail": Route("GET", lambda o: f"/posyandu/{o['posyandu']}", STAFF_SCOPED),
    "rosters.posyandu_list_view": Route(
        "GET", lambda o: "/posyandu/", roles(fasil=200, dinkes=200, other=200, admin=200)
    ),
    "static": Route("GET", lambda o: "/static/css/app.css", roles(200, 200, 200, 200, 200, 200)),
    "verify.issuer": Route("GET", lambda o: "/issuers/33.29", roles(200, 200, 200, 200, 200, 200)),
    "verify.verify_page": Route("GET", lambda o: f"/v/{o['code']}", roles(200, 200, 200, 200, 200, 200)),
    "api.openapi_document": Route(
        "GET", lambda o: "/api/v1/openapi.json", roles(200, 200, 200, 200, 200, 200)
    ),
    "api.docs_page": Route("GET", lambda o: "/api/v1/docs", roles(200, 200, 200, 200, 200, 200)),
    "api_tokens.index": Route(
        "GET", lambda o: "/account/api-tokens/", roles(fasil=200, dinkes=200, other=200, admin=200)
    ),
    "api_tokens.create": Route(  # the matrix posts no token name: the form answers 400
        "POST", lambda o: "/account/api-tokens/", roles(fasil=400, dinkes=400, other=400, admin=400)
    ),
    "api_tokens.revoke": Route(  # only one's own tokens exist
        "POST",
        lambda o: "/account/api-tokens/999999/revoke",
        roles(fasil=404, dinkes=404, other=404, admin=404),
    ),
    **{
        name: Route(method, lambda o, p=path: p.format(**o), API_SESSION)
        for name, (method, path) in API_ROUTES.items()
    },
}


def test_every_route_is_declared(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ROUTES)) == [], "declare the new route in ROUTES"
    assert sorted(set(ROUTES) - endpoints) == [], "remove declarations of routes that no longer exist"


@pytest.fixture
def objects(world, synced, signatory):
    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    session = k01_session(world)
    grant(world.kader_brebes, "K01", "K02")
    cert = issue(world.kader_brebes, "purwa", user_id=None, today=date.today())
    record = RosterImport(
        kabupaten_code="33.29",
        user_id=world.users["dinkes"].id,
        filename="r.csv",
        sha256="0",
        content=b"NIK,Nama\n",
    )
    db.session.add(record)
    pustu = Pustu(name="Pustu Kretek", desa_code="33.29.04.2002", puskesmas_id=world.puskesmas_brebes.id)
    db.session.add(pustu)
    attempt = start(world.kader_brebes.id, skill, utcnow(), max_per_day=99, cooldown_minutes=0)
    db.session.commit()
    from app.certificates.rendering import badge

    badge(cert)  # creates the district key so /issuers/33.29 exists
    # A finished print with its file, and a running one: starting another shows the running one.
    job = Job(kind="certificates_print", kabupaten_code="33.29", params={}, status="done", backend="thread")
    running = Job(kind="kader_export", kabupaten_code="33.29", params={}, status="running", backend="thread")
    db.session.add_all([job, running])
    db.session.flush()
    running.heartbeat_at = utcnow()
    save_file(job, b"%PDF-1.4\n%%EOF\n", "sertifikat-33-29.pdf")
    db.session.commit()
    return {
        "posyandu": world.posyandu_brebes.id,
        "kader": world.kader_brebes.id,
        "session": session.id,
        "cert": cert.id,
        "code": cert.verification_code,
        "import": record.id,
        "attempt": attempt.id,
        "puskesmas": world.puskesmas_brebes.id,
        "pustu": pustu.id,
        "job": job.id,
    }


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_matrix(app, objects, endpoint):
    route = ROUTES[endpoint]
    path = route.path(objects)
    for role in ROLES:  # the order matters little: refusals first, then the allowed roles
        client = app.test_client()
        if role != "anon":
            assert login(client, USERS[role]).status_code == 302, role
        if route.method == "GET":
            status = client.get(path).status_code
        else:
            token = csrf_token(client, "/login" if role == "anon" else "/account/password")
            status = client.post(path, data={"csrf_token": token, "reason": "uji matriks"}).status_code
        expected = route.expect[role]
        allowed = expected if isinstance(expected, frozenset) else {expected}
        assert status in allowed, f"{endpoint} as {role}: got {status}, expected {sorted(allowed)}"
