from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_dinkes_finds_a_kader_moves_them_and_sees_history(phone, world):
    page = phone
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("dinkes.brebes")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("navigation").get_by_role("link", name="Kader", exact=True).click()
    page.get_by_label("Cari nama, NIK, Posyandu atau desa").fill("Siti")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Siti Aminah").click()
    page.get_by_label("Posyandu", exact=True).select_option(label="Posyandu Mawar 2 (PSY-B2)")
    page.get_by_label("Peran").select_option(label="Sekretaris")
    page.get_by_label("Tanggal", exact=True).fill(date.today().isoformat())
    page.get_by_label("Alasan (untuk pindah atau keluar)").fill("Pindah rumah")
    page.get_by_role("button", name="Simpan keanggotaan").click()
    expect(page.get_by_text("Keanggotaan Posyandu disimpan.")).to_be_visible()
    history = page.locator("section", has=page.get_by_role("heading", name="Riwayat keanggotaan Posyandu"))
    assert "Posyandu Mawar 2" in history.inner_text() and "Pindah rumah" in history.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
