"""`flask jobs worker` (an RQ worker inside the app's configuration) and `flask jobs prune`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.jobs import queue, storage

jobs_cli = AppGroup("jobs", help="Background jobs: the RQ worker and old files.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker on REDIS_URL's queue (each job runs in a forked process)."""
    from rq import Worker

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: jobs run inside the app process, no worker needed")
    connection = queue.redis_connection()
    Worker([queue.rq_queue(connection)], connection=connection).work(burst=burst)


@jobs_cli.command("prune")
def prune_command() -> None:
    """Delete the files of jobs finished more than JOBS_KEEP_DAYS ago."""
    count = storage.prune()
    db.session.commit()
    click.echo(f"deleted {count} old job file(s)")
