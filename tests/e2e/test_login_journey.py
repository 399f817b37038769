import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_login_and_logout_on_a_phone(phone, world):
    page = phone
    page.goto("/")
    assert page.url.endswith("/login?next=/") or "/login" in page.url
    page.get_by_label("Nama pengguna").fill("dinkes.brebes")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Dinas Kesehatan Kabupaten Brebes"
    # nothing wider than the phone screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/login")
    expect(page.get_by_text("Anda sudah keluar.")).to_be_visible()


def test_wrong_password_message_on_a_phone(phone, world):
    page = phone
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill("dinkes.brebes")
    page.get_by_label("Kata sandi").fill("bukan-ini-sandinya")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("alert").inner_text() == "Nama pengguna atau kata sandi salah."


def test_keyboard_only_sign_in_and_skip_link(phone, world):
    """No mouse: the first Tab reaches the skip link, then the form is filled and sent by keys."""
    page = phone
    page.goto("/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Langsung ke isi"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # shown when focused
    for _ in range(20):  # walk to the user name field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "username":
            break
    else:
        pytest.fail("the user name field cannot be reached with Tab")
    page.keyboard.type("dinkes.brebes")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "password"
    page.keyboard.type("rahasia-uji-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Dinas Kesehatan Kabupaten Brebes"
    outline = page.evaluate(
        "(() => { const a = document.querySelector('main a'); a.focus();"
        " return getComputedStyle(a).outlineStyle; })()"
    )
    assert outline != "none"  # a visible focus ring
