"""Every HTML page: language attribute, a label for every field, within the 60 KB budget (HTML +
stylesheet + scripts, and for the page that registers the offline service worker: the worker,
the manifest and the files the worker stores when it installs), and nothing loaded from outside
the server."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tests.conftest import login
from tests.integration.test_authorization_matrix import ROUTES, USERS, objects  # noqa: F401 - fixture

BUDGET = 60 * 1024


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.fields: list[dict] = []
        self.label_for: set[str] = set()
        self.assets: list[str] = []
        self.open_labels = 0
        self.wrapped: list[dict] = []
        self.offline: list[str] = []  # the service worker and the manifest the page registers

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            field = {**a, "_wrapped": self.open_labels > 0}
            self.fields.append(field)
        if tag in ("script", "img") and a.get("src"):
            self.assets.append(a["src"])
        if tag == "link" and a.get("href"):
            (self.offline if a.get("rel") == "manifest" else self.assets).append(a["href"])
        if a.get("data-sw"):
            self.offline.append(a["data-sw"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1


def role_for(route) -> str | None:
    for role in ("kader", "fasil", "dinkes", "admin", "anon"):
        expected = route.expect[role]
        if (expected == 200) or (isinstance(expected, frozenset) and 200 in expected):
            return role
    return None


HTML_PAGES = sorted(
    name
    for name, route in ROUTES.items()
    if route.method == "GET"
    and role_for(route)
    and name
    not in {
        "core.healthz",
        "static",
        "verify.issuer",
        "certificates.pdf",
        "certificates.badge_json",
        "certificates.posyandu_batch",
        "roster_import.template",
    }
)


@pytest.mark.parametrize("endpoint", HTML_PAGES)
def test_page_is_labelled_light_and_local(app, objects, endpoint):  # noqa: F811 - the fixture imported above
    route = ROUTES[endpoint]
    role = role_for(route)
    client = app.test_client()
    if role != "anon":
        login(client, USERS[role])
    response = client.get(route.path(objects))
    if response.status_code != 200 or response.mimetype != "text/html":
        pytest.skip(f"{endpoint} answers {response.status_code} {response.mimetype} for {role}")
    html = response.get_data(as_text=True)
    parser = PageParser()
    parser.feed(html)
    assert parser.lang in ("id", "en")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and title.strip().endswith("Kader Cakap"), title
    unlabelled = [
        f.get("name")
        for f in parser.fields
        if not f["_wrapped"] and f.get("id") not in parser.label_for and not f.get("aria-label")
    ]
    assert unlabelled == [], f"fields without a label on {endpoint}: {unlabelled}"
    external = [a for a in parser.assets if re.match(r"^(https?:)?//", a)]
    assert external == []
    weight = len(response.get_data())
    for asset in parser.assets:
        if asset.startswith("/static/") and not asset.endswith(".svg"):
            weight += len(client.get(asset).get_data())
    if endpoint in OUTSIDE_THE_APP:
        assert parser.offline == [], f"{endpoint} should not register the phone app"
    else:
        weight += offline_weight(client, parser)
    assert weight <= BUDGET, f"{endpoint}: {weight} bytes"


# Pages for integrators, not kader: they do not install the offline app on the phone.
OUTSIDE_THE_APP = {"api.docs_page"}


def offline_weight(client, parser: PageParser) -> int:
    """The worker and manifest, and what the worker stores on install beyond the page's own files:
    all of it is downloaded the first time a phone opens any page."""
    assert len(parser.offline) == 2, (
        f"every page registers the worker and links the manifest: {parser.offline}"
    )
    weight = 0
    for url in parser.offline:
        body = client.get(url).get_data()
        weight += len(body)
        core = re.search(rb"var CORE = (\[.*?\]);", body)
        if core:
            for stored in json.loads(core.group(1)):
                if stored not in parser.assets and not stored.endswith(".svg"):
                    weight += len(client.get(stored).get_data())
    return weight
