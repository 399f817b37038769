"""A session cookie copied before logout, a password change or a PIN reset stops working."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login

PASSWORD = "rahasia-uji-123"


@pytest.fixture
def copied(app, client, world):
    """`client` signed in as dinkes.brebes, and a second browser holding a copy of its cookie."""
    login(client, "dinkes.brebes")
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/kader/").status_code == 200  # the copy works at first
    return client, thief


def signed_out(browser) -> bool:
    response = browser.get("/kader/")
    return response.status_code == 302 and "/login" in response.location


def test_logout_ends_a_copied_session(copied):
    client, thief = copied
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert signed_out(client) and signed_out(thief)


def test_password_change_ends_other_sessions_but_keeps_this_one(copied):
    client, thief = copied
    token = csrf_token(client, "/account/password")
    new = "kata-sandi-baru-2026"
    response = client.post(
        "/account/password",
        data={"csrf_token": token, "current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert response.status_code == 302
    assert signed_out(thief)
    assert client.get("/kader/").status_code == 200


def test_log_out_everywhere_ends_every_session(app, copied):
    client, thief = copied
    laptop = app.test_client()
    login(laptop, "dinkes.brebes")
    page = client.get("/account/password").get_data(as_text=True)
    assert "Keluar dari semua perangkat" in page
    response = client.post(
        "/account/sessions/end", data={"csrf_token": csrf_token(client, "/account/password")}
    )
    assert response.status_code == 302
    assert signed_out(client) and signed_out(thief) and signed_out(laptop)


def test_log_out_everywhere_needs_csrf(copied):
    client, thief = copied
    client.post("/account/sessions/end", data={})
    assert not signed_out(thief)


def test_pin_reset_ends_the_kader_sessions(app, client, world):
    kader = app.test_client()
    login(kader, "kader.siti")
    assert kader.get("/belajar/").status_code == 200
    login(client, "fasilitator.paguyangan")
    token = csrf_token(client, f"/posyandu/{world.posyandu_brebes.id}/akun")
    assert (
        client.post(f"/kader/{world.kader_brebes.id}/akun/reset", data={"csrf_token": token}).status_code
        == 200
    )
    response = kader.get("/belajar/")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("forged", ["1", "1.x", "x.1", "1.1.1", "99999999999999999999.1", "١.١"])
def test_forged_session_ids_are_anonymous(app, forged):
    from app.extensions import login_manager

    with app.test_request_context():
        assert login_manager._user_callback(forged) is None


def test_admin_ends_every_session_of_an_account_from_the_cli(app, copied):
    from tests.conftest import run_cli

    client, thief = copied
    result = run_cli(app, "end-sessions", "dinkes.brebes")
    assert result.exit_code == 0 and "every session" in result.output
    assert signed_out(client) and signed_out(thief)
    assert run_cli(app, "end-sessions", "tidak.ada").exit_code == 1
