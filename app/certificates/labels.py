"""Template helpers of the certificate domain; create_app registers them."""

from __future__ import annotations

from flask import Flask

from app.certificates.document import mask_nip


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["mask_nip"] = mask_nip
