import importlib

import pytest
from sqlalchemy import text

import config
from app import create_app


def test_production_refuses_to_start_without_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_uses_secure_cookies(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app("production", DATABASE_URL=database_url)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_generates_and_keeps_a_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    reloaded = importlib.reload(config)
    try:
        first = reloaded.DevelopmentConfig().SECRET_KEY
        second = reloaded.DevelopmentConfig().SECRET_KEY
        assert first == second and len(first) >= 32
        assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        monkeypatch.delenv("INSTANCE_PATH")
        importlib.reload(config)


def test_default_database_is_sqlite_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url().startswith("sqlite:///")
    assert config.database_url().endswith("instance/kadercakap.db")


def test_postgres_url_gets_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert config.database_url() == "postgresql+psycopg://u@h/db"


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    app = create_app("testing", DATABASE_URL=f"sqlite:///{tmp_path}/p.db")
    with app.app_context():
        from app.extensions import db

        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_unknown_app_env_is_an_error(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(RuntimeError, match="APP_ENV"):
        config.config_from_env()
