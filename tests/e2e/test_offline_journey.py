"""Offline on a phone: material, a whole quiz and a checklist session with no signal, synced
later without loss; a new app version replaces what the phone stored."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.curriculum.loader import load_curriculum
from app.curriculum.models import CurriculumVersion, MaterialView, Skill
from app.curriculum.sync import sync_curriculum
from app.extensions import db
from tests.curriculum_tree import REAL_TREE

pytestmark = pytest.mark.e2e


def sign_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")


def worker_ready(page) -> None:
    """The service worker controls the page (it claims pages as soon as it is active)."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def wait_until(page, script: str, arg=None, tries: int = 150) -> None:
    """Poll a (possibly asynchronous) check in the page until it holds; the Cache API is async,
    which wait_for_function does not await."""
    for _ in range(tries):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"never true: {script}")


def cache_names(page) -> list[str]:
    return sorted(page.evaluate("caches.keys()"))


@pytest.fixture
def signal(phone):
    """Switch the phone's signal on or off. Chromium's offline mode alone now and then let a
    request from a page under a service worker reach the server (with its answer lost, a case
    the queue handles); refusing every request in the router as well makes "no signal" exact."""
    state = {"off": False}

    def router(route):
        if state["off"]:
            route.abort("internetdisconnected")
        else:
            route.fallback()

    phone.context.route("**/*", router)

    def switch(on: bool) -> None:
        state["off"] = not on
        phone.context.set_offline(not on)

    return switch


@pytest.fixture
def real_curriculum(app):
    sync_curriculum(load_curriculum(REAL_TREE))
    db.session.commit()


def test_material_opens_without_signal_after_one_visit_and_all_skills_can_be_stored(
    phone, world, real_curriculum, signal
):
    page = phone
    sign_in(page, "kader.siti")
    page.goto("/belajar/")
    worker_ready(page)
    page.goto("/belajar/K18")  # material with pictures
    expect(page.locator("article.material img").first).to_be_attached()
    # the page asks the worker to keep its pictures, even those below the fold
    wait_until(
        page,
        """async () => { const imgs = [...document.querySelectorAll('article.material img')];
           const hits = await Promise.all(imgs.map(i => caches.match(i.getAttribute('src'))));
           return imgs.length > 0 && hits.every(Boolean); }""",
    )
    signal(False)
    page.goto("/belajar/")
    expect(page.get_by_role("heading", name="25 keterampilan dasar kader")).to_be_visible()
    page.goto("/belajar/K18")
    expect(page.get_by_role("heading", name="Materi", exact=True)).to_be_visible()
    pictures = page.locator("article.material img")
    for i in range(pictures.count()):
        pictures.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=pictures.nth(i).element_handle()
        )
    # never opened, never stored: the page for "no signal", not the browser's error
    page.goto("/belajar/K14")
    expect(page.get_by_role("heading", name="Tidak ada sinyal")).to_be_visible()

    signal(True)
    page.goto("/belajar/")
    page.get_by_role("button", name="Simpan untuk dibaca tanpa sinyal").click()
    stored = re.compile(r"Materi 25 keterampilan tersimpan di HP ini \(\d+(,\d)? (KB|MB), termasuk gambar\)")
    expect(page.locator("#offline-save")).to_contain_text(stored, timeout=30000)
    signal(False)
    page.goto("/belajar/K14")
    expect(page.get_by_role("heading", name="Materi", exact=True)).to_be_visible()
    picture = page.locator("article.material img").first
    picture.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    signal(True)
    # storing for later is not reading: only the two skills opened count as read
    kader_id = world.kader_brebes.id
    read = db.session.scalars(
        select(Skill.code)
        .join(MaterialView, MaterialView.skill_id == Skill.id)
        .where(MaterialView.kader_id == kader_id)
    ).all()
    assert sorted(read) == ["K18"]


