"""Alembic environment: the models in app.models are the schema's source of truth."""

from __future__ import annotations

from alembic import context

import app.models  # noqa: F401 - registers every table on the metadata
from app.core.models import Base
from app.extensions import make_engine
from config import INSTANCE_DIR, database_url, default_database_url

target_metadata = Base.metadata


def _url() -> str:
    url = context.config.get_main_option("sqlalchemy.url") or database_url()
    if url == default_database_url():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no instance/ yet
    return url


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _url()
    engine = make_engine(url, one_off=True)
    with engine.connect() as connection:
        sqlite = url.startswith("sqlite")
        if sqlite:
            # Batch migrations copy and drop tables; SQLite would check foreign keys row by row
            # mid-copy. Checks are off while migrating and verified once at the end instead.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=url.startswith("sqlite"),
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign key violations after migration: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
