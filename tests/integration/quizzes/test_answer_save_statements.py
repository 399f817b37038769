"""The answer save stays lean: SQL statements counted per request, and no second write when the
"Simpan dan lanjut" form posts the answer the background save already stored.

What is counted: every statement the app under test sends through SQLAlchemy while it handles
the request (a `before_cursor_execute` listener on its engine), so flask-login's user load is
one of them. BEGIN and COMMIT are sent by the driver, not as statements, and are not counted;
the pool no longer pings before each checkout. The test's own reads go through the observer
app's engine and are not counted either.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text, update

from app.core.models import utcnow
from app.extensions import db
from app.quizzes.models import QuizAttempt, QuizAttemptItem
from tests.conftest import csrf_token, login
from tests.factories import answer_js, attempt_rows, begin

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def kader(client, world, synced, app):
    app.config["QUIZ_COOLDOWN_MINUTES"] = 0
    login(client, "kader.siti")
    return client


@contextmanager
def statements(app) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = app.extensions["kc_db"]["engine"]

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def writes(seen: list[str]) -> list[str]:
    return [s for s in seen if s.upper().startswith(WRITES)]


def stored(row_id: int) -> QuizAttemptItem:
    db.session.expire_all()
    return db.session.get(QuizAttemptItem, row_id)


def post_form(client, attempt_id: int, position: int, option: int, go: str, token: str):
    return client.post(
        f"/kuis/percobaan/{attempt_id}/soal/{position}",
        data={"csrf_token": token, "option": str(option), "go": go},
    )


def test_background_save_takes_at_most_four_statements(kader, app):
    attempt_id, _ = begin(kader)
    row = attempt_rows(attempt_id)[3]
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    with statements(app) as seen:
        response = answer_js(kader, attempt_id, row.position, 1, token)
    assert response.status_code == 200 and response.json == {"saved": True}
    assert stored(row.id).chosen == row.option_order[1]
    assert len(seen) <= 4, seen
    if db.engine.dialect.name == "postgresql":
        # the user load, then one statement that finds and locks the kader's attempt with only
        # the answered item and stores the answer: 4 round trips with BEGIN and COMMIT
        assert len(seen) == 2, seen
        save = seen[-1]
        assert save.startswith("WITH slot AS") and "FOR UPDATE OF a" in save
        assert "a.kader_id = " in save and "i.position = " in save
        assert "UPDATE quiz_attempt_item" in save
        return
    assert writes(seen) == [s for s in seen if s.startswith("UPDATE quiz_attempt_item")]
    assert len(writes(seen)) == 1
    # the attempt is found and locked in one statement that brings only the answered item
    lookups = [s for s in seen if "FROM quiz_attempt " in s]
    assert len(lookups) == 1 and "quiz_attempt.kader_id" in lookups[0]
    assert "quiz_attempt_item.position" in lookups[0]


def test_form_reposting_the_saved_answer_writes_nothing(kader, app):
    attempt_id, _ = begin(kader)
    first, second = attempt_rows(attempt_id)[:2]
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    assert answer_js(kader, attempt_id, 1, 2, token).status_code == 200
    saved_at = stored(first.id).answered_at
    with statements(app) as seen:
        response = post_form(kader, attempt_id, 1, 2, "next", token)  # "Simpan dan lanjut"
    assert response.location.endswith(f"/kuis/percobaan/{attempt_id}/soal/2")
    assert writes(seen) == [] and len(seen) <= 2, seen
    assert stored(first.id).answered_at == saved_at
    # "Sebelumnya" on question 2 after its background save: no write either
    assert answer_js(kader, attempt_id, 2, 0, token).status_code == 200
    with statements(app) as seen:
        response = post_form(kader, attempt_id, 2, 0, "prev", token)
    assert response.location.endswith(f"/kuis/percobaan/{attempt_id}/soal/1")
    assert writes(seen) == []
    assert stored(second.id).chosen == second.option_order[0]
    # a retried background save (the phone re-sends what it queued) writes nothing and says saved
    second_saved_at = stored(second.id).answered_at
    with statements(app) as seen:
        assert answer_js(kader, attempt_id, 2, 0, token).json == {"saved": True}
    assert writes(seen) == []
    assert stored(second.id).answered_at == second_saved_at


def test_without_javascript_the_form_is_the_save(kader, app):
    attempt_id, _ = begin(kader)
    row = attempt_rows(attempt_id)[-1]
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/{row.position}")
    assert answer_js(kader, attempt_id, row.position, 0, token).status_code == 200
    with statements(app) as seen:  # the kader changes the answer, no background save ran
        response = post_form(kader, attempt_id, row.position, 3, "summary", token)
    assert response.location.endswith(f"/kuis/percobaan/{attempt_id}/ringkasan")
    assert len(writes(seen)) == 1
    assert stored(row.id).chosen == row.option_order[3]


def test_form_post_to_an_answered_question_of_a_submitted_quiz_shows_the_result(kader, app):
    attempt_id, _ = begin(kader)
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    answer_js(kader, attempt_id, 1, 1, token)
    kader.post(f"/kuis/percobaan/{attempt_id}/kirim", data={"csrf_token": token})
    response = post_form(kader, attempt_id, 1, 1, "next", token)  # same answer, quiz already sent
    assert response.location.endswith(f"/kuis/percobaan/{attempt_id}/hasil")
    assert "sudah dikirim" in kader.get(response.location).get_data(as_text=True)


def test_unknown_attempt_is_404_even_with_bad_input(kader, app):
    attempt_id, _ = begin(kader)
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    assert answer_js(kader, attempt_id + 1000, "x", "y", token).status_code == 404
    assert answer_js(kader, attempt_id, "x", "0", token).status_code == 400
    assert post_form(kader, attempt_id, 11, 0, "next", token).status_code == 404


def test_a_save_waits_for_a_submit_in_progress_and_then_refuses(kader, app):
    """The one lookup statement locks the attempt: a save arriving while the quiz is being
    submitted waits, then finds it sent (409) and writes nothing."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time; the race needs PostgreSQL")
    attempt_id, _ = begin(kader)
    row = attempt_rows(attempt_id)[0]
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    db.session.commit()
    # the submit in progress: the attempt row locked in another transaction
    db.session.execute(select(QuizAttempt.id).where(QuizAttempt.id == attempt_id).with_for_update())
    responses = []
    saving = threading.Thread(target=lambda: responses.append(answer_js(kader, attempt_id, 1, 2, token)))
    saving.start()
    waiting = 0
    for _ in range(500):  # until the save is seen waiting for the lock
        waiting = db.session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        )
        if waiting:
            break
        saving.join(0.02)
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .values(submitted_at=utcnow(), finish_reason="submitted", correct=0, passed=False)
    )
    db.session.commit()
    saving.join(30)
    assert waiting == 1
    assert responses[0].status_code == 409 and responses[0].json["code"] == "already_submitted"
    assert stored(row.id).chosen is None


@pytest.mark.parametrize(
    "position, option, code",
    [(1, 7, "option_invalid"), (11, 0, "item_not_in_attempt")],
)
def test_a_refused_save_writes_nothing(kader, app, position, option, code):
    """Both save paths (one statement on PostgreSQL) refuse alike and leave the item alone."""
    attempt_id, _ = begin(kader)
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    response = answer_js(kader, attempt_id, position, option, token)
    assert response.status_code == 400 and response.json["code"] == code
    db.session.expire_all()
    assert all(row.chosen is None for row in attempt_rows(attempt_id))


def test_an_answer_after_the_deadline_is_refused_and_not_stored(kader, app):
    attempt_id, _ = begin(kader)
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .values(deadline=utcnow() - timedelta(seconds=5))
    )
    db.session.commit()
    response = answer_js(kader, attempt_id, 1, 0, token)
    assert response.status_code == 409 and response.json["code"] == "expired"
    db.session.expire_all()
    assert attempt_rows(attempt_id)[0].chosen is None
