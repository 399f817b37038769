import pytest
from sqlalchemy import select

from app.auth.models import User
from app.core.audit import AuditLog
from app.extensions import db
from tests.conftest import csrf_token, login


def test_login_and_logout(client, world):
    response = login(client, "dinkes.brebes")
    assert response.status_code == 302 and response.location == "/"
    assert "Kabupaten Brebes" in client.get("/").get_data(as_text=True)
    token = csrf_token(client, "/")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_username_is_case_insensitive(client, world):
    assert login(client, "Dinkes.Brebes").status_code == 302


def test_wrong_password_gives_clear_message(client, world):
    response = login(client, "dinkes.brebes", "salah-sekali-123")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


def test_unknown_user_same_message(client, world):
    response = login(client, "tidak.ada", "salah-sekali-123")
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, world):
    response = client.post("/login", data={"username": "dinkes.brebes", "password": "rahasia-uji-123"})
    assert response.status_code == 400
    assert "Formulir sudah kedaluwarsa" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_logout_requires_post(client, world):
    login(client, "dinkes.brebes")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_password_is_hashed(app, world):
    user = db.session.scalar(select(User).where(User.username == "dinkes.brebes"))
    assert "rahasia-uji-123" not in user.password_hash
    assert user.password_hash.startswith(("pbkdf2:", "scrypt:"))


def test_session_cookie_flags(client, world):
    response = login(client, "dinkes.brebes")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_is_rate_limited_with_a_clear_message(app, world):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    for _ in range(3):
        login(client, "dinkes.brebes", "salah-sekali-123")
    response = login(client, "dinkes.brebes")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)


def test_wrong_passwords_lock_the_account_from_that_address_only(app, world):
    """Eight wrong passwords from one address must not lock the real user out elsewhere."""
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 3
    attacker = client_at(app, REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        login(attacker, "dinkes.brebes", "salah-sekali-123")
    response = login(attacker, "dinkes.brebes")  # right password, but this address is locked out
    assert response.status_code == 200
    assert "dikunci sementara" in response.get_data(as_text=True)
    alert = db.session.scalar(select(AuditLog).where(AuditLog.action == "account.locked"))
    assert alert is not None and alert.after["address"] == "203.0.113.7"
    owner = client_at(app, REMOTE_ADDR="198.51.100.20")
    assert login(owner, "dinkes.brebes").status_code == 302
    from app.extensions import limiter

    limiter.reset()  # the window passes
    assert login(attacker, "dinkes.brebes").status_code == 302


def test_unknown_usernames_cost_a_password_check_too(app, world, monkeypatch):
    """Timing must not tell whether a username exists: both paths hash once."""
    import app.auth.services as services

    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda *a: calls.append(a) or real(*a))
    login(app.test_client(), "tidak.ada.orangnya", "apa-saja-123")
    assert len(calls) == 1


def client_at(app, **environ):
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def test_the_client_address_comes_from_a_trusted_proxy_only(app, world):
    from app import create_app

    behind = create_app("testing", DATABASE_URL=app.config["DATABASE_URL"], TRUSTED_PROXY_COUNT=1)
    behind.config["LOGIN_LOCKOUT_THRESHOLD"] = 2
    try:
        guesser = client_at(behind, HTTP_X_FORWARDED_FOR="203.0.113.1")
        for _ in range(2):
            login(guesser, "dinkes.brebes", "salah-sekali-123")
        assert login(guesser, "dinkes.brebes").status_code == 200  # that client is locked out
        colleague = client_at(behind, HTTP_X_FORWARDED_FOR="203.0.113.2")  # same proxy, other client
        assert login(colleague, "dinkes.brebes").status_code == 302
    finally:
        behind.extensions["kc_db"]["engine"].dispose()
    # Without a trusted proxy the header is ignored: forging it does not escape a lockout.
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 2
    for forged in ("198.51.100.1", "198.51.100.2"):
        login(client_at(app, HTTP_X_FORWARDED_FOR=forged), "dinkes.brebes", "salah-sekali-123")
    assert login(client_at(app, HTTP_X_FORWARDED_FOR="198.51.100.3"), "dinkes.brebes").status_code == 200


def test_open_redirect_is_refused(client, world):
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": "dinkes.brebes", "password": "rahasia-uji-123", "csrf_token": token},
    )
    assert response.location == "/"


def test_next_path_is_followed(client, world):
    token = csrf_token(client)
    response = client.post(
        "/login?next=/posyandu/",
        data={"username": "dinkes.brebes", "password": "rahasia-uji-123", "csrf_token": token},
    )
    assert response.location == "/posyandu/"


def test_initial_password_must_be_changed_first(client, world):
    user = world.users["kader"]
    user.must_change_password = True
    db.session.commit()
    response = login(client, "kader.siti")
    assert response.location == "/account/password"
    assert client.get("/").location == "/account/password"
    token = csrf_token(client, "/account/password")
    weak = client.post(
        "/account/password",
        data={
            "current_password": "rahasia-uji-123",
            "new_password": "123456",
            "confirm": "123456",
            "csrf_token": token,
        },
    )
    assert weak.status_code == 400
    assert "terlalu mudah" in weak.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={
            "current_password": "rahasia-uji-123",
            "new_password": "582914",
            "confirm": "582914",
            "csrf_token": token,
        },
    )
    assert ok.status_code == 302 and ok.location == "/"
    assert client.get("/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("582914")


def test_two_workers_on_redis_count_logins_together(app, world):
    """With memory:// each gunicorn worker counted alone; production uses Redis."""
    import uuid

    import redis

    from app import create_app

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running here (CI and the deploy guide start it)")
    settings = {
        "DATABASE_URL": app.config["DATABASE_URL"],
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "LOGIN_RATE_LIMIT": "4 per minute",
    }
    workers = [create_app("testing", **settings), create_app("testing", **settings)]
    try:
        statuses = [
            login(workers[n % 2].test_client(), "dinkes.brebes", "salah-123-x").status_code for n in range(5)
        ]
        assert statuses[:4] == [200] * 4 and statuses[4] == 429
    finally:
        for worker in workers:
            worker.extensions["kc_db"]["engine"].dispose()
