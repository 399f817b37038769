import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.curriculum.models import Skill
from app.extensions import db
from app.practicals.models import PracticalResult, StepResult
from tests.factories import add_kader

pytestmark = pytest.mark.e2e


def test_fasilitator_ticks_checklists_for_two_kader_on_a_phone(phone, world, synced):
    second = add_kader("3329045203850030", "Dewi Lestari", world.posyandu_brebes)
    db.session.commit()
    page = phone
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("fasilitator.paguyangan")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.goto("/praktik/baru")
    page.get_by_label("Posyandu").select_option(label="Posyandu Melati 1 (Cilibur)")
    page.get_by_label("K03 Keterampilan K03").check()
    page.get_by_role("button", name="Lanjut: pilih kader yang hadir").click()
    page.get_by_label("Siti Aminah").check()
    page.get_by_label("Dewi Lestari").check()
    page.get_by_role("button", name="Simpan peserta").click()
    for name in ("Siti Aminah", "Dewi Lestari"):
        page.locator("section", has=page.get_by_role("heading", name=name)).get_by_role("link").click()
        steps = page.locator("li.step")
        assert steps.count() == 6
        decision = page.get_by_label("Keputusan")
        with page.expect_response(lambda r: r.url.endswith("/langkah") and r.status == 200):
            steps.nth(1).get_by_label("Tidak").check()  # the critical step missed at first
        expect(decision).to_have_value("belum_kompeten")  # the decision follows the suggestion
        for i in range(6):
            # the background save: each tick is stored before the next one
            with page.expect_response(lambda r: r.url.endswith("/langkah") and r.status == 200):
                steps.nth(i).get_by_label("Dilakukan").check()
        expect(decision).to_have_value("kompeten")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_role("button", name="Konfirmasi hasil").click()
        expect(page.get_by_text(f"Hasil K03 untuk {name} sudah dicatat.")).to_be_visible()
    skill = db.session.scalar(select(Skill).where(Skill.code == "K03"))
    results = db.session.scalars(select(PracticalResult).where(PracticalResult.skill_id == skill.id)).all()
    assert sorted(r.kader_id for r in results) == sorted([world.kader_brebes.id, second.id])
    assert all(r.result == "kompeten" for r in results)
    assert db.session.scalar(select(func.count()).select_from(StepResult)) == 12
