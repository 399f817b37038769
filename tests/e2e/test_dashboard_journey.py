"""A dinkes officer opens the dashboard, drills down to a Posyandu and downloads an export."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import grant

pytestmark = pytest.mark.e2e


def test_dinkes_drills_down_to_a_posyandu_and_downloads_a_table(phone, world, synced):
    grant(world.kader_brebes, "K01", "K02")  # Purwa in the mini curriculum
    page = phone
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("dinkes.brebes")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Laporan").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("Kabupaten Brebes")
    expect(page.get_by_role("img", name="Kader aktif per tingkat kecakapan")).to_be_visible()
    levels = page.locator("#table-tingkat")
    # 2 active kader: 1 below Purwa, 1 Purwa
    assert levels.locator("tfoot").inner_text().split()[:4] == ["Jumlah", "2", "1", "1"]

    levels.get_by_role("link", name="Paguyangan").click()
    page.locator("#table-tingkat").get_by_role("link", name="Cilibur").click()
    assert page.get_by_role("navigation", name="Jejak wilayah").inner_text().startswith("Kabupaten Brebes")
    page.locator("#table-tingkat").get_by_role("link", name="Posyandu Melati 1").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Matriks kecakapan"
    assert "Posyandu Melati 1" in page.content() and "Siti Aminah" in page.content()

    page.go_back()
    with page.expect_download() as download_info:
        page.locator("section", has=page.locator("#table-tingkat")).get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "tingkat-33-29-04-2001.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Posyandu,Kader aktif,Belum Purwa,Purwa")
    assert "Posyandu Melati 1,1,0,1,0,0" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
