"""Names of the item-quality flags shown on the item statistics page."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

FLAG_LABELS = {
    "too_hard": _l("terlalu sulit"),
    "too_easy": _l("terlalu mudah"),
    "negative_discrimination": _l("daya beda negatif"),
}


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["flag_label"] = lambda f: FLAG_LABELS.get(f, f)
