"""NUL bytes are refused at the door with a clear message, on both databases, changing nothing."""

from __future__ import annotations

from tests.conftest import csrf_token, login

MESSAGE = "Data yang dikirim berisi karakter yang tidak sah."


def test_nul_in_login_form_is_refused_and_counts_nothing(client, world):
    token = csrf_token(client)
    response = client.post(
        "/login", data={"username": "dinkes.brebes\x00", "password": "x\x00", "csrf_token": token}
    )
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    from app.auth import lockout
    from app.extensions import limiter

    with client.application.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        _, remaining = limiter.limiter.get_window_stats(lockout._item(), *lockout._key("dinkes.brebes"))
        assert remaining == client.application.config["LOGIN_LOCKOUT_THRESHOLD"]


def test_nul_in_search_query_is_refused(client, world):
    login(client, "dinkes.brebes")
    response = client.get("/kader/?q=abc%00def")
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    assert client.get("/kader/?q=abc").status_code == 200


def test_nul_in_verification_path_is_refused_as_json(client):
    response = client.get("/v/abc%00def.json")
    assert response.status_code == 400
    assert response.get_json()["message"] == MESSAGE
