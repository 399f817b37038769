"""Every page of every role, on a 360 px phone, in Indonesian and English: nothing scrolls
sideways, no tick box is squeezed below a thumb's size, no page weighs over 60 KB with its
CSS, scripts and pictures, nothing loads from another host (the `phone` fixture refuses it),
and English pages show the curriculum's English titles. One crawl per role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.curriculum.models import Area, Skill
from app.extensions import db
from tests.integration.test_authorization_matrix import ROUTES, USERS, objects  # noqa: F401 - fixture

PHONE = 360
BUDGET = 60 * 1024
SKIP_SUFFIXES = (".pdf", ".json", ".csv", ".xlsx", ".svg")
# Uncompressed bytes of the page and everything it loaded (cached files count too).
WEIGHT = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .reduce((sum, e) => sum + (e.decodedBodySize || 0), 0)"""
# Tick boxes and option circles a long label squeezed below a thumb's reach (the CSS says 1.4rem).
SQUEEZED = """() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
  .filter(i => i.offsetParent !== null && i.getBoundingClientRect().width < 20).map(i => i.name || i.id)"""


def _pages_for(role: str, found: dict) -> list[str]:
    pages = []
    for _endpoint, route in sorted(ROUTES.items()):
        expected = route.expect[role]
        allowed = expected if isinstance(expected, frozenset) else {expected}
        if route.method == "GET" and 200 in allowed:
            path = route.path(found)
            if not path.split("?")[0].endswith(SKIP_SUFFIXES) and "format=" not in path:
                pages.append(path)
    return pages


def _sign_in(page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", "rahasia-uji-123")
    page.click("button[type=submit]")


@pytest.mark.parametrize("role", ["kader", "fasil", "dinkes", "admin", "anon"])
def test_every_page_fits_a_phone_in_both_languages(phone, objects, role):  # noqa: F811 - fixture
    indonesian_only = {s.title_id for s in db.session.scalars(select(Skill)) if s.title_id != s.title_en} | {
        a.title_id for a in db.session.scalars(select(Area)) if a.title_id != a.title_en
    }
    if role != "anon":
        _sign_in(phone, USERS[role])
    pages = _pages_for(role, objects) if role != "anon" else ["/login", f"/v/{objects['code']}"]
    assert pages
    too_wide, too_heavy, untranslated, squeezed = [], [], [], []
    for lang in ("id", "en"):
        phone.goto(pages[0])
        phone.click(f"footer button[name=lang][value={lang}]")  # the switch a user taps
        assert phone.get_attribute("html", "lang") == lang
        for path in pages:
            phone.goto(path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > PHONE:
                too_wide.append((lang, path, width))
            squeezed += [(lang, path, name) for name in phone.evaluate(SQUEEZED)]
            weight = phone.evaluate(WEIGHT)
            if weight > BUDGET:
                too_heavy.append((lang, path, weight))
            if lang == "en":
                text = phone.inner_text("body")
                untranslated += [(path, t) for t in indonesian_only if t in text]
    assert too_wide == [], too_wide
    assert too_heavy == [], too_heavy
    assert squeezed == [], squeezed
    assert untranslated == [], untranslated
