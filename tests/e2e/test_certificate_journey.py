import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from app.certificates.models import Certificate
from app.extensions import db
from tests.factories import grant

pytestmark = pytest.mark.e2e


@pytest.fixture
def ready(world, synced, signatory):
    grant(world.kader_brebes, "K01", "K02")


def test_dinkes_issues_downloads_verifies_and_revokes(phone, world, ready, tmp_path, live_server):
    page = phone
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("dinkes.brebes")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Sertifikat").first.click()
    page.get_by_role("link", name="Kader siap menerima sertifikat").click()
    page.get_by_role("button", name="Terbitkan sertifikat untuk kader terpilih").click()
    expect(page.get_by_text("1 sertifikat diterbitkan.")).to_be_visible()
    cert = db.session.scalar(select(Certificate))
    page.goto(f"/sertifikat/{cert.id}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh PDF").click()
    path = tmp_path / "sertifikat.pdf"
    download.value.save_as(path)
    assert "Siti Aminah" in PdfReader(str(path)).pages[0].extract_text()
    page.get_by_role("link", name="Halaman verifikasi").click()
    assert page.get_by_role("status").inner_text().startswith("SAH")
    page.goto(f"/sertifikat/{cert.id}")
    page.get_by_label("Alasan pencabutan").fill("Kader mengundurkan diri dan data ganda")
    page.get_by_role("button", name="Cabut sertifikat").click()
    page.goto(f"/v/{cert.verification_code}")
    assert page.get_by_role("status").inner_text().startswith("DICABUT")
