"""Numbers no person types, in every URL and list filter: 404 or a page, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from tests.conftest import login
from tests.integration.test_authorization_matrix import USERS, objects  # noqa: F401 - fixture

ODD = ["²", "①", "١٢", str(2**31), str(2**31 - 1), str(2**63), str(10**30), "-1", "0", "007", "1e3"]
LIST_PAGES = ["/kader/", "/posyandu/", "/sertifikat/", "/sertifikat/siap", "/praktik/", "/audit"]


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        if ints and "GET" in rule.methods:
            yield rule, ints


@pytest.mark.parametrize("role", ["kader", "fasil", "dinkes", "admin"])
def test_every_id_in_every_url_is_bounded(app, objects, role):  # noqa: F811 - fixture above
    client = app.test_client()
    login(client, USERS[role])
    checked = 0
    for rule, names in _int_rules(app):
        for value in (2**31, 2**63, 10**30):
            path = rule.rule
            for name in names:
                path = path.replace(f"<int:{name}>", str(value))
            for name in rule._converters:  # other parts: a plausible value
                path = path.replace(f"<{name}>", "K01").replace(f"<string:{name}>", "K01")
            response = client.get(path)
            assert response.status_code in (302, 400, 403, 404), (path, response.status_code)
            checked += 1
    assert checked > 30


@pytest.mark.parametrize("role", ["fasil", "dinkes"])
def test_list_filters_and_pages_survive_odd_numbers(app, objects, role):  # noqa: F811
    client = app.test_client()
    login(client, USERS[role])

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        page=st.sampled_from(LIST_PAGES),
        key=st.sampled_from(["page", "posyandu", "q", "kecamatan"]),
        value=st.sampled_from(ODD) | st.text(max_size=20),
    )
    def fuzz(page, key, value):
        response = client.get(page, query_string={key: value})
        assert response.status_code < 500, (page, key, value)

    fuzz()


def test_nik_search_by_a_masked_role_needs_the_whole_number(app, client, objects):  # noqa: F811
    """A fasilitator sees NIKs masked: typing digit after digit must not reveal one."""
    login(client, USERS["fasil"])
    nik = "3329045203850001"  # Siti Aminah's, in the fasilitator's area
    for prefix in ("3", "3329", "332904520385", nik[:15]):
        assert "Siti Aminah" not in client.get("/kader/", query_string={"q": prefix}).get_data(as_text=True)
    page = client.get("/kader/", query_string={"q": nik}).get_data(as_text=True)
    assert "Siti Aminah" in page and f">{nik}<" not in page  # echoed in the search box only
    dinkes = app.test_client()
    login(dinkes, USERS["dinkes"])  # keeps the registers: prefix search stays
    assert "Siti Aminah" in dinkes.get("/kader/", query_string={"q": "332904"}).get_data(as_text=True)