def test_a_ten_question_quiz_is_answered_navigated_and_submitted_offline_then_synced(
    phone, world, synced, app, signal
):
    from app.quizzes.models import QuizAttempt, QuizAttemptItem

    app.config["QUIZ_COOLDOWN_MINUTES"] = 0
    page = phone
    sign_in(page, "kader.siti")
    page.goto("/belajar/K03")
    page.get_by_role("button", name="Mulai atau lanjutkan kuis").click()
    page.wait_for_url("**/soal/1")
    expect(page.get_by_text("Semua soal kuis ini tersimpan di HP")).to_be_visible(timeout=20000)
    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt.total == 10
    signal(False)
    picked: dict[int, int] = {}
    for n in range(1, 11):
        options = page.locator("label.answer")
        choice = n % options.count()
        options.nth(choice).click()
        picked[n] = choice
        expect(page.get_by_text("Belum terkirim: akan dikirim saat sinyal kembali")).to_be_visible()
        if n < 10:
            page.get_by_role("button", name="Simpan dan lanjut ›").click()
            page.wait_for_url(f"**/soal/{n + 1}")
            expect(page.get_by_text(f"Soal {n + 1} dari 10").first).to_be_visible()
    # from the skill page, "Mulai atau lanjutkan kuis" reopens the quiz with no signal
    page.goto("/belajar/K03")
    page.get_by_role("button", name="Mulai atau lanjutkan kuis").click()
    page.wait_for_url("**/soal/10")
    page.get_by_role("button", name="‹ Sebelumnya").click()
    page.wait_for_url("**/soal/9")
    expect(page.locator("input[name=option]").nth(picked[9])).to_be_checked()  # the phone's own choice
    page.get_by_role("navigation", name="Daftar soal").get_by_role(
        "link", name="3", exact=False
    ).first.click()
    page.wait_for_url("**/soal/3")
    expect(page.locator("input[name=option]").nth(picked[3])).to_be_checked()
    picked[3] = (picked[3] + 1) % page.locator("label.answer").count()  # a change of mind, offline
    page.locator("label.answer").nth(picked[3]).click()
    page.goto(f"/kuis/percobaan/{attempt.id}/soal/10")
    page.get_by_role("button", name="Simpan dan periksa").click()
    page.wait_for_url("**/ringkasan")
    expect(page.get_by_role("heading", name="Periksa jawaban")).to_be_visible()
    expect(page.get_by_text("10 dari 10 soal sudah dijawab.")).to_be_visible()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Jawaban Anda tersimpan di HP ini dan menunggu sinyal")).to_be_visible()
    expect(page.get_by_text("11 perubahan tersimpan di HP ini dan menunggu sinyal")).to_be_visible()
    # nothing reached the server, and the answer key is nowhere on the phone
    db.session.expire_all()
    assert db.session.scalar(select(QuizAttempt.submitted_at)) is None
    assert page.evaluate(f"caches.match('/kuis/percobaan/{attempt.id}/hasil').then(Boolean)") is False

    # the form tokens in the stored pages have expired meanwhile: the queue fetches a fresh one
    app.config["WTF_CSRF_TIME_LIMIT"] = 1
    page.wait_for_timeout(1100)
    signal(True)  # the signal returns: answers, then the submission
    page.wait_for_url("**/hasil", timeout=20000)
    expect(page.get_by_role("heading", name="Hasil kuis")).to_be_visible()
    assert page.locator(".explain").count() == 10
    db.session.expire_all()
    items = db.session.scalars(
        select(QuizAttemptItem)
        .where(QuizAttemptItem.attempt_id == attempt.id)
        .order_by(QuizAttemptItem.position)
    ).all()
    assert {i.position: i.option_order.index(i.chosen) for i in items if i.chosen is not None} == picked
    assert db.session.get(QuizAttempt, attempt.id).submitted_at is not None
    assert page.evaluate("JSON.parse(localStorage.getItem('kc-queue') || '[]').length") == 0


