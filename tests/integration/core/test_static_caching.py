"""Static files: versioned URLs, a year of caching, and a new version when the file changes."""

from __future__ import annotations

import re

from tests.conftest import login


def test_pages_link_versioned_static_files_cached_for_a_year(client, world):
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page)
    assert css, "the stylesheet is linked with a version"
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_the_version_follows_the_file_content(app, tmp_path):
    from app.core.static_files import _version

    (tmp_path / "a.css").write_text("body{}", encoding="utf-8")
    first = _version(str(tmp_path), "a.css")
    (tmp_path / "b.css").write_text("body{color:red}", encoding="utf-8")
    assert first != _version(str(tmp_path), "b.css") and len(first) == 12
    assert _version(str(tmp_path), "missing.css") is None


def test_scripts_on_a_quiz_page_are_versioned_too(app, client, world, synced):
    login(client, "kader.siti")
    page = client.get("/belajar/").get_data(as_text=True)
    assert not re.search(r'(src|href)="/static/[^"?]+"', page)  # nothing unversioned
