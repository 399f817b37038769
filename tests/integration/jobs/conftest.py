"""A district with certificates in two kecamatan, and job files kept in a per-test folder."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

import pytest
from flask import current_app
from sqlalchemy import select

from app.certificates.services import issue, revoke
from app.extensions import db
from app.jobs.models import Job
from app.jobs.progress import Progress
from tests.factories import add_bumiayu, add_kader, grant


@pytest.fixture
def jobs_dir(app, tmp_path):
    folder = tmp_path / "jobs"
    for config in (app.config, current_app.config):  # the app under test and the test's own view
        config["JOBS_DIR"] = str(folder)
        config["JOBS_PROGRESS_SECONDS"] = 0  # every step written: the test sees each one
    return folder


@pytest.fixture
def certified(world, synced, signatory, jobs_dir):
    """Brebes: Siti Aminah and Sri Wahyuni in Paguyangan, Dewi Lestari in Bumiayu; Aceh: one kader.
    Each holds a valid Purwa certificate; a revoked one must never be printed."""
    _, posyandu = add_bumiayu()
    dewi = add_kader("3329055203850004", "Dewi Lestari", posyandu)
    kader = [world.kader_brebes, world.kader_brebes_other, dewi, world.kader_aceh]
    for k in kader:
        grant(k, "K01", "K02")
    for k in kader:
        issue(k, "purwa", user_id=None, today=date.today())
    rina = add_kader("3329045203850005", "Rina Dicabut", world.posyandu_brebes)
    grant(rina, "K01", "K02")
    revoke(issue(rina, "purwa", user_id=None, today=date.today()), "salah nama", user_id=None)
    db.session.commit()
    return kader


@dataclass
class ProgressSpy:
    """Every progress write, as a fresh connection (any other page or worker) reads it back;
    `pause_at` holds the worker after that many items until `resume()`."""

    pause_at: int | None = None
    seen: list[tuple[str, int, int | None]] = field(default_factory=list)
    reached: threading.Event = field(default_factory=threading.Event)
    proceed: threading.Event = field(default_factory=threading.Event)

    def resume(self) -> None:
        self.proceed.set()


@pytest.fixture
def progress_spy(monkeypatch) -> ProgressSpy:
    spy = ProgressSpy()
    original = Progress.write

    def write(self: Progress) -> None:
        original(self)
        with db.engine.connect() as conn:
            row = conn.execute(select(Job.status, Job.done, Job.total).where(Job.id == self.job_id)).one()
        spy.seen.append(tuple(row))
        if spy.pause_at is not None and self.done == spy.pause_at:
            spy.reached.set()
            assert spy.proceed.wait(30), "the test never let the job go on"

    monkeypatch.setattr(Progress, "write", write)
    return spy