def test_a_checklist_session_is_ticked_offline_and_synced_with_a_conflict_shown(
    phone, world, synced, browser, live_server, signal
):
    from app.practicals.models import PracticalResult, ReplayKey, StepResult

    page = phone
    sign_in(page, "fasilitator.paguyangan")
    page.goto("/praktik/baru")
    page.get_by_label("Posyandu").select_option(label="Posyandu Melati 1 (Cilibur)")
    page.get_by_label("K03 Keterampilan K03").check()
    page.get_by_role("button", name="Lanjut: pilih kader yang hadir").click()
    page.get_by_label("Siti Aminah").check()
    page.get_by_role("button", name="Simpan peserta").click()
    expect(page.get_by_text("Daftar tilik semua kader di sesi ini tersimpan di HP")).to_be_visible(
        timeout=20000
    )
    session_url = page.url
    signal(False)
    page.get_by_role("link", name="K03").click()
    steps = page.locator("li.step")
    expect(steps).to_have_count(6)
    steps.nth(2).get_by_label("Tidak").check()
    for i in range(6):
        steps.nth(i).get_by_label("Dilakukan").check()
    expect(page.get_by_text("Belum terkirim: akan dicoba lagi saat sinyal kembali")).to_be_visible()
    page.get_by_label("Keputusan").select_option("kompeten")
    page.get_by_role("button", name="Konfirmasi hasil").click()
    expect(page.get_by_text("Disimpan di HP ini; akan dikirim saat sinyal kembali.")).to_be_visible()
    expect(page.get_by_text("8 perubahan tersimpan di HP ini dan menunggu sinyal")).to_be_visible()
    observe_url = page.url
    page.goto(session_url)  # the session page opens from the phone, and back to the checklist
    page.goto(observe_url)
    expect(steps.nth(2).get_by_label("Dilakukan")).to_be_checked()
    db.session.expire_all()
    # Nothing was confirmed. (Chromium's emulated offline mode now and then still delivers the
    # first tick of a page under a service worker and drops only its answer: the queue keeps it
    # and its key makes the resend a no-op, which the counts below check.)
    assert db.session.scalar(select(func.count()).select_from(StepResult)) <= 1
    assert (
        db.session.scalar(
            select(func.count()).select_from(PracticalResult).where(PracticalResult.result.is_not(None))
        )
        == 0
    )

    # meanwhile a second device (signal) marks the first step as not done
    other = browser.new_context(base_url=live_server)
    desk = other.new_page()
    sign_in(desk, "fasilitator.paguyangan")
    desk.goto(observe_url)
    with desk.expect_response(lambda r: r.url.endswith("/langkah") and r.status == 200):
        desk.locator("li.step").nth(0).get_by_label("Tidak").check()
    other.close()

    signal(True)
    conflict = page.get_by_text("Hasil ini sudah diubah di perangkat lain").first
    expect(conflict).to_be_visible(timeout=20000)
    expect(page.get_by_text("menunggu sinyal")).to_have_count(0)
    # the server kept the other device's value; every other tick arrived once
    expect(steps.nth(0).get_by_label("Tidak")).to_be_checked()
    db.session.expire_all()
    ticks = {t.step.position: t.done for t in db.session.scalars(select(StepResult))}
    assert ticks == {1: False, 2: True, 3: True, 4: True, 5: True, 6: True}
    result = db.session.scalar(select(PracticalResult))
    assert result.result is None  # the decision was not applied over the conflict
    # 7 ticks from the phone, one refused; one from the other device
    assert db.session.scalar(select(func.count()).select_from(ReplayKey)) == 7

    # the fasilitator sees it, puts it right with signal, and confirms
    page.reload()
    with page.expect_response(lambda r: r.url.endswith("/langkah") and r.status == 200):
        steps.nth(0).get_by_label("Dilakukan").check()
    page.get_by_label("Keputusan").select_option("kompeten")
    page.get_by_role("button", name="Konfirmasi hasil").click()
    expect(page.get_by_text("Hasil K03 untuk Siti Aminah sudah dicatat.")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(select(PracticalResult.result)) == "kompeten"
    assert db.session.scalar(select(func.count()).select_from(StepResult)) == 6


def test_a_new_app_version_replaces_what_the_phone_stored(phone, world, synced, signal):
    page = phone
    sign_in(page, "kader.siti")
    page.goto("/belajar/")
    worker_ready(page)
    page.goto("/belajar/K02")
    page.goto("/belajar/K01")
    wait_until(
        page,
        "Promise.all(['/belajar/K01', '/belajar/K02'].map(u => caches.match(u))).then(h => h.every(Boolean))",
    )
    old = cache_names(page)
    assert any(n.startswith("kc-pages-") for n in old)
    version = db.session.scalar(select(CurriculumVersion).where(CurriculumVersion.active))
    version.content_hash = "f" * 64  # a new curriculum synced on the server
    db.session.commit()
    page.reload()
    wait_until(
        page,
        "old => caches.keys().then(k => k.some(n => n.startsWith('kc-static-'))"
        " && k.every(n => !old.includes(n)))",
        old,
    )
    assert page.evaluate("caches.match('/belajar/K02').then(Boolean)") is False  # old material gone
    page.goto("/belajar/K02")  # stored again under the new version
    wait_until(page, "caches.match('/belajar/K02').then(Boolean)")
    signal(False)
    page.reload()
    expect(page.get_by_role("heading", name="Materi", exact=True)).to_be_visible()
