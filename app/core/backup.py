"""`flask --app wsgi backup create -o FILE`: a consistent copy of the embedded SQLite database.

Uses SQLite's online backup API, so it is safe while the app is serving. PostgreSQL is backed
up with its own tools (pg_dump/pg_restore): see docs/backup.md.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

backup_cli = AppGroup("backup", help="Backups of the embedded SQLite database.")


@backup_cli.command("create")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def create_command(output: Path) -> None:
    url = current_app.config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        raise click.ClickException("this database is not SQLite: use pg_dump (see docs/backup.md)")
    if output.exists():
        raise click.ClickException(f"{output} exists already; choose a new file name")
    output.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    target = sqlite3.connect(output)
    try:
        with target:
            source.backup(target)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        source.close()
        target.close()
    if check != "ok":
        raise click.ClickException(f"the copy failed its integrity check: {check}")
    click.echo(f"backup written to {output} ({output.stat().st_size} bytes, integrity ok)")
