"""Static files under versioned URLs, so browsers and proxies may keep them for a year.

`url_for('static', filename='css/app.css')` becomes `/static/css/app.css?v=<hash of the
file>`: a new release changes the hash, so nobody keeps an old stylesheet, and until then a
cheap phone on a slow line never downloads it twice.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask

ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def _version(folder: str, filename: str) -> str | None:
    path = Path(folder, filename)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None


def register_static_versions(app: Flask) -> None:
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:  # Flask's default: no caching
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = ONE_YEAR

    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and app.static_folder:
            version = _version(app.static_folder, values.get("filename", ""))
            if version:
                values["v"] = version
