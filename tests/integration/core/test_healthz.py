from app import create_app


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(tmp_path):
    # A SQLite file inside a missing directory cannot be opened.
    app = create_app("testing", DATABASE_URL=f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "error"}


def test_healthz_reports_unreachable_postgres():
    app = create_app("testing", DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "error"
