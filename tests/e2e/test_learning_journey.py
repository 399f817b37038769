import pytest
from playwright.sync_api import expect

from app.curriculum.loader import load_curriculum
from app.curriculum.sync import sync_curriculum
from app.extensions import db
from tests.curriculum_tree import REAL_TREE

pytestmark = pytest.mark.e2e


@pytest.fixture
def real_curriculum(app):
    sync_curriculum(load_curriculum(REAL_TREE))
    db.session.commit()


def test_kader_reads_a_skill_on_a_phone(phone, world, real_curriculum):
    page = phone
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("kader.siti")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("navigation").get_by_role("link", name="Belajar", exact=True).click()
    expect(page.get_by_role("heading", name="Bayi dan Balita (BB)")).to_be_visible()
    page.get_by_role("link", name="K05").click()
    expect(page.get_by_role("heading", name="Yang akan diamati fasilitator")).to_be_visible()
    assert page.locator("article.material h2").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.go_back()
    page.reload()
    k05 = page.locator("li", has=page.get_by_role("link", name="K05"))
    assert "Materi sudah dibaca" in k05.inner_text()
