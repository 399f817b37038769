"""Every form on every page, filled with hostile values, must never give a server error."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login
from tests.integration.test_authorization_matrix import ROUTES, USERS, objects  # noqa: F401 - fixture

HOSTILE = st.one_of(
    st.text(max_size=50),
    st.text(min_size=3000, max_size=5000),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "'; DROP TABLE kader; --",
            "\x00\x01\x1b[31m",
            '=HYPERLINK("http://x")',
            "../../etc/passwd",
            "%s%s%n",
            "9" * 40,
            "-1",
            "0",
            "1e309",
            "2026-02-30",
            "null",
            "[]",
            "{}",
            "😀" * 100,
            "\u202eRTL",
            "",
            "²",
            "①",
            "١٢",
            str(2**31),
            str(2**63),
        ]
    ),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
)


class FormParser(HTMLParser):
    """Collect post forms: action and the names of their fields (with the CSRF token value)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append(
                {
                    "action": a.get("action"),
                    "fields": {},
                    "multipart": a.get("enctype") == "multipart/form-data",
                }
            )
        elif self.forms and tag in ("input", "select", "textarea", "button") and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


# pages whose forms are fuzzed, with the user allowed to use them
PAGES = {
    "auth.login": "anon",
    "auth.change_password_view": "dinkes",
    "certificates.detail": "dinkes",
    "certificates.settings": "dinkes",
    "practicals.new_session": "fasil",
    "practicals.attendees": "fasil",
    "practicals.observe": "fasil",
    "roster_import.upload": "dinkes",
    "accounts.posyandu_accounts": "fasil",
    "quizzes.question": "kader",
    "rosters.kader_new": "dinkes",
    "rosters.kader_edit": "dinkes",
    "rosters.kader_detail": "dinkes",
    "rosters.posyandu_new": "dinkes",
    "rosters.puskesmas_new": "dinkes",
    "rosters.pustu_new": "dinkes",
    "rosters.wilayah_page": "dinkes",
    "quizzes.summary": "kader",
}


def forms_on(client, path):
    parser = FormParser()
    parser.feed(client.get(path).get_data(as_text=True))
    # the footer's sign-out and language forms would end or change the session mid-run
    return [f for f in parser.forms if f["fields"] and f["action"] not in ("/logout", "/lang")]


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_forms_survive_hostile_input(app, objects, endpoint):  # noqa: F811 - the fixture imported above
    client = app.test_client()
    role = PAGES[endpoint]
    if role != "anon":
        login(client, USERS[role])
    path = ROUTES[endpoint].path(objects)
    found = forms_on(client, path)
    assert found, f"no post form on {path}"

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def fuzz(data):
        for form in found:
            values = {}
            for name, value in form["fields"].items():
                values[name] = value if name == "csrf_token" else data.draw(HOSTILE)
            if form["multipart"]:
                import io

                values = {k: v for k, v in values.items()}
                values["file"] = (
                    io.BytesIO(data.draw(st.binary(max_size=200))),
                    data.draw(st.sampled_from(["r.csv", "r.xlsx", "x.png", "../x"])),
                )
            target = form["action"] or path
            response = client.post(
                target, data=values, content_type="multipart/form-data" if form["multipart"] else None
            )
            assert response.status_code < 500, (target, values, response.status_code)
            if response.mimetype == "text/html":
                assert not re.search(r"Traceback|sqlalchemy\.exc", response.get_data(as_text=True))

    fuzz()
