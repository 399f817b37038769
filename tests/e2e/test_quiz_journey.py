import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.quizzes.models import QuizAttempt, QuizAttemptItem

pytestmark = pytest.mark.e2e


def test_kader_answers_reloads_submits_and_sees_explanations(phone, world, synced, app):
    app.config["QUIZ_COOLDOWN_MINUTES"] = 0
    page = phone
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("kader.siti")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.goto("/belajar/K03")
    page.get_by_role("button", name="Mulai atau lanjutkan kuis").click()
    page.wait_for_url("**/soal/1")
    # answer the first three by tapping: each tap is saved in the background
    for n in (1, 2, 3):
        with page.expect_response(lambda r: r.url.endswith("/jawab") and r.status == 200):
            page.locator("label.answer").first.click()
        expect(page.get_by_text("Jawaban tersimpan")).to_be_visible()
        page.get_by_role("button", name="Simpan dan lanjut ›").click()
        page.wait_for_url(f"**/soal/{n + 1}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.reload()  # mid-quiz reload: nothing lost
    page.goto(page.url.replace("/soal/4", "/soal/2"))
    assert page.locator("input[name=option]:checked").count() == 1
    attempt = db.session.scalar(select(QuizAttempt))
    answered = db.session.scalars(
        select(QuizAttemptItem).where(
            QuizAttemptItem.attempt_id == attempt.id, QuizAttemptItem.chosen.is_not(None)
        )
    ).all()
    assert len(answered) == 3
    page.goto(f"/kuis/percobaan/{attempt.id}/ringkasan")
    expect(page.get_by_text("3 dari 10 soal sudah dijawab.")).to_be_visible()
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/hasil")
    expect(page.get_by_role("heading", name="Hasil kuis")).to_be_visible()
    assert page.locator(".explain").count() == 10
    assert page.get_by_text("jawaban benar").count() >= 10
