"""Parallel requests on PostgreSQL, through the real pages, with real threads: no 500, no
duplicate, nothing lost. (SQLite runs one write transaction at a time.)"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from app import create_app
from app.certificates.models import Certificate
from app.curriculum.models import ChecklistStep, Skill
from app.extensions import db
from app.practicals.models import PracticalResult, StepResult
from app.quizzes.models import QuizAttempt
from tests.conftest import csrf_token, login
from tests.factories import grant, k01_session


@pytest.fixture
def instance(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one write transaction at a time; the races need PostgreSQL")
    other = create_app("testing", DATABASE_URL=database_url)  # its own engine and pool
    other.config["QUIZ_COOLDOWN_MINUTES"] = 0
    yield other
    other.extensions["kc_db"]["engine"].dispose()


def together(clients: list, request: Callable) -> list:
    """Run request(client, i) in one thread per client, released at the same moment."""
    start, responses, errors = threading.Barrier(len(clients)), [None] * len(clients), []

    def run(i: int, client) -> None:
        try:
            start.wait()
            responses[i] = request(client, i)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    return responses


def signed_in(instance, username: str, n: int) -> list:
    """n browser tabs of one signed-in user (one login: the login rate limit stays out of it)."""
    first = instance.test_client()
    login(first, username)
    cookie = first.get_cookie("session").value
    clients = [first]
    for _ in range(n - 1):
        tab = instance.test_client()
        tab.set_cookie("session", cookie)
        clients.append(tab)
    return clients


def test_issuing_one_kader_twice_at_once_gives_one_certificate(instance, world, synced, signatory):
    grant(world.kader_brebes, "K01", "K02")
    clients = signed_in(instance, "dinkes.brebes", 8)
    tokens = [csrf_token(c, "/sertifikat/siap") for c in clients]
    responses = together(
        clients,
        lambda c, i: c.post(
            "/sertifikat/siap", data={"csrf_token": tokens[i], "kader_id": str(world.kader_brebes.id)}
        ),
    )
    assert all(r.status_code == 302 for r in responses), [r.status_code for r in responses]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    told = [c.get("/sertifikat/siap").get_data(as_text=True) for c in clients]
    assert sum("sertifikat diterbitkan" in page for page in told) == 1
    assert sum("sudah memiliki sertifikat sah" in page for page in told) == 7


def test_parallel_quiz_starts_open_one_attempt(instance, world, synced):
    clients = signed_in(instance, "kader.siti", 16)
    tokens = [csrf_token(c, "/belajar/K01") for c in clients]
    responses = together(clients, lambda c, i: c.post("/kuis/K01/mulai", data={"csrf_token": tokens[i]}))
    assert all(r.status_code == 302 and "/kuis/percobaan/" in r.location for r in responses)
    assert len({r.location for r in responses}) == 1  # every tab resumes the same attempt
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_parallel_ticks_on_a_new_result_all_land(instance, world, synced, objects_session):
    session_id, kader_id = objects_session
    steps = db.session.scalars(
        select(ChecklistStep.id).join(Skill).where(Skill.code == "K01").order_by(ChecklistStep.position)
    ).all()
    clients = signed_in(instance, "fasilitator.paguyangan", len(steps))
    base = f"/praktik/{session_id}/nilai/{kader_id}/K01"
    tokens = [csrf_token(c, base) for c in clients]
    responses = together(
        clients,
        lambda c, i: c.post(
            base + "/langkah",
            data={"csrf_token": tokens[i], f"step-{steps[i]}": "1"},
            headers={"Accept": "application/json"},
        ),
    )
    assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PracticalResult)) == 1
    assert sorted(db.session.scalars(select(StepResult.step_id).where(StepResult.done))) == sorted(steps)


@pytest.fixture
def objects_session(world, synced):


    session = k01_session(world)
    db.session.commit()
    return session.id, world.kader_brebes.id
