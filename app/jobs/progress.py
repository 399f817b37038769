"""Progress of a running job, written in its own short transactions so every page sees it."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from flask import current_app
from sqlalchemy import update

from app.core.models import utcnow
from app.extensions import db
from app.jobs.models import Job

T = TypeVar("T")


class Progress:
    """Counts work done; writes `done`/`total` and the heartbeat at most every JOBS_PROGRESS_SECONDS."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.done = 0
        self.total: int | None = None
        self.interval = float(current_app.config["JOBS_PROGRESS_SECONDS"])
        self._written_at = 0.0

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self.write()

    def advance(self, step: int = 1) -> None:
        self.done += step
        if time.monotonic() - self._written_at >= self.interval or self.done == self.total:
            self.write()

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """Yield `items`, counting each one as done once the consumer asks for the next."""
        for item in items:
            yield item
            self.advance()

    def write(self) -> None:
        # A separate connection: the job's own session may be mid-read, and this must commit now.
        with db.engine.begin() as conn:
            conn.execute(
                update(Job)
                .where(Job.id == self.job_id)
                .values(done=self.done, total=self.total, heartbeat_at=utcnow())
            )
        self._written_at = time.monotonic()
