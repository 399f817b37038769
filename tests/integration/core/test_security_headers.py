import pytest

from app import create_app
from tests.conftest import login


@pytest.mark.parametrize("path", ["/login", "/healthz", "/tidak-ada", "/static/css/app.css"])
def test_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # only behind HTTPS in production


def test_hsts_and_secure_cookie_in_production(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    app = create_app("production", DATABASE_URL=database_url)
    client = app.test_client()
    response = client.get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_logged_in_pages_too(client, world):
    login(client, "dinkes.brebes")
    assert "frame-ancestors 'none'" in client.get("/").headers["Content-Security-Policy"]
