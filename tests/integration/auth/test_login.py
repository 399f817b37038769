from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.core.audit import AuditLog
from app.core.models import utcnow
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
    assert response.status_code == 401
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


def test_account_locks_after_repeated_failures(app, client, world):
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 3
    for _ in range(3):
        login(client, "dinkes.brebes", "salah-sekali-123")
    response = login(client, "dinkes.brebes")  # right password, but locked
    assert response.status_code == 401
    assert "dikunci sementara" in response.get_data(as_text=True)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "account.locked")) is not None
    user = db.session.scalar(select(User).where(User.username == "dinkes.brebes"))
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert login(client, "dinkes.brebes").status_code == 302


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
