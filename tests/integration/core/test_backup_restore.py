"""A backup restored elsewhere still verifies the certificates issued before it was taken."""

import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.certificates.services import issue
from app.extensions import db
from tests.conftest import run_cli
from tests.factories import grant


@pytest.fixture
def issued(world, synced, signatory):
    grant(world.kader_brebes, "K01", "K02")
    cert = issue(world.kader_brebes, "purwa", user_id=None, today=date.today())
    db.session.commit()
    return cert


def assert_verifiable(url, code):
    restored = create_app("testing", DATABASE_URL=url)
    response = restored.test_client().get(f"/v/{code}.json")
    restored.extensions["kc_db"]["engine"].dispose()
    assert response.status_code == 200 and response.json["status"] == "valid"


def test_sqlite_backup_and_restore(app, issued, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite backup; the PostgreSQL path is tested below")
    backup = tmp_path / "backup.db"
    result = run_cli(app, "backup", "create", "-o", str(backup))
    assert result.exit_code == 0 and "integrity ok" in result.output
    again = run_cli(app, "backup", "create", "-o", str(backup))
    assert again.exit_code != 0 and "exists" in again.output
    restored = tmp_path / "restored.db"
    shutil.copy(backup, restored)
    assert_verifiable(f"sqlite:///{restored}", issued.verification_code)


def test_postgres_dump_and_restore(app, issued, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL backup; the SQLite path is tested above")
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is needed for the PostgreSQL backup test")
    libpq = database_url.replace("+psycopg", "")
    dump = tmp_path / "kc.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--dbname={libpq}", f"--file={dump}"], check=True
    )
    admin = create_engine(libpq.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS kc_restore_test"))
        conn.execute(text("CREATE DATABASE kc_restore_test"))
    target = libpq.rsplit("/", 1)[0] + "/kc_restore_test"
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={target}", str(dump)], check=True)
    assert_verifiable(target.replace("postgresql://", "postgresql+psycopg://"), issued.verification_code)
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE kc_restore_test WITH (FORCE)"))
    admin.dispose()
