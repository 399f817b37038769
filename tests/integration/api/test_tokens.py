"""Tokens: CLI and account page, stored hashed, revocation and expiry, no session cookies,
rate limit and problem details."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.api.models import ApiToken
from app.api.tokens import create_token, hash_secret
from app.core.audit import AuditLog
from app.core.models import utcnow
from app.extensions import db, limiter
from tests.conftest import csrf_token, login, run_cli
from tests.integration.api.conftest import bearer


def test_cli_creates_lists_and_revokes_a_token(app, world):
    created = run_cli(app, "api", "token", "create", "dinkes.brebes", "--name", "SIMPUS", "--expires", "30")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[0]
    assert secret.startswith("kc_")
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hash_secret(secret) and secret not in (stored.prefix, stored.token_hash)
    client = app.test_client()
    assert client.get("/api/v1/kader", headers=bearer(secret)).status_code == 200
    listed = run_cli(app, "api", "token", "list", "dinkes.brebes")
    assert "SIMPUS" in listed.output and stored.prefix in listed.output and secret not in listed.output
    assert run_cli(app, "api", "token", "revoke", str(stored.id)).exit_code == 0
    assert client.get("/api/v1/kader", headers=bearer(secret)).status_code == 401
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"api.token_created", "api.token_revoked"} <= actions


def test_cli_refuses_an_unknown_user(app, world):
    result = run_cli(app, "api", "token", "create", "nobody")
    assert result.exit_code != 0 and "nobody" in result.output


def test_expired_token_and_inactive_user_are_refused(app, world):
    expired = create_token(world.users["dinkes"], "lama", 1, created_by=None)
    expired.token.expires_at = utcnow() - timedelta(minutes=1)
    fasil = create_token(world.users["fasilitator"], "f", None, created_by=None)
    world.users["fasilitator"].active = False
    db.session.commit()
    client = app.test_client()
    for secret in (expired.secret, fasil.secret, "kc_" + "x" * 43, "not-a-token"):
        response = client.get("/api/v1/kader", headers=bearer(secret))
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_is_not_a_credential(app, world):
    client = app.test_client()
    login(client, "dinkes.brebes")
    assert client.get("/kader/").status_code == 200  # the session works on the pages
    response = client.get("/api/v1/kader")
    assert response.status_code == 401
    assert response.get_json()["type"].endswith("unauthenticated")


def test_calls_are_rate_limited_per_token(app, world):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    first = create_token(world.users["dinkes"], "a", None, created_by=None).secret
    second = create_token(world.users["dinkes"], "b", None, created_by=None).secret
    db.session.commit()
    client = app.test_client()
    statuses = [client.get("/api/v1/posyandu", headers=bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/posyandu", headers=bearer(first))
    assert limited.mimetype == "application/problem+json" and int(limited.headers["Retry-After"]) >= 1
    assert client.get("/api/v1/posyandu", headers=bearer(second)).status_code == 200


def test_last_use_is_recorded(app, world, tokens):
    app.test_client().get("/api/v1/kader", headers=bearer(tokens["dinkes"]))
    db.session.expire_all()
    used = db.session.scalar(select(ApiToken).where(ApiToken.name == "uji dinkes"))
    assert used.last_used_at is not None


def test_account_page_creates_shows_once_and_revokes(app, world):
    client = app.test_client()
    login(client, "dinkes.brebes")
    assert "api-tokens" in client.get("/account/password").get_data(as_text=True)
    token = csrf_token(client, "/account/api-tokens/")
    page = client.post("/account/api-tokens/", data={"csrf_token": token, "name": "SIKDA", "expires": "30"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    stored = db.session.scalar(select(ApiToken).where(ApiToken.name == "SIKDA"))
    html = page.get_data(as_text=True)
    secret = html.split("<code>kc_", 1)[1].split("</code>", 1)[0].replace("<wbr>", "")
    assert hash_secret("kc_" + secret) == stored.token_hash
    assert "kc_" + secret not in client.get("/account/api-tokens/").get_data(as_text=True)
    other = create_token(world.users["dinkes_other"], "bukan milik", None, created_by=None)
    db.session.commit()
    # Someone else's token is not found; one's own is revoked.
    assert (
        client.post(f"/account/api-tokens/{other.token.id}/revoke", data={"csrf_token": token}).status_code
        == 404
    )
    assert (
        client.post(f"/account/api-tokens/{stored.id}/revoke", data={"csrf_token": token}).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(ApiToken, stored.id).revoked_at is not None
    assert db.session.get(ApiToken, other.token.id).revoked_at is None
    # Without the CSRF token nothing is revoked.
    fresh = create_token(world.users["dinkes"], "baru", None, created_by=None)
    db.session.commit()
    client.post(f"/account/api-tokens/{fresh.token.id}/revoke", data={})
    db.session.expire_all()
    assert db.session.get(ApiToken, fresh.token.id).revoked_at is None


def test_kader_have_no_token_page(app, world):
    client = app.test_client()
    login(client, "kader.siti")
    assert client.get("/account/api-tokens/").status_code == 403


def test_every_error_is_a_problem_document(app, world, tokens):
    client = app.test_client()
    auth = bearer(tokens["dinkes"])
    cases = [
        (client.get("/api/v1/tidak-ada", headers=auth), 404),
        (client.delete("/api/v1/kader", headers=auth), 405),
        (client.get("/api/v1/kader?cursor=AAAA", headers=auth), 400),
        (client.get("/api/v1/kader?cursor=bad!", headers=auth), 400),
        (client.get("/api/v1/kader?updated_since=2026-13-01", headers=auth), 400),
        (client.get("/api/v1/kader?updated_since=0001-01-01T00:00:00%2B05:00", headers=auth), 400),
        (client.get("/api/v1/kader?limit=0", headers=auth), 400),
        (client.get("/api/v1/kader?lmit=5", headers=auth), 400),
        (client.get("/api/v1/kader?q=%00", headers=auth), 400),
        (client.get("/api/v1/kader/99999", headers=auth), 404),
        (client.get("/api/v1/kader/99999999999", headers=auth), 404),
        (client.post("/api/v1/roster-imports", data="{", content_type="application/json", headers=auth), 400),
        (client.post("/api/v1/roster-imports", data="x", content_type="text/plain", headers=auth), 415),
        (client.post("/api/v1/roster-imports", json={"rows": "x"}, headers=auth), 422),
        (client.get("/api/v1/wilayah", headers=bearer(tokens["kader"])), 403),
    ]
    for response, status in cases:
        assert response.status_code == status, response.get_data(as_text=True)
        body = response.get_json(force=True)
        assert response.mimetype == "application/problem+json"
        assert body["status"] == status and body["title"] and body["type"]
    assert cases[1][0].headers["Allow"] == "GET, HEAD, OPTIONS"
    app.config["MAX_CONTENT_LENGTH"] = 100
    too_big = client.post("/api/v1/roster-imports", data="x" * 200, content_type="text/csv", headers=auth)
    assert too_big.status_code == 413 and too_big.mimetype == "application/problem+json"


def test_cursor_walks_every_item_once(app, world, tokens):
    client, seen, cursor = app.test_client(), [], None
    while True:
        query = "?limit=1" + (f"&cursor={cursor}" if cursor else "")
        body = client.get("/api/v1/kader" + query, headers=bearer(tokens["admin"])).get_json()
        seen.extend(item["id"] for item in body["items"])
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == 3


def test_updated_since_returns_only_later_changes(app, world, tokens):
    client, auth = app.test_client(), bearer(tokens["dinkes"])
    mark = utcnow().isoformat().replace("+00:00", "Z")
    assert client.get(f"/api/v1/kader?updated_since={mark}", headers=auth).get_json()["items"] == []
    world.kader_brebes.phone = "081234567890"
    db.session.commit()
    items = client.get(f"/api/v1/kader?updated_since={mark}", headers=auth).get_json()["items"]
    assert [k["id"] for k in items] == [world.kader_brebes.id]


def test_docs_page_is_served_from_the_app(app, world):
    client = app.test_client()
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="list_kader"' in html and "problem-invalid-cursor" in html
    assert "http" not in html.split("<main", 1)[1].split("</main>")[0].replace("http://127.0.0.1", "")
    assert client.get("/api/v1/openapi.json").get_json()["openapi"] == "3.1.0"
