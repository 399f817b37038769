import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.rosters.models import Kader
from tests.integration.rosters.roster_files import csv_bytes, kader_rows

pytestmark = pytest.mark.e2e


def test_dinkes_uploads_previews_and_commits(phone, world, tmp_path):
    rows = kader_rows(8)
    rows[0][2] = "L"  # a NIK/sex mismatch: a warning, still importable
    path = tmp_path / "roster-posyandu.csv"
    path.write_bytes(csv_bytes(rows, delimiter=";"))
    page = phone
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("dinkes.brebes")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.goto("/kader/impor/")
    page.get_by_label("Berkas roster (CSV atau XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_role("heading", name="Impor: roster-posyandu.csv")).to_be_visible()
    expect(page.get_by_text("Jenis kelamin tidak sesuai dengan NIK.")).to_be_visible()
    assert db.session.scalar(select(func.count()).select_from(Kader)) == 3
    page.get_by_role("button", name="Impor sekarang").click()
    expect(page.get_by_text("Impor selesai: 8 kader baru, 0 diperbarui, 0 tidak berubah.")).to_be_visible()
    assert db.session.scalar(select(func.count()).select_from(Kader)) == 11
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
