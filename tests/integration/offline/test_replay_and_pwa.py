"""Queued checklist writes replayed from a phone (once each, conflicts kept on the server and
reported), and the installable app's worker and manifest."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.extensions import db
from app.practicals.models import PracticalResult, StepResult
from tests.conftest import csrf_token, login
from tests.integration.practicals.test_sessions import new_session, observe_url, post_ticks, step_ids


@pytest.fixture
def fasil(client, world, synced):
    login(client, "fasilitator.paguyangan")
    return client


def tick(client, url, token, fields):
    return client.post(
        url + "/langkah", data={"csrf_token": token, **fields}, headers={"Accept": "application/json"}
    )


def test_a_resent_tick_applies_once(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    token = csrf_token(fasil, url)
    step = step_ids("K01")[0]
    first = {f"step-{step}": "1", f"seen-{step}": "", "seen_result": "", "idempotency_key": "key-0001-aaaa"}
    assert tick(fasil, url, token, first).status_code == 200
    # the fasilitator changed their mind; then the first tick's answer, lost, is sent again
    second = {f"step-{step}": "0", f"seen-{step}": "1", "seen_result": "", "idempotency_key": "key-0002-bbbb"}
    assert tick(fasil, url, token, second).status_code == 200
    again = tick(fasil, url, token, first)
    assert again.status_code == 200 and again.json["duplicate"] is True
    assert db.session.scalar(select(StepResult.done)) is False


def test_a_step_changed_on_another_device_is_kept_and_reported(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    token = csrf_token(fasil, url)
    step = step_ids("K01")[0]
    assert tick(fasil, url, token, {f"step-{step}": "0"}).status_code == 200  # the other device
    stale = {f"step-{step}": "1", f"seen-{step}": "", "seen_result": "", "idempotency_key": "key-0003-cccc"}
    response = tick(fasil, url, token, stale)
    assert response.status_code == 409
    assert response.json["conflict"] == [str(step)]
    assert response.json["state"]["steps"] == {str(step): "0"}
    assert "diubah di perangkat lain" in response.json["error"]
    db.session.expire_all()
    assert db.session.scalar(select(StepResult.done)) is False
    # the same value on both devices is no conflict (a resend whose answer was lost)
    same = {f"step-{step}": "0", f"seen-{step}": "", "seen_result": "", "idempotency_key": "key-0004-dddd"}
    assert tick(fasil, url, token, same).status_code == 200


def test_a_queued_confirmation_over_a_decision_made_elsewhere_is_refused(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    steps = step_ids("K01")
    post_ticks(fasil, url, {s: True for s in steps})
    post_ticks(fasil, url, {}, action="confirm", decision="kompeten")  # confirmed on another device
    audits = db.session.scalar(select(func.count()).select_from(AuditLog))
    queued = {f"seen-{s}": "1" for s in steps} | {"seen_result": "", "idempotency_key": "key-0005-eeee"}
    response = post_ticks(
        fasil,
        url,
        {s: True for s in steps},
        action="confirm",
        decision="belum_kompeten",
        note="dari HP",
        **queued,
    )
    assert response.status_code == 400
    assert "diubah di perangkat lain" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(PracticalResult.result)) == "kompeten"
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == audits


def test_worker_and_manifest_are_served_from_the_origin_without_caching(client, synced):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert "no-cache" in worker.headers["Cache-Control"]
    assert b"kc-static-" in worker.data and b"/tanpa-sinyal" in worker.data
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    icons = manifest.json["icons"]
    assert {i["sizes"] for i in icons} == {"192x192", "512x512"}
    for icon in icons:
        assert client.get(icon["src"]).data.startswith(b"\x89PNG")
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp


def test_the_worker_version_follows_the_curriculum(client, synced):
    from app.curriculum.models import CurriculumVersion

    before = client.get("/sw.js").data
    version = db.session.scalar(select(CurriculumVersion).where(CurriculumVersion.active))
    version.content_hash = "e" * 64
    db.session.commit()
    assert client.get("/sw.js").data != before


def test_a_fresh_form_token_for_the_queue_needs_a_login(client, world):
    assert client.get("/offline/token", headers={"Accept": "application/json"}).status_code == 401
    login(client, "kader.siti")
    assert client.get("/offline/token").json["csrf_token"]
