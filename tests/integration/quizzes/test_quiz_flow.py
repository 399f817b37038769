"""Quiz journey: start, autosave, resume, idempotent submit, time limit, limits, bad input."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.models import utcnow
from app.curriculum.models import Item, ItemRevision, Skill
from app.extensions import db
from app.quizzes.models import QuizAttempt, QuizAttemptItem
from tests.conftest import csrf_token, login
from tests.curriculum_tree import edit_yaml
from tests.factories import add_kader, answer_js, attempt_rows, begin


@pytest.fixture
def kader(client, world, synced, app):
    app.config["QUIZ_COOLDOWN_MINUTES"] = 0
    login(client, "kader.siti")
    return client


def right_display(row):
    rev = db.session.get(ItemRevision, row.item_revision_id)
    return row.option_order.index(rev.correct_index)


def submit(client, attempt_id):
    token = csrf_token(client, "/belajar/")
    return client.post(f"/kuis/percobaan/{attempt_id}/kirim", data={"csrf_token": token})


def test_start_draws_items_with_shuffled_options_and_stores_revisions(kader, world):
    attempt_id, _ = begin(kader)
    attempt = db.session.get(QuizAttempt, attempt_id)
    rows = attempt_rows(attempt_id)
    assert attempt.total == 10 and len(rows) == 10 and attempt.pass_mark == 80
    assert len({r.item_revision_id for r in rows}) == 10
    assert all(sorted(r.option_order) == [0, 1, 2, 3] for r in rows)
    assert attempt.is_pretest is False  # the kader opened the material before starting (begin reads the page)


def test_first_attempt_before_material_is_a_pretest(kader, world):
    token = csrf_token(kader, "/belajar/")
    response = kader.post("/kuis/K02/mulai", data={"csrf_token": token})
    attempt = db.session.scalar(select(QuizAttempt))
    assert response.status_code == 302 and attempt.is_pretest is True


def test_answers_are_saved_at_once_and_the_quiz_resumes(kader, world, app):
    attempt_id, _ = begin(kader)
    rows = attempt_rows(attempt_id)
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    for row in rows[:3]:
        assert answer_js(kader, attempt_id, row.position, right_display(row), token).json == {"saved": True}
    # the phone slept, the browser was closed: a new session resumes at the first open question
    other = app.test_client()
    login(other, "kader.siti")
    response = other.get(f"/kuis/percobaan/{attempt_id}")
    assert response.location.endswith(f"/kuis/percobaan/{attempt_id}/soal/4")
    page = other.get(f"/kuis/percobaan/{attempt_id}/soal/2").get_data(as_text=True)
    assert "checked" in page and "Jawaban tersimpan" in page
    again, _ = begin(other)
    assert again == attempt_id  # starting again resumes instead of opening a second attempt


def test_no_javascript_form_post_saves_and_moves_on(kader, world):
    attempt_id, _ = begin(kader)
    row = attempt_rows(attempt_id)[0]
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    response = kader.post(
        f"/kuis/percobaan/{attempt_id}/soal/1", data={"csrf_token": token, "option": "2", "go": "next"}
    )
    assert response.location.endswith("/soal/2")
    db.session.expire_all()
    assert db.session.get(QuizAttemptItem, row.id).chosen == row.option_order[2]


def test_submit_scores_shows_explanations_and_is_idempotent(kader, world):
    attempt_id, _ = begin(kader)
    rows = attempt_rows(attempt_id)
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    for row in rows[:8]:
        answer_js(kader, attempt_id, row.position, right_display(row), token)
    for row in rows[8:]:
        answer_js(kader, attempt_id, row.position, (right_display(row) + 1) % 4, token)
    first = submit(kader, attempt_id)
    second = submit(kader, attempt_id)  # a double tap
    assert first.location == second.location
    attempt = db.session.get(QuizAttempt, attempt_id)
    db.session.refresh(attempt)
    assert (attempt.correct, attempt.passed, attempt.finish_reason) == (8, True, "submitted")
    page = kader.get(first.location).get_data(as_text=True)
    assert "80%" in page and "Lulus" in page and "jawaban benar" in page
    assert "Penjelasan soal" in page  # explanations from the item bank
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_concurrent_submits_give_one_result(kader, world, app, database_url):
    attempt_id, _ = begin(kader)
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/ringkasan")
    statuses = []

    def tap():
        statuses.append(
            kader.post(f"/kuis/percobaan/{attempt_id}/kirim", data={"csrf_token": token}).status_code
        )

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 4
    attempt = db.session.get(QuizAttempt, attempt_id)
    db.session.refresh(attempt)
    assert attempt.submitted_at is not None and attempt.correct == 0


def test_answers_after_submission_change_nothing(kader, world):
    attempt_id, _ = begin(kader)
    row = attempt_rows(attempt_id)[0]
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    answer_js(kader, attempt_id, 1, 0, token)
    submit(kader, attempt_id)
    db.session.expire_all()
    before = db.session.get(QuizAttemptItem, row.id).chosen
    assert before is not None
    response = answer_js(kader, attempt_id, 1, 3, token)
    assert response.status_code == 409 and "sudah dikirim" in response.json["error"]
    db.session.expire_all()
    assert db.session.get(QuizAttemptItem, row.id).chosen == before


def test_item_not_in_attempt_and_forged_option_are_refused(kader, world):
    attempt_id, _ = begin(kader)
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    assert answer_js(kader, attempt_id, 11, 0, token).status_code == 400  # only 10 items
    assert answer_js(kader, attempt_id, 1, 4, token).status_code == 400  # four options: 0-3
    forged = kader.post(
        f"/kuis/percobaan/{attempt_id}/jawab", data={"csrf_token": token, "position": "1", "option": "-1"}
    )
    assert forged.status_code == 400
    assert (
        db.session.scalar(
            select(func.count()).select_from(QuizAttemptItem).where(QuizAttemptItem.chosen.is_not(None))
        )
        == 0
    )


def test_another_kaders_attempt_is_404(kader, world, app):
    attempt_id, _ = begin(kader)
    other_kader = add_kader("3329045203850050", "Dewi Lestari", world.posyandu_brebes)
    from app.auth.services import create_user

    create_user(
        username="kader.dewi",
        password="rahasia-uji-123",
        full_name="Dewi",
        role="kader",
        kader_id=other_kader.id,
    )
    db.session.commit()
    other = app.test_client()
    login(other, "kader.dewi")
    token = csrf_token(other, "/")
    assert other.get(f"/kuis/percobaan/{attempt_id}/soal/1").status_code == 404
    assert answer_js(other, attempt_id, 1, 0, token).status_code == 404
    assert other.post(f"/kuis/percobaan/{attempt_id}/kirim", data={"csrf_token": token}).status_code == 404
    assert other.get(f"/kuis/percobaan/{attempt_id}/hasil").status_code == 404
    assert db.session.get(QuizAttempt, attempt_id).submitted_at is None


def test_time_limit_finishes_with_saved_answers(kader, world):
    skill = db.session.scalar(select(Skill).where(Skill.code == "K03"))
    skill.time_limit_minutes = 5
    db.session.commit()
    attempt_id, _ = begin(kader, "K03")
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    row = attempt_rows(attempt_id)[0]
    answer_js(kader, attempt_id, 1, right_display(row), token)
    attempt = db.session.get(QuizAttempt, attempt_id)
    attempt.deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    late = answer_js(kader, attempt_id, 2, 0, token)
    assert late.status_code == 409 and "Waktu kuis sudah habis" in late.json["error"]
    assert attempt_rows(attempt_id)[1].chosen is None  # the late answer is not stored
    # The next page the kader sees closes the attempt and scores the answers saved in time.
    assert kader.get(f"/kuis/percobaan/{attempt_id}").location.endswith("/hasil")
    db.session.refresh(attempt)
    assert attempt.finish_reason == "expired" and attempt.correct == 1


def test_daily_limit_and_cooldown(kader, world, app):
    app.config["QUIZ_MAX_ATTEMPTS_PER_DAY"] = 2
    for _ in range(2):
        attempt_id, _ = begin(kader)
        submit(kader, attempt_id)
    attempt_id, response = begin(kader)
    assert attempt_id is None
    assert "Batas 2 kali kuis per hari" in kader.get(response.location).get_data(as_text=True)
    app.config["QUIZ_MAX_ATTEMPTS_PER_DAY"] = 10
    app.config["QUIZ_COOLDOWN_MINUTES"] = 30
    attempt_id, response = begin(kader)
    assert attempt_id is None and "Istirahat dulu" in kader.get(response.location).get_data(as_text=True)


def test_old_attempt_keeps_its_text_after_an_item_is_edited(kader, world, mini_tree, app):
    from tests.conftest import run_cli

    attempt_id, _ = begin(kader)
    submit(kader, attempt_id)
    row = attempt_rows(attempt_id)[0]
    old_question = db.session.get(ItemRevision, row.item_revision_id).question
    key = db.session.scalar(
        select(Item.key)
        .join(ItemRevision, ItemRevision.item_id == Item.id)
        .where(ItemRevision.id == row.item_revision_id)
    )
    index = int(key.split("Q")[1]) - 1
    edit_yaml(
        mini_tree / "skills/K01-contoh/items.yaml",
        lambda d: d["items"][index].update(question="Teks soal yang sudah diperbaiki?"),
    )
    assert run_cli(app, "curriculum", "sync", str(mini_tree)).exit_code == 0
    page = kader.get(f"/kuis/percobaan/{attempt_id}/hasil").get_data(as_text=True)
    assert old_question in page and "Teks soal yang sudah diperbaiki?" not in page


def test_quiz_page_within_budget_and_history(kader, world):
    attempt_id, _ = begin(kader)
    html = kader.get(f"/kuis/percobaan/{attempt_id}/soal/1").get_data()
    css = kader.get("/static/css/app.css").get_data()
    js = kader.get("/static/js/quiz.js").get_data()
    assert len(html) + len(css) + len(js) <= 60 * 1024
    submit(kader, attempt_id)
    history = kader.get("/kuis/K01/riwayat").get_data(as_text=True)
    assert "Belum lulus" in history


def test_staff_statistics_in_scope(kader, world, app):
    attempt_id, _ = begin(kader)
    token = csrf_token(kader, f"/kuis/percobaan/{attempt_id}/soal/1")
    for row in attempt_rows(attempt_id):
        answer_js(kader, attempt_id, row.position, right_display(row), token)
    submit(kader, attempt_id)
    dinkes = app.test_client()
    login(dinkes, "dinkes.brebes")
    page = dinkes.get("/kuis/statistik/K01").get_data(as_text=True)
    assert "<strong>1</strong> kuis dikirim" in page and "terlalu mudah" in page
    aceh = app.test_client()
    login(aceh, "dinkes.acehselatan")
    assert "<strong>0</strong> kuis dikirim" in aceh.get("/kuis/statistik/K01").get_data(as_text=True)
    assert kader.get("/kuis/statistik/K01").status_code == 403


def test_daily_limit_counts_the_kaders_local_day(world, synced):
    """Brebes is on WIB: 23:30 and 00:30 local are two days, though one UTC day."""
    from datetime import UTC, datetime

    from app.quizzes.services import Refusal, finish, start

    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    kader_id = world.kader_brebes.id
    late_evening = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 23:30 WIB
    first = start(kader_id, skill, late_evening, max_per_day=1, cooldown_minutes=0)
    finish(first, late_evening + timedelta(minutes=5), "submitted")
    db.session.commit()
    refused = start(kader_id, skill, late_evening + timedelta(minutes=20), max_per_day=1, cooldown_minutes=0)
    assert refused == Refusal("daily_limit", {"limit": 1})  # 23:50 WIB, same local day
    db.session.rollback()
    after_midnight = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # 00:30 WIB on 2 March
    second = start(kader_id, skill, after_midnight, max_per_day=1, cooldown_minutes=0)
    assert second.id != first.id
