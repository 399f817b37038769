"""Test fixtures: a migrated database (SQLite temp file, or PostgreSQL from DATABASE_URL),
an app per test, a wiped database per test, and a small two-district world."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.core.models import Base
from app.extensions import limiter, make_engine
from bench.data.cli import register as register_bench_cli

ROOT = Path(__file__).resolve().parents[1]


def _test_database_url(tmp_root: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgresql", "postgres")):
        from config import database_url

        url = database_url()
        name = url.rsplit("/", 1)[-1].split("?")[0]
        # The suite wipes the database: refuse anything that is not clearly a test database.
        if not (name == "test" or name.endswith("_test")) and not os.environ.get(
            "KADERCAKAP_TEST_ALLOW_WIPE"
        ):
            raise pytest.UsageError(
                f"refusing to wipe database {name!r}: use a database named test or *_test"
            )
        return url
    return f"sqlite:///{tmp_root / 'test.db'}"


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def reset_schema(url: str) -> None:
    engine = make_engine(url, one_off=True)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _test_database_url(tmp_path_factory.mktemp("db"))
    reset_schema(url)
    command.upgrade(alembic_config(url), "head")
    return url


def wipe(app: Flask) -> None:
    engine = app.extensions["kc_db"]["engine"]
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))  # wilayah refers to itself
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))
            conn.execute(text("PRAGMA foreign_keys=ON"))


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The app under test. Test code reads and writes the database through a second app
    instance (same database) whose context stays pushed: requests to the app under test then
    get their own app context, `g` and session, exactly as in production."""
    application = create_app("testing", DATABASE_URL=database_url)
    register_bench_cli(application)  # `bench-data` lives in bench/, never in create_app
    observer = create_app("testing", DATABASE_URL=database_url)
    wipe(application)
    limiter.reset()
    ctx = observer.app_context()
    ctx.push()
    yield application
    ctx.pop()
    for instance in (application, observer):
        instance.extensions["kc_db"]["engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def world(app: Flask):
    from tests.factories import build_world

    return build_world()


CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    response = client.get(path)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = "rahasia-uji-123") -> object:
    token = csrf_token(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def run_cli(app: Flask, *args: str, input: str | None = None):
    """Invoke a CLI command under the app under test (not the observer's context)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args), input=input)


@pytest.fixture
def mini_tree(tmp_path: Path) -> Path:
    from tests.curriculum_tree import build_tree

    return build_tree(tmp_path / "kurikulum")


@pytest.fixture
def synced(app: Flask, mini_tree: Path):
    """A small synced curriculum: K01-K02 (PP), K03-K04 (BB), K05 (IH), 12 items and 6 steps each."""
    from app.curriculum.loader import load_curriculum
    from app.curriculum.sync import sync_curriculum
    from app.extensions import db

    report = sync_curriculum(load_curriculum(mini_tree))
    db.session.commit()
    return report


@pytest.fixture
def signatory(world):
    """Certificate signatory settings for both demo districts."""
    from app.certificates.models import DistrictSettings
    from app.extensions import db

    for code, office, place in (
        ("33.29", "Dinas Kesehatan Kabupaten Brebes", "Brebes"),
        ("11.01", "Dinas Kesehatan Kabupaten Aceh Selatan", "Tapaktuan"),
    ):
        db.session.add(
            DistrictSettings(
                kabupaten_code=code,
                office_name=office,
                signatory_name="dr. Kepala Dinas",
                signatory_title=f"Kepala {office}",
                signatory_nip="197001011998032001",
                place=place,
            )
        )
    db.session.commit()
