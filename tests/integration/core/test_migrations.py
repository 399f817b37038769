"""Schema only through Alembic: round trip works and models never drift from migrations."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import app.models  # noqa: F401
from app.core.models import Base
from app.extensions import make_engine
from tests.conftest import alembic_config


def _diff(url):
    engine = make_engine(url, one_off=True)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    return diff


def test_models_match_migrations(database_url):
    assert _diff(database_url) == []


def test_upgrade_downgrade_upgrade_round_trip(database_url):
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "base")
    engine = make_engine(database_url, one_off=True)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(cfg, "head")
    assert _diff(database_url) == []


def test_revision_files_are_date_prefixed():
    from pathlib import Path

    versions = Path(__file__).resolve().parents[3] / "migrations" / "versions"
    files = [p.name for p in versions.glob("*.py")]
    assert files and all(name[:8].isdigit() and name[8] == "_" for name in files)


def test_fresh_clone_migrates_into_a_missing_instance_directory(tmp_path):
    """`make run` on a new clone: alembic runs before the app ever created instance/."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["INSTANCE_PATH"] = str(tmp_path / "new" / "instance")
    alembic = Path(sys.executable).with_name("alembic")
    result = subprocess.run(
        [str(alembic), "upgrade", "head"], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "new" / "instance" / "kadercakap.db").is_file()
